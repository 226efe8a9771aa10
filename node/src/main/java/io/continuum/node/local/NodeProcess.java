package io.continuum.node.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Continuum node running as its own JVM process on 127.0.0.1, with its own log file. It can be
 * stopped gracefully (SIGTERM), killed (SIGKILL), frozen and thawed (SIGSTOP/SIGCONT), and started
 * again with the same settings and data.
 */
public final class NodeProcess {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final NodeSpec spec;
  private final Map<String, String> environment;
  private final List<String> jvmOptions;
  private final Path log;
  private Process process;

  NodeProcess(NodeSpec spec, Map<String, String> environment, List<String> jvmOptions, Path log) {
    this.spec = spec;
    this.environment = Map.copyOf(environment);
    this.jvmOptions = List.copyOf(jvmOptions);
    this.log = log;
  }

  /** Starts the process; returns at once. */
  public synchronized NodeProcess start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("node " + spec.name() + " is already running");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.continuum.node.ContinuumNode");
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = new HashMap<>(environment);
    env.put("CONTINUUM_ZONE", spec.zone());
    env.put("CONTINUUM_GATEWAY_PORT", String.valueOf(spec.gatewayPort()));
    env.put("CONTINUUM_MANAGEMENT_PORT", String.valueOf(spec.managementPort()));
    env.put("CONTINUUM_REMOTE_PORT", String.valueOf(spec.remotePort()));
    env.put("CONTINUUM_HOST", "127.0.0.1");
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Files.createDirectories(log.getParent());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start node " + spec.name(), e);
    }
    return this;
  }

  /** True when the process runs and its management endpoint reports it ready. */
  public boolean isReady() {
    if (!isAlive()) {
      return false;
    }
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(managementUrl() + "/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGTERM, then waits for the node to leave the cluster and exit; SIGKILL after the timeout. */
  public synchronized void stop(Duration timeout) {
    if (process == null) {
      return;
    }
    thaw();
    process.destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL: the process dies at once, without leaving the cluster. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits until the process exits by itself, at most {@code timeout}.
   *
   * @return true when it exited (or never ran)
   */
  public boolean awaitExit(Duration timeout) {
    Process running;
    synchronized (this) {
      running = process;
    }
    if (running == null) {
      return true;
    }
    try {
      return running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGSTOP: the node stops answering, which its peers cannot tell from a partition. */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  public void thaw() {
    signal("CONT");
  }

  private synchronized void signal(String name) {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
          .inheritIO()
          .start()
          .waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  public NodeSpec spec() {
    return spec;
  }

  public Path log() {
    return log;
  }

  /** host:port of the node's gRPC gateway. */
  public String gateway() {
    return "127.0.0.1:" + spec.gatewayPort();
  }

  public String managementUrl() {
    return "http://127.0.0.1:" + spec.managementPort();
  }

  /** The last lines of the node's log, for failure reports. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
