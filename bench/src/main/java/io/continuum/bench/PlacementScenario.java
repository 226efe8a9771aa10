package io.continuum.bench;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Placement routing: the same {@code counter} invocations (instances live in the cloud zone) sent
 * straight to a gateway of the instances' zone, and through a gateway in another zone that forwards
 * them across the cluster. The open-loop case runs both at half of the straight path's throughput,
 * so that their latencies are compared at the same load.
 */
@Command(
    name = "placement",
    description = "Invoke through a gateway in another zone vs straight to the right zone.",
    mixinStandardHelpOptions = true)
final class PlacementScenario extends ScenarioCommand {

  static final String STRAIGHT = "continuum, straight to the cloud gateway";
  static final String FORWARDED = "continuum, through the edge-a gateway";

  @Mixin LoadOptions load;

  @Option(
      names = "--direct",
      defaultValue = "127.0.0.1:19092",
      description = "Gateway in the instances' zone (cloud).")
  String direct;

  @Option(
      names = "--remote",
      defaultValue = "127.0.0.1:19090",
      description = "Gateway in another zone (edge-a).")
  String remote;

  @Override
  public Integer call() throws Exception {
    try (GrpcChannels channels = new GrpcChannels()) {
      for (int concurrency : load.concurrency) {
        String caseName = LoadOptions.caseName(concurrency, "callers");
        Operation straight = InvokeScenario.counter(channels.to(direct), "direct", concurrency);
        Operation forwarded = InvokeScenario.counter(channels.to(remote), "forwarded", concurrency);
        List<LoadGenerator.Result> home =
            LoadGenerator.run("direct", load.plan(concurrency), straight, cpuMeter());
        List<LoadGenerator.Result> away =
            LoadGenerator.run("via other zone", load.plan(concurrency), forwarded, cpuMeter());
        recordBoth(caseName, home, away, Map.of(), CLOSED_COMPARE);
        if (load.openLoopFraction > 0 && concurrency == load.openLoopConcurrency()) {
          double rate = LoadOptions.openLoopRate(home, load.openLoopFraction);
          recordBoth(
              load.openCaseName(caseName),
              LoadGenerator.run("direct", load.openPlan(concurrency, rate), straight, cpuMeter()),
              LoadGenerator.run(
                  "via other zone", load.openPlan(concurrency, rate), forwarded, cpuMeter()),
              Map.of("rate_per_s", rate),
              OPEN_COMPARE);
        }
      }
    }
    return 0;
  }

  private void recordBoth(
      String caseName,
      List<LoadGenerator.Result> home,
      List<LoadGenerator.Result> away,
      Map<String, Double> extra,
      List<String> compare) {
    recordRuns(
        "placement",
        caseName,
        STRAIGHT,
        true,
        "counter instances live in zone cloud; the call enters at a cloud node",
        home,
        extra,
        compare);
    recordRuns(
        "placement",
        caseName,
        FORWARDED,
        false,
        "the edge-a node forwards each call to the cloud node over cluster remoting",
        away,
        extra,
        compare);
  }
}
