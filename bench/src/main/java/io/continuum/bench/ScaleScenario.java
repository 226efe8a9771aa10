package io.continuum.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.FunctionServiceGrpc;
import io.continuum.gateway.v1.GetStateRequest;
import io.continuum.gateway.v1.InvokeRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Memory per function instance and activation rates: activates {@code instances} {@code counter}
 * instances on a one-node cluster, each by a call that adds 1 (which recovers the instance from the
 * journal, runs it and stores its reply), and measures the node's live heap with {@code jcmd
 * GC.class_histogram} (which runs a full GC first): while the instances run, and again once they
 * went idle and left their compact forms. Then it calls every instance again (reading its state,
 * which must be 1) to measure how fast idle instances serve again.
 */
@Command(
    name = "scale",
    description =
        "Memory per function instance, running and idle, and activation rates on one node.",
    mixinStandardHelpOptions = true)
final class ScaleScenario extends ScenarioCommand {

  private static final Pattern ROW =
      Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");
  private static final ByteString ONE = ByteString.copyFromUtf8("{\"total\":1}");

  @Option(names = "--gateway", defaultValue = "127.0.0.1:19290")
  String gateway;

  @Option(
      names = "--management",
      defaultValue = "http://127.0.0.1:18290",
      description = "The node's management HTTP, to count running instances.")
  String management;

  @Option(names = "--pid", required = true, description = "Process id of the node.")
  long pid;

  @Option(names = "--heap", defaultValue = "?", description = "The node's heap, for the table.")
  String heap;

  @Option(
      names = "--instances",
      defaultValue = "20000",
      description = "Instances to activate (default ${DEFAULT-VALUE}: a few minutes on 2 cores).")
  int instances;

  @Option(names = "--concurrency", defaultValue = "64", description = "Activations in flight.")
  int concurrency;

  @Option(
      names = "--idle-wait",
      defaultValue = "PT5M",
      description =
          "How long to wait for the instances to go idle (the node's idle-timeout and more).")
  Duration idleWait;

  @Override
  public Integer call() throws Exception {
    try (GrpcChannels channels = new GrpcChannels()) {
      FunctionServiceGrpc.FunctionServiceStub functions =
          FunctionServiceGrpc.newStub(channels.to(gateway));
      String prefix = "idle-" + System.currentTimeMillis() + "-";
      Batch.run("warm-up", 2000, concurrency, 0, addOne(functions, "warm-" + prefix));
      awaitIdle(); // the warm-up's instances, so that the baseline holds them idle
      String before = classHistogram();
      long heapBefore = parseHistogramTotal(before);
      System.out.printf("scale: live heap before %,d bytes%n", heapBefore);
      Map<String, Long> cpuBefore = cpuMeter().read();
      Batch.Outcome cold =
          Batch.run("activate", instances, concurrency, progress(), addOne(functions, prefix));
      double coldCpu = cpuMicrosPerCall(cpuBefore, cold);
      String running = classHistogram();
      long runningInstances = runningInstances();
      printGrowth("running", before, running, cold.operations());
      System.out.printf(
          "scale: %,d activated (%d errors) in %.1f s = %.0f/s; %,d running; live heap %,d bytes%n",
          cold.operations(),
          cold.errors(),
          cold.millis() / 1000,
          cold.throughput(),
          runningInstances,
          parseHistogramTotal(running));
      long idleAfterMillis = awaitIdle();
      String idle = classHistogram();
      printGrowth("idle", before, idle, cold.operations());
      cpuBefore = cpuMeter().read();
      Batch.Outcome warm =
          Batch.run("call again", instances, concurrency, progress(), readOne(functions, prefix));
      double warmCpu = cpuMicrosPerCall(cpuBefore, warm);
      System.out.printf(
          "scale: %,d idle instances served again (%d errors, first: %s) in %.1f s = %.0f/s%n",
          warm.operations(),
          warm.errors(),
          warm.firstError(),
          warm.millis() / 1000,
          warm.throughput());
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("instances", (double) cold.operations());
      metrics.put("errors", (double) (cold.errors() + warm.errors()));
      metrics.put("running_after", (double) runningInstances);
      metrics.put("activations_per_s", cold.throughput());
      metrics.put("activation_cpu_us", coldCpu);
      metrics.put("idle_served_again_per_s", warm.throughput());
      metrics.put("served_again_cpu_us", warmCpu);
      metrics.put("live_heap_before_mib", heapBefore / 1048576.0);
      metrics.put("bytes_per_running_instance", perInstance(running, heapBefore, cold));
      metrics.put("idle_after_s", idleAfterMillis / 1000.0);
      metrics.put("live_heap_idle_mib", parseHistogramTotal(idle) / 1048576.0);
      metrics.put("bytes_per_idle_instance", perInstance(idle, heapBefore, cold));
      record(
          "scale",
          String.format("%,d counter instances, one node, heap %s", instances, heap),
          "continuum",
          false,
          "each instance activated by a call adding 1 (journal recovery, one event, a stored"
              + " reply), measured running and again once idle (compact forms), then served again"
              + " by a state read checked to be 1; live heap after a full GC (jcmd"
              + " GC.class_histogram)",
          metrics,
          List.of(),
          1);
    }
    return 0;
  }

