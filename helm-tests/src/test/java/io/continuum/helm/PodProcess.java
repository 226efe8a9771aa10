package io.continuum.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node of a {@link RenderedPod}, run as a process of this machine the way the image runs it:
 * with the pod's environment (and nothing inherited that a pod would not have) and the JVM options
 * of its {@code JAVA_OPTS}. Stopped with SIGTERM, as the kubelet stops a container.
 */
final class PodProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final RenderedPod pod;
  private final Process process;
  private final Path log;

  private PodProcess(RenderedPod pod, Process process, Path log) {
    this.pod = pod;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the node of {@code pod}.
   *
   * @param kubernetes what a pod's environment has besides its container's, e.g. {@code
   *     KUBERNETES_SERVICE_HOST}
   * @param jvmOptions options after those of {@code JAVA_OPTS}, e.g. a heap fit for a test
   */
  static PodProcess start(
      RenderedPod pod, Map<String, String> kubernetes, List<String> jvmOptions, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String javaOpts = pod.environment().getOrDefault("JAVA_OPTS", "").trim();
    if (!javaOpts.isEmpty()) {
      command.addAll(List.of(javaOpts.split("\\s+")));
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.continuum.node.ContinuumNode");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(key -> key.startsWith("CONTINUUM_"));
    builder.environment().putAll(pod.environment());
    builder.environment().putAll(kubernetes);
    Files.createDirectories(log.getParent());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new PodProcess(pod, builder.start(), log);
  }

  RenderedPod pod() {
    return pod;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** True when management {@code /ready} answers 200. */
  boolean isReady() {
    return status("/ready") == 200;
  }

  /** GET on the node's management HTTP, its JSON body; fails unless the status is 200. */
  JsonNode management(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  private int status(String path) {
    try {
      return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private HttpRequest request(String path) {
    String host = pod.environment().get("CONTINUUM_HOST");
    int port = pod.port("CONTINUUM_MANAGEMENT_PORT");
    return HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  /** The last lines of the node's output. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, then SIGKILL if the node has not left and exited within 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
