package io.continuum.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** What every scenario shares: where its measurements go and which journal the cluster runs. */
abstract class ScenarioCommand implements Callable<Integer> {

  @Option(
      names = "--results",
      defaultValue = "bench/target/results/measurements.jsonl",
      description = "File the measurements are appended to (default: ${DEFAULT-VALUE}).")
  Path resultsFile;

  @Option(
      names = "--backend",
      defaultValue = "embedded",
      description = "The cluster's journal, for the results table: embedded or cassandra.")
  String backend;

  private Results results;

  /** How durable Continuum's acknowledged writes are on this run's backend. */
  String journalSetting() {
    return backend.equals("cassandra")
        ? "Cassandra 5 (one node, testkit), commitlog_sync periodic, period 10 s: acked once the"
            + " commit log write reached the OS, fsync every 10 s"
        : "embedded H2 journal (MVStore over H2's TCP server, WRITE_DELAY=0): acked once the"
            + " commit is written to the OS, no fsync per write (survives a process crash, not a"
            + " power loss)";
  }

  Results results() {
    if (results == null) {
      results = new Results(resultsFile);
    }
    return results;
  }

  /** Records a load-generator run. */
  void record(
      String scenario,
      String caseName,
      String system,
      boolean peer,
      String setting,
      LoadGenerator.Result result) {
    System.out.println(scenario + " " + caseName + " " + system + ": " + result);
    record(
        scenario,
        caseName,
        system,
        peer,
        setting,
        Measurement.metricsOf(result),
        List.of("ops_per_s", "p50_ms", "p99_ms"));
  }

  /** Records any figures. */
  void record(
      String scenario,
      String caseName,
      String system,
      boolean peer,
      String setting,
      Map<String, Double> metrics,
      List<String> compare) {
    results()
        .add(new Measurement(scenario, backend, caseName, system, peer, setting, metrics, compare));
  }
}
