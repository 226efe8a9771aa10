package io.continuum.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Apache Cassandra 5.0 node, {@code org.apache.cassandra:cassandra-all}, running in a forked
 * JVM on 127.0.0.1 with all of its configuration, data and logs in one work directory.
 *
 * <p>{@link #start(Path)} returns once the node answers CQL. The node can then be {@linkplain
 * #stop() stopped}, {@linkplain #kill() killed} and {@linkplain #restart() restarted} any number of
 * times: it comes back on the same ports with the data it had. {@link #close()} stops it for good.
 * A JVM shutdown hook stops it too, so a forked node never outlives the JVM that started it.
 *
 * <p>The forked JVM's classpath is the resource {@code cassandra.classpath} next to this class,
 * written when this module is built; Cassandra's jars are never on the caller's classpath.
 *
 * <p>Instances are thread-safe.
 */
public final class CassandraServer implements AutoCloseable {

  /**
   * How a node is run.
   *
   * @param heapSize the forked JVM's heap, as given to {@code -Xms}/{@code -Xmx}, e.g. {@code 1G}
   * @param startupTimeout how long a start may take until the node answers CQL
   * @param stopTimeout how long a graceful stop may take before the node is killed
   */
  public record Options(String heapSize, Duration startupTimeout, Duration stopTimeout) {

    /** Checks that no option is null. */
    public Options {
      Objects.requireNonNull(heapSize, "heapSize");
      Objects.requireNonNull(startupTimeout, "startupTimeout");
      Objects.requireNonNull(stopTimeout, "stopTimeout");
    }

    /** A 1 GiB heap, 120 s to start, 30 s to stop. */
    public static Options defaults() {
      return new Options("1G", Duration.ofSeconds(120), Duration.ofSeconds(30));
    }

    /** These options with another heap size, e.g. {@code 512M}. */
    public Options withHeapSize(String heapSize) {
      return new Options(heapSize, startupTimeout, stopTimeout);
    }

    /** These options with another startup timeout. */
    public Options withStartupTimeout(Duration startupTimeout) {
      return new Options(heapSize, startupTimeout, stopTimeout);
    }

    /** These options with another graceful stop timeout. */
    public Options withStopTimeout(Duration stopTimeout) {
      return new Options(heapSize, startupTimeout, stopTimeout);
    }
  }

  private static final String CLASSPATH_RESOURCE = "cassandra.classpath";
  private static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final int PROBE_TIMEOUT_MILLIS = 1_000;
  private static final int FAILURE_LOG_LINES = 50;
  private static final int TAIL_BYTES = 1 << 20;

  /** What Cassandra needs opened up to run on Java 17 (as in its conf/jvm17-server.options). */
  private static final List<String> JAVA_17_MODULE_FLAGS =
      List.of(
          "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
          "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
          "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
          "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
          "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens", "java.base/java.io=ALL-UNNAMED",
          "--add-opens", "java.base/java.nio=ALL-UNNAMED",
          "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens", "java.base/java.util=ALL-UNNAMED",
          "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang=ALL-UNNAMED",
          "--add-opens", "java.base/java.math=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens", "java.base/java.net=ALL-UNNAMED");

  /**
   * System properties that make a lone node start and stop fast: no waiting for gossip to settle or
   * for a superuser to be set up, no announcing its shutdown to peers it does not have.
   */
  private static final List<String> SINGLE_NODE_PROPERTIES =
      List.of(
          "-Dcassandra.skip_wait_for_gossip_to_settle=0",
          "-Dcassandra.superuser_setup_delay_ms=0",
          "-Dcassandra.shutdown_announce_in_ms=0");

  private final CassandraConfig config;
  private final Options options;
  private final String classpath;
  private final Thread shutdownHook;
  private volatile Process process;
  private boolean closed;

  private CassandraServer(CassandraConfig config, Options options, String classpath) {
    this.config = config;
    this.options = options;
    this.classpath = classpath;
    this.shutdownHook =
        new Thread(() -> terminate(process, options.stopTimeout()), "cassandra-server-shutdown");
  }

  /**
   * Starts a node with {@linkplain Options#defaults() default options}.
   *
   * @see #start(Path, Options)
   */
  public static CassandraServer start(Path workDir) throws IOException {
    return start(workDir, Options.defaults());
  }

  /**
   * Starts a node on free loopback ports, its configuration, data and logs in {@code workDir}
   * (created if need be), and waits until it answers CQL.
   *
   * @throws IOException if the node could not be started, died while starting or did not answer CQL
   *     within {@link Options#startupTimeout()}; the message then holds the end of its log
   */
  public static CassandraServer start(Path workDir, Options options) throws IOException {
    int[] ports = LoopbackPorts.pick(2);
    CassandraConfig config = new CassandraConfig(workDir.toAbsolutePath(), ports[0], ports[1]);
    config.write();
    CassandraServer server = new CassandraServer(config, options, cassandraClasspath());
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    try {
      server.launch();
    } catch (IOException | RuntimeException e) {
      server.removeShutdownHook();
      throw e;
    }
    return server;
  }

  /** The native transport (CQL) port on 127.0.0.1; the same across restarts. */
  public int cqlPort() {
    return config.cqlPort();
  }

  /** {@code 127.0.0.1:<cqlPort>}, as a driver's contact point. */
  public String contactPoint() {
    return CassandraConfig.HOST + ":" + cqlPort();
  }

  /** The data center the node reports, as a driver's local data center. */
  public String localDatacenter() {
    return "datacenter1"; // what SimpleSnitch reports
  }

  /** The process id of the node's JVM, or of its last one once stopped. */
  public long pid() {
    return process.pid();
  }

  /** The absolute directory holding the node's configuration, data and logs. */
  public Path workDir() {
    return config.workDir();
  }

  /** Whether the node's JVM is alive (it may not answer CQL yet, or any more). */
  public boolean isRunning() {
    return process.isAlive();
  }

  /**
   * Stops the node gracefully (SIGTERM, so that it flushes its data) and waits until its process
   * has exited; kills it if it takes longer than {@link Options#stopTimeout()}. Does nothing if it
   * is not running.
   */
  public synchronized void stop() {
    terminate(process, options.stopTimeout());
  }

  /**
   * Kills the node at once (SIGKILL), as a crash would, and waits until its process has exited.
   * Writes acknowledged so far survive: the commit log is replayed on restart.
   */
  public synchronized void kill() {
    terminate(process, Duration.ZERO);
  }

  /**
   * Stops the node if it is running, then starts it again on the same ports and work directory,
   * with the data it had, and waits until it answers CQL.
   *
   * @throws IOException as {@link #start(Path, Options)} does
   * @throws IllegalStateException if the server has been closed
   */
  public synchronized void restart() throws IOException {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    stop();
    launch();
  }

  /**
   * The last {@code lines} lines of the node's log ({@code cassandra.log} in the work directory),
   * looking no further back than its last MiB; empty if there is no log yet.
   */
  public String logTail(int lines) {
    return tail(config.logFile(), lines);
  }

  /**
   * Stops the node as {@link #stop()} does, for good: it cannot be restarted, and the shutdown hook
   * is removed.
   */
  @Override
  public synchronized void close() {
    closed = true;
    stop();
    removeShutdownHook();
  }

  @Override
  public String toString() {
    return "CassandraServer[" + contactPoint() + ", " + workDir() + "]";
  }

  /**
   * Starts a node in the work directory {@code args[0]} (heap size {@code args[1]}, optional),
   * prints its contact point on a line of its own on standard output and runs until killed, which
   * stops the node. Exits with status 1 if the node dies on its own.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: CassandraServer <work-dir> [heap-size, default 1G]");
      System.exit(2);
    }
    Options options = Options.defaults();
    if (args.length == 2) {
      options = options.withHeapSize(args[1]);
    }
    CassandraServer server = start(Path.of(args[0]), options);
    System.err.printf(
        "Cassandra pid %d answers CQL; work dir %s%n", server.pid(), server.workDir());
    System.out.println(server.contactPoint());
    System.out.flush();
    int status = server.process.onExit().join().exitValue();
    System.err.printf("Cassandra pid %d exited with status %d%n", server.pid(), status);
    System.exit(1);
  }

  private void launch() throws IOException {
    Process started =
        new ProcessBuilder(command())
            .directory(config.workDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(config.outputFile().toFile()))
            .start();
    process = started;
    try {
      awaitCql(started);
    } catch (IOException | RuntimeException e) {
      terminate(started, Duration.ZERO);
      throw e;
    }
  }

  private List<String> command() {
    Path workDir = config.workDir();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms" + options.heapSize());
    command.add("-Xmx" + options.heapSize());
    // Set by Cassandra's own conf/jvm-server.options and conf/jvm17-server.options too.
    command.add("-XX:+UseG1GC");
    command.add("-Xss256k");
    command.add("-Djava.net.preferIPv4Stack=true");
    command.add("-Dio.netty.tryReflectionSetAccessible=true");
    // A node out of memory is broken: better dead, which a test notices, than limping on.
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.addAll(JAVA_17_MODULE_FLAGS);
    command.add("-Dcassandra.config=" + config.yamlFile().toUri());
    command.add("-Dcassandra-foreground=yes");
    command.add("-Dcassandra.storagedir=" + workDir);
    command.add("-Dcassandra.logdir=" + workDir);
    command.add("-Dlogback.configurationFile=" + config.logbackFile());
    command.addAll(SINGLE_NODE_PROPERTIES);
    command.add("-cp");
    command.add(classpath);
    command.add(MAIN_CLASS);
    return command;
  }

  private void awaitCql(Process started) throws IOException {
    long deadline = System.nanoTime() + options.startupTimeout().toNanos();
    while (!CqlProbe.answers(CassandraConfig.HOST, cqlPort(), PROBE_TIMEOUT_MILLIS)) {
      if (!started.isAlive()) {
        throw startFailure("exited with status " + started.exitValue() + " while starting");
      }
      if (System.nanoTime() - deadline > 0) {
        throw startFailure("did not answer CQL within " + options.startupTimeout());
      }
      try {
        started.onExit().get(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillStarting) {
        // poll again
      } catch (ExecutionException impossible) {
        throw new IllegalStateException(impossible);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + this + " to start");
      }
    }
  }

  private IOException startFailure(String what) {
    String message =
        "Cassandra in "
            + workDir()
            + " (pid "
            + pid()
            + ") "
            + what
            + "\n--- last "
            + FAILURE_LOG_LINES
            + " lines of "
            + config.logFile()
            + " ---\n"
            + logTail(FAILURE_LOG_LINES);
    String outputTail = tail(config.outputFile(), FAILURE_LOG_LINES);
    if (!outputTail.isBlank()) {
      message += "\n--- last lines of " + config.outputFile() + " ---\n" + outputTail;
    }
    return new IOException(message);
  }

  /**
   * Ends {@code process} and everything it started: SIGTERM, then SIGKILL once {@code grace} has
   * passed (at once if it is zero); returns once the process has exited.
   */
  private static void terminate(Process process, Duration grace) {
    if (process == null || !process.isAlive()) {
      return;
    }
    List<ProcessHandle> descendants = process.descendants().toList();
    if (grace.isZero()) {
      process.destroyForcibly();
    } else {
      process.destroy();
      if (!awaitExit(process, grace)) {
        process.destroyForcibly();
      }
    }
    awaitExit(process, KILL_TIMEOUT);
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  private static boolean awaitExit(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: nothing left to remove
    }
  }

  /** Reads the resource written at build time and checks that its jars are there. */
  private static String cassandraClasspath() throws IOException {
    String classpath;
    try (InputStream in = CassandraServer.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IOException(
            "resource " + CLASSPATH_RESOURCE + " missing: build continuum-testkit with Maven");
      }
      classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!Files.exists(Path.of(entry))) {
        throw new IOException(
            entry
                + " is on Cassandra's classpath but missing: build continuum-testkit on this"
                + " machine (mvn -pl testkit install) to fetch cassandra-all and its dependencies");
      }
    }
    return classpath;
  }

  private static String tail(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return "";
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      byte[] bytes = new byte[(int) Math.min(length, TAIL_BYTES)];
      in.seek(length - bytes.length);
      in.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(could not read " + file + ": " + e + ")";
    }
  }
}
