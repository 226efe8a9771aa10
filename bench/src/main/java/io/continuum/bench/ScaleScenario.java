package io.continuum.bench;

import io.continuum.gateway.v1.FunctionServiceClient;
import io.continuum.gateway.v1.GetStateRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Memory per resident function instance: activates {@code instances} idle {@code counter} instances
 * on a one-node cluster (each by a state read, which recovers the instance from the journal and
 * leaves it resident), and measures the node's live heap before and after with {@code jcmd
 * GC.class_histogram} (which runs a full GC first).
 */
@Command(
    name = "scale",
    description = "Memory per resident function instance and activation rate on one node.",
    mixinStandardHelpOptions = true)
final class ScaleScenario extends ScenarioCommand {

  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

  @Option(names = "--gateway", defaultValue = "127.0.0.1:19290")
  String gateway;

  @Option(names = "--pid", required = true, description = "Process id of the node.")
  long pid;

  @Option(names = "--heap", defaultValue = "?", description = "The node's heap, for the table.")
  String heap;

  @Option(names = "--instances", defaultValue = "100000")
  int instances;

  @Option(names = "--concurrency", defaultValue = "64", description = "Activations in flight.")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    try (BenchClients clients = new BenchClients()) {
      FunctionServiceClient functions =
          FunctionServiceClient.create(clients.settings(gateway), clients.system);
      String prefix = "idle-" + System.currentTimeMillis() + "-";
      Batch.run("warm-up", 2000, concurrency, 0, activate(functions, "warm-" + prefix));
      long before = liveHeapBytes();
      System.out.printf("scale: live heap before %,d bytes%n", before);
      Batch.Outcome outcome =
          Batch.run(
              "activate",
              instances,
              concurrency,
              Math.max(1, instances / 10),
              activate(functions, prefix));
      long after = liveHeapBytes();
      System.out.printf(
          "scale: %,d activated (%d errors) in %.1f s = %.0f/s; live heap after %,d bytes%n",
          outcome.operations(),
          outcome.errors(),
          outcome.millis() / 1000,
          outcome.throughput(),
          after);
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("instances", (double) outcome.operations());
      metrics.put("errors", (double) outcome.errors());
      metrics.put("activations_per_s", outcome.throughput());
      metrics.put("live_heap_before_mib", before / 1048576.0);
      metrics.put("live_heap_after_mib", after / 1048576.0);
      metrics.put("bytes_per_instance", (after - before) / (double) outcome.operations());
      record(
          "scale",
          String.format("%,d idle counter instances, one node, heap %s", instances, heap),
          "continuum",
          false,
          "each instance activated by GetState (journal recovery, nothing persisted), resident"
              + " until its idle timeout; live heap measured after a full GC (jcmd"
              + " GC.class_histogram)",
          metrics,
          List.of());
      functions.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    return 0;
  }

  private static Operation activate(FunctionServiceClient functions, String prefix) {
    return (slot, seq) ->
        functions.getState(
            GetStateRequest.newBuilder().setType("counter").setId(prefix + seq).build());
  }

  /** The node's live heap: the total of a class histogram, taken after a full GC. */
  private long liveHeapBytes() throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder("jcmd", String.valueOf(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    return parseHistogramTotal(out);
  }

  /** The bytes on the {@code Total} line of {@code jcmd GC.class_histogram}. */
  static long parseHistogramTotal(String histogram) {
    Matcher matcher = TOTAL.matcher(histogram);
    if (!matcher.find()) {
      throw new IllegalStateException(
          "no Total line in jcmd output: " + histogram.lines().limit(5).toList());
    }
    return Long.parseLong(matcher.group(2));
  }
}
