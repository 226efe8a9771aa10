package io.continuum.node.local;

import com.typesafe.config.ConfigFactory;
import io.continuum.persistence.embedded.JournalServer;
import io.continuum.persistence.embedded.JournalSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Continuum cluster of node processes on this machine, sharing one data directory (and so the
 * embedded journal), as {@code continuum dev} runs it and as multi-process tests drive it.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.dev(Path.of("data"), 9090, null)) {
 *   cluster.start().awaitReady(Duration.ofSeconds(90));
 *   String gateway = cluster.nodes().get(0).gateway();
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

  /** The zones of a development cluster: two edge sites falling back on one cloud region. */
  public static final String DEV_TOPOLOGY = "edge-a:edge>cloud,edge-b:edge>cloud,cloud:cloud";

  private static final List<String> DEV_ZONES = List.of("edge-a", "edge-b", "cloud");

  private final Path dataDir;
  private final List<NodeProcess> nodes;
  private final JournalServer journal;

  private LocalCluster(Path dataDir, List<NodeProcess> nodes, JournalServer journal) {
    this.dataDir = dataDir;
    this.nodes = List.copyOf(nodes);
    this.journal = journal;
  }

  /**
   * The development cluster: one node in each of {@code edge-a}, {@code edge-b} and {@code cloud},
   * with gateways on {@code basePort}, +1, +2, management on 8558+, remoting on 7355+.
   *
   * @param appsDir directory of application jars every node loads, or {@code null}
   */
  public static LocalCluster dev(Path dataDir, int basePort, Path appsDir) {
    List<NodeSpec> specs = new ArrayList<>();
    for (int i = 0; i < DEV_ZONES.size(); i++) {
      specs.add(new NodeSpec(DEV_ZONES.get(i), DEV_ZONES.get(i), basePort + i, 8558 + i, 7355 + i));
    }
    Map<String, String> environment =
        appsDir == null
            ? Map.of()
            : Map.of("CONTINUUM_APPS_DIR", appsDir.toAbsolutePath().toString());
    return of(dataDir, DEV_TOPOLOGY, specs, environment, defaultJvmOptions());
  }

  /**
   * A cluster of the given nodes. Every node bootstraps from every other's management endpoint. On
   * the embedded backend (unless {@code environment} selects another), this process serves the
   * journal to the nodes until {@link #close()}.
   *
   * @param environment extra environment for every node, e.g. the persistence backend
   */
  public static LocalCluster of(
      Path dataDir,
      String topology,
      List<NodeSpec> specs,
      Map<String, String> environment,
      List<String> jvmOptions) {
    String seeds =
        specs.stream().map(s -> "127.0.0.1:" + s.managementPort()).collect(Collectors.joining(","));
    JournalServer journal =
        environment.getOrDefault("CONTINUUM_PERSISTENCE", "embedded").equals("embedded")
            ? JournalServer.serve(
                dataDir.resolve("journal"), JournalSettings.fromConfig(ConfigFactory.load()))
            : null;
    List<NodeProcess> nodes = new ArrayList<>();
    for (NodeSpec spec : specs) {
      Map<String, String> env = new HashMap<>(environment);
      if (journal != null) {
        env.put("CONTINUUM_EMBEDDED_JOURNAL", journal.address());
      }
      env.put("CONTINUUM_TOPOLOGY", topology);
      env.put("CONTINUUM_SEEDS", seeds);
      env.put("CONTINUUM_DATA_DIR", dataDir.toAbsolutePath().toString());
      env.put("CONTINUUM_PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
      nodes.add(
          new NodeProcess(
              spec, env, jvmOptions, dataDir.resolve("logs").resolve(spec.name() + ".log")));
    }
    return new LocalCluster(dataDir, nodes, journal);
  }

  /** JVM options for a node on a small machine; {@code CONTINUUM_NODE_OPTS} replaces them. */
  public static List<String> defaultJvmOptions() {
    String configured = System.getenv("CONTINUUM_NODE_OPTS");
    if (configured != null && !configured.isBlank()) {
      return List.of(configured.trim().split("\\s+"));
    }
    return List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError");
  }

  /** Starts every node process. */
  public LocalCluster start() {
    nodes.forEach(NodeProcess::start);
    return this;
  }

  /**
   * Waits until every node reports ready, polling its management endpoint.
   *
   * @throws IllegalStateException with the tail of each failed node's log on timeout or exit
   */
  public LocalCluster awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<NodeProcess> pending = new ArrayList<>(nodes);
    while (!pending.isEmpty()) {
      pending.removeIf(NodeProcess::isReady);
      for (NodeProcess node : pending) {
        if (!node.isAlive()) {
          throw new IllegalStateException(
              "node " + node.spec().name() + " exited during start:\n" + node.logTail(40));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "nodes not ready after "
                + timeout.toSeconds()
                + " s: "
                + pending.stream()
                    .map(n -> n.spec().name() + "\n" + n.logTail(40))
                    .collect(Collectors.joining("\n---\n")));
      }
      pause(Duration.ofMillis(200));
    }
    return this;
  }

  public List<NodeProcess> nodes() {
    return nodes;
  }

  /** The node of that name. */
  public NodeProcess node(String name) {
    return nodes.stream()
        .filter(n -> n.spec().name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node named " + name));
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The embedded journal this cluster serves, empty on another backend. */
  public Optional<JournalServer> journal() {
    return Optional.ofNullable(journal);
  }

  /** Stops every node gracefully, in parallel; the journal keeps serving for a restart. */
  public void stopNodes() {
    nodes.parallelStream().forEach(node -> node.stop(Duration.ofSeconds(30)));
  }

  /** Stops every node gracefully, then the journal. */
  @Override
  public void close() {
    stopNodes();
    if (journal != null) {
      journal.close();
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