  /** The CPU of the system's processes per call of a batch since {@code before}, in µs. */
  private double cpuMicrosPerCall(Map<String, Long> before, Batch.Outcome outcome) {
    Double seconds = cpuMeter().seconds(before, cpuMeter().read()).get(CpuMeter.SYSTEM);
    double micros = seconds == null ? Double.NaN : seconds * 1e6 / outcome.operations();
    System.out.printf("scale: %.0f µs of CPU per call (node and journal)%n", micros);
    return micros;
  }

  private long progress() {
    return Math.max(1, instances / 10);
  }

  private static double perInstance(String histogram, long before, Batch.Outcome outcome) {
    return (parseHistogramTotal(histogram) - before) / (double) Math.max(1, outcome.operations());
  }

  private static Operation addOne(
      FunctionServiceGrpc.FunctionServiceStub functions, String prefix) {
    return (slot, seq) ->
        GrpcChannels.unary(
            functions::invoke,
            InvokeRequest.newBuilder()
                .setType("counter")
                .setId(prefix + seq)
                .setPayload(InvokeScenario.ADD_ONE)
                .build());
  }

  /** Reads an instance's state, failing unless it is the total 1 that {@link #addOne} left. */
  private static Operation readOne(
      FunctionServiceGrpc.FunctionServiceStub functions, String prefix) {
    return (slot, seq) ->
        GrpcChannels.unary(
                functions::getState,
                GetStateRequest.newBuilder().setType("counter").setId(prefix + seq).build())
            .thenApply(
                reply -> {
                  if (!reply.getState().equals(ONE)) {
                    throw new IllegalStateException(
                        "counter " + prefix + seq + " reads " + reply.getState().toStringUtf8());
                  }
                  return reply;
                });
  }

  /** Waits until no instance runs any more (all idle), at most {@code --idle-wait}. */
  private long awaitIdle() throws IOException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + idleWait.toNanos();
    long running;
    while ((running = runningInstances()) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(1000); // polls a remote process: nothing to wait on locally
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("scale: %,d instances still running after %.1f s%n", running, millis / 1e3);
    return millis;
  }

  /** Function instances running in the node's shard regions, as its management HTTP reports. */
  private long runningInstances() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(management + "/cluster/shards/Function")).build(),
                HttpResponse.BodyHandlers.ofString());
    long resident = 0;
    for (JsonNode region : Results.JSON.readTree(response.body()).path("regions")) {
      resident += region.path("numEntities").asLong();
    }
    return resident;
  }

  /** The classes whose live bytes grew most, per activated instance: where the memory goes. */
  private static void printGrowth(String phase, String before, String after, long instances) {
    Map<String, Long> grown = new HashMap<>();
    bytesByClass(after).forEach((type, bytes) -> grown.put(type, bytes));
    bytesByClass(before).forEach((type, bytes) -> grown.merge(type, -bytes, Long::sum));
    System.out.printf("scale: live bytes per %s instance by class (top 16):%n", phase);
    grown.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(16)
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
