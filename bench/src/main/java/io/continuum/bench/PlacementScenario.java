package io.continuum.bench;

import io.continuum.gateway.v1.FunctionServiceClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Placement routing: the same {@code counter} invocations (instances live in the cloud zone) sent
 * straight to a gateway of the instances' zone, and through a gateway in another zone that forwards
 * them across the cluster.
 */
@Command(
    name = "placement",
    description = "Invoke through a gateway in another zone vs straight to the right zone.",
    mixinStandardHelpOptions = true)
final class PlacementScenario extends ScenarioCommand {

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
    try (BenchClients clients = new BenchClients()) {
      FunctionServiceClient straight =
          FunctionServiceClient.create(clients.settings(direct), clients.system);
      FunctionServiceClient forwarded =
          FunctionServiceClient.create(clients.settings(remote), clients.system);
      for (int concurrency : load.concurrency) {
        String caseName = load.caseName(concurrency, "callers");
        LoadGenerator.Result home =
            LoadGenerator.run(
                "direct", load.plan(concurrency), InvokeScenario.counter(straight, "direct"));
        LoadGenerator.Result away =
            LoadGenerator.run(
                "via other zone",
                load.plan(concurrency),
                InvokeScenario.counter(forwarded, "forwarded"));
        record(
            "placement",
            caseName,
            "continuum, straight to the cloud gateway",
            true,
            "counter instances live in zone cloud; the call enters at a cloud node",
            home);
        Map<String, Double> metrics = new LinkedHashMap<>(Measurement.metricsOf(away));
        metrics.put("extra_p50_ms", away.p50Millis() - home.p50Millis());
        metrics.put("extra_p99_ms", away.p99Millis() - home.p99Millis());
        System.out.println("placement " + caseName + " via edge-a: " + away);
        record(
            "placement",
            caseName,
            "continuum, through the edge-a gateway",
            false,
            "the edge-a node forwards each call to the cloud node over cluster remoting",
            metrics,
            List.of("ops_per_s", "p50_ms", "p99_ms"));
      }
      straight.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      forwarded.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    return 0;
  }
}
