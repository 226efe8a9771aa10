package io.continuum.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.continuum.gateway.v1.FunctionServiceGrpc;
import io.continuum.gateway.v1.GetStateRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private static final Pattern ROW =
      Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

  @Option(names = "--gateway", defaultValue = "127.0.0.1:19290")
  String gateway;

  @Option(
      names = "--management",
      defaultValue = "http://127.0.0.1:18290",
      description = "The node's management HTTP, to count resident instances.")
  String management;

  @Option(names = "--pid", required = true, description = "Process id of the node.")
  long pid;

  @Option(names = "--heap", defaultValue = "?", description = "The node's heap, for the table.")
  String heap;

  @Option(
      names = "--instances",
      defaultValue = "20000",
      description = "Instances to activate (default ${DEFAULT-VALUE}: under 2 minutes on 2 cores).")
  int instances;

  @Option(names = "--concurrency", defaultValue = "64", description = "Activations in flight.")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    try (GrpcChannels channels = new GrpcChannels()) {
      FunctionServiceGrpc.FunctionServiceStub functions =
          FunctionServiceGrpc.newStub(channels.to(gateway));
      String prefix = "idle-" + System.currentTimeMillis() + "-";
      Batch.run("warm-up", 2000, concurrency, 0, activate(functions, "warm-" + prefix));
      String histogramBefore = classHistogram();
      long before = parseHistogramTotal(histogramBefore);
      System.out.printf("scale: live heap before %,d bytes%n", before);
      Batch.Outcome outcome =
          Batch.run(
              "activate",
              instances,
              concurrency,
              Math.max(1, instances / 10),
              activate(functions, prefix));
      String histogramAfter = classHistogram();
      long after = parseHistogramTotal(histogramAfter);
      printGrowth(histogramBefore, histogramAfter, outcome.operations());
      long resident = residentInstances();
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
      metrics.put("resident_after", (double) resident);
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
          List.of(),
          1);
    }
    return 0;
  }

  private static Operation activate(
      FunctionServiceGrpc.FunctionServiceStub functions, String prefix) {
    return (slot, seq) ->
        GrpcChannels.unary(
            functions::getState,
            GetStateRequest.newBuilder().setType("counter").setId(prefix + seq).build());
  }

  /** Function instances the node's shard regions hold, as its management HTTP reports them. */
  private long residentInstances() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(management + "/cluster/shards/Function")).build(),
                HttpResponse.BodyHandlers.ofString());
    long resident = 0;
    for (JsonNode region : Results.JSON.readTree(response.body()).path("regions")) {
      resident += region.path("numEntities").asLong();
    }
    System.out.printf("scale: %,d function instances resident%n", resident);
    return resident;
  }

  /** The classes whose live bytes grew most, per activated instance: where the memory goes. */
  private static void printGrowth(String before, String after, long instances) {
    Map<String, Long> grown = new HashMap<>();
    bytesByClass(after).forEach((type, bytes) -> grown.put(type, bytes));
    bytesByClass(before).forEach((type, bytes) -> grown.merge(type, -bytes, Long::sum));
    System.out.println("scale: live bytes per instance by class (top 12):");
    grown.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(12)
        .forEach(
            e ->
                System.out.printf(
                    "  %8.1f  %s%n", e.getValue() / (double) Math.max(1, instances), e.getKey()));
  }

  /** Live bytes by class name in a {@code jcmd GC.class_histogram} output. */
  static Map<String, Long> bytesByClass(String histogram) {
    Map<String, Long> bytes = new HashMap<>();
    Matcher row = ROW.matcher(histogram);
    while (row.find()) {
      bytes.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
    }
    return bytes;
  }

  /** A class histogram of the node's live heap, taken after a full GC. */
  private String classHistogram() throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder("jcmd", String.valueOf(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    return out;
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
