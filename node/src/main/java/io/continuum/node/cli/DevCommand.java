package io.continuum.node.cli;

import io.continuum.node.local.LocalCluster;
import io.continuum.node.local.NodeProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code continuum dev}: a local cluster of three node processes in zones {@code edge-a}, {@code
 * edge-b} and {@code cloud} on the embedded journal, serving until interrupted.
 */
@Command(
    name = "dev",
    description = "Run a local multi-zone cluster on the embedded journal until Ctrl-C.",
    mixinStandardHelpOptions = true)
final class DevCommand implements Callable<Integer> {

  @Option(
      names = "--data",
      defaultValue = "${CONTINUUM_DEV_DATA:-data}",
      description = "Data directory, kept between runs (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--apps",
      defaultValue = "${CONTINUUM_DEV_APPS:-}",
      description = "Directory of application jars to run (default: the examples).")
  Path apps;

  @Option(names = "--fresh", description = "Delete the data directory first.")
  boolean fresh;

  @Option(
      names = "--port",
      defaultValue = "9090",
      description = "Gateway port of the first node; the others use the next ones.")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    if (fresh) {
      deleteRecursively(data);
    }
    long started = System.nanoTime();
    LocalCluster cluster =
        LocalCluster.dev(data, port, apps == null || apps.toString().isEmpty() ? null : apps);
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  System.out.println("stopping the cluster...");
                  cluster.close();
                  System.out.println("stopped");
                }));
    System.out.println("Continuum dev cluster, data in " + data.toAbsolutePath());
    if (apps != null && !apps.toString().isEmpty()) {
      System.out.println("  applications from " + apps.toAbsolutePath());
    }
    for (NodeProcess node : cluster.nodes()) {
      System.out.printf(
          "  %-7s gateway %s  management %s  log %s%n",
          node.spec().zone(), node.gateway(), node.managementUrl(), node.log());
    }
    cluster.start().awaitReady(Duration.ofMinutes(3));
    System.out.printf(
        "ready in %.1f s: %d nodes in zones edge-a, edge-b, cloud; gateway %s%n",
        (System.nanoTime() - started) / 1e9,
        cluster.nodes().size(),
        cluster.nodes().get(0).gateway());
    System.out.println(
        "try: bin/continuum topic create demo --zone edge-a && bin/continuum topic publish demo hello");
    watch(cluster, stopping);
    return 0;
  }

  /** Reports nodes that exit on their own; serves until interrupted. */
  private static void watch(LocalCluster cluster, AtomicBoolean stopping)
      throws InterruptedException {
    Set<String> reported = new HashSet<>();
    while (!stopping.get()) {
      for (NodeProcess node : cluster.nodes()) {
        if (!node.isAlive() && reported.add(node.spec().name())) {
          System.out.println("node " + node.spec().name() + " exited; see " + node.log());
        }
      }
      if (reported.size() == cluster.nodes().size()) {
        System.out.println("every node exited");
        return;
      }
      Thread.sleep(1000);
    }
    Thread.currentThread().join();
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(DevCommand::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
