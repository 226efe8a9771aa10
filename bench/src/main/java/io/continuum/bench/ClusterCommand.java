package io.continuum.bench;

import io.continuum.node.local.LocalCluster;
import io.continuum.node.local.NodeProcess;
import io.continuum.node.local.NodeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A Continuum cluster for the benchmarks, run until this process is stopped (SIGTERM stops every
 * node): the dev topology ({@code edge-a}, {@code edge-b} → {@code cloud}, one node each) or a
 * single {@code cloud} node, on ports of its own so that it never meets a {@code continuum dev}
 * cluster, running the example applications and the benchmark's own ({@code BenchApp}, found on
 * this classpath, which the nodes inherit).
 */
@Command(
    name = "cluster",
    description = "Run a benchmark cluster until stopped; prints each node's pid, then 'ready'.",
    mixinStandardHelpOptions = true)
final class ClusterCommand implements Callable<Integer> {

  @Option(names = "--data", required = true, description = "Data directory (emptied first).")
  Path data;

  @Option(names = "--apps", required = true, description = "Directory of application jars.")
  Path apps;

  @Option(names = "--single", description = "One node in zone cloud instead of three zones.")
  boolean single;

  @Option(names = "--port", defaultValue = "19090", description = "First gateway port.")
  int port;

  @Option(names = "--heap", defaultValue = "512m", description = "Each node's -Xms and -Xmx.")
  String heap;

  @Option(
      names = "--cassandra",
      description = "host:port of a Cassandra to journal to; default: the embedded journal.")
  String cassandra;

  @Option(names = "--jvm-option", description = "Extra JVM option for every node (repeatable).")
  List<String> jvmExtra = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<NodeSpec> specs = new ArrayList<>();
    List<String> zones = single ? List.of("cloud") : List.of("edge-a", "edge-b", "cloud");
    for (int i = 0; i < zones.size(); i++) {
      // Management and remoting ports sit below the gateway's, clear of continuum dev's.
      specs.add(
          new NodeSpec(zones.get(i), zones.get(i), port + i, port - 1000 + i, port - 2000 + i));
    }
    Map<String, String> env = new HashMap<>();
    env.put("CONTINUUM_APPS_DIR", apps.toAbsolutePath().toString());
    env.put("CONTINUUM_LOG_LEVEL", "WARN");
    if (cassandra != null) {
      env.put("CONTINUUM_PERSISTENCE", "cassandra");
      env.put("CONTINUUM_CASSANDRA_CONTACT_POINTS", cassandra);
    }
    List<String> jvm = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap));
    if (jvmExtra.stream().noneMatch(option -> option.matches("-XX:\\+Use\\w+GC"))) {
      jvm.add("-XX:+UseG1GC");
    }
    jvm.add("-XX:+ExitOnOutOfMemoryError");
    // Artery gives its TCP bind 3 s; a loaded 2-core machine (Cassandra starting beside three
    // nodes) can take longer, and the node then exits at start.
    jvm.add("-Dpekko.remote.artery.bind.bind-timeout=30s");
    // Instances stay running through a scenario (the scale scenario sets its own idle timeout).
    jvm.add("-Dcontinuum.functions.idle-timeout=30m");
    jvm.addAll(jvmExtra);
    LocalCluster cluster = LocalCluster.of(data, LocalCluster.DEV_TOPOLOGY, specs, env, jvm);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
    long started = System.nanoTime();
    cluster.start();
    for (NodeProcess node : cluster.nodes()) {
      System.out.printf(
          "node %s pid=%d gateway=%s management=%s log=%s%n",
          node.spec().zone(), node.pid(), node.gateway(), node.managementUrl(), node.log());
    }
    cluster.awaitReady(Duration.ofMinutes(3));
    System.out.printf("ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
    System.out.flush();
    Thread.currentThread().join();
    return 0;
  }
}
