package io.continuum.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What every scenario shares: where its measurements go, which journal the cluster runs, the
 * processes whose CPU time is the system's, and the closed- and open-loop cases of a load.
 */
abstract class ScenarioCommand implements Callable<Integer> {

  /** The figures of a closed-loop case compared with the peers. */
  static final List<String> CLOSED_COMPARE =
      List.of("ops_per_s", "p50_ms", "p99_ms", "cpu_us_per_op");

  /** The figures of an open-loop case compared with the peers: each runs at its own rate. */
  static final List<String> OPEN_COMPARE = List.of("p50_ms", "p99_ms", "p999_ms", "cpu_us_per_op");

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

  @Option(
      names = "--system-pids",
      split = ",",
      description =
          "Every process of the system under test (their descendants are included): its CPU per"
              + " operation is their CPU time over a run.")
  List<Long> systemPids = new ArrayList<>();

  @Option(
      names = "--cassandra-pids",
      split = ",",
      description = "Cassandra's processes, reported as CPU per operation with Cassandra.")
  List<Long> cassandraPids = new ArrayList<>();

  @Option(
      names = "--clock-ticks",
      defaultValue = "100",
      description = "The unit of /proc/<pid>/stat times, getconf CLK_TCK (default: 100).")
  long clockTicks;

  private Results results;
  private CpuMeter cpu;

  /** Opens what drives one case: a publisher or a client of the system, for its concurrency. */
  @FunctionalInterface
  interface CaseTarget {
    Operation open(int concurrency) throws Exception;
  }

  /** How durable Continuum's acknowledged writes are on this run's backend. */
  String journalSetting() {
    return backend.equals("cassandra")
        ? "Cassandra 5 (one node, testkit), commitlog_sync periodic, period 10 s: acked once the"
            + " commit log write reached the OS, fsync every 10 s"
        : "embedded journal (LMDB, served by the cluster launcher, group commit, fsync periodic"
            + " 1 s): acked once the commit is written to the OS (survives a process crash; a power"
            + " loss loses at most the last second)";
  }

  Results results() {
    if (results == null) {
      results = new Results(resultsFile);
    }
    return results;
  }

  /** The meter of the system's processes (when given), Cassandra's, and this process's. */
  CpuMeter cpuMeter() {
    if (cpu == null) {
      Map<String, List<Long>> groups = new LinkedHashMap<>();
      if (!systemPids.isEmpty()) {
        groups.put(CpuMeter.SYSTEM, systemPids);
      }
      if (!cassandraPids.isEmpty()) {
        groups.put(CpuMeter.CASSANDRA, cassandraPids);
      }
      cpu = CpuMeter.ofThisMachine(clockTicks, groups);
    }
    return cpu;
  }

  /**
   * Measures one system under a load: for each concurrency, the closed-loop runs after a warm-up;
   * after those of the largest concurrency, the open-loop runs at a fraction of their median
   * throughput with the same operation. Every run is recorded.
   *
   * @param callers plural, for the case name, e.g. {@code producers}
   * @param caseSuffix appended to the case name, e.g. {@code , 1024 B}
   */
  void measureLoad(
      String scenario,
      LoadOptions load,
      String callers,
      String caseSuffix,
      String system,
      boolean peer,
      String setting,
      CaseTarget target)
      throws Exception {
    for (int concurrency : load.concurrency) {
      String caseName = LoadOptions.caseName(concurrency, callers) + caseSuffix;
      Operation operation = target.open(concurrency);
      try {
        List<LoadGenerator.Result> closed =
            LoadGenerator.run(
                scenario + " " + system, load.plan(concurrency), operation, cpuMeter());
        recordRuns(scenario, caseName, system, peer, setting, closed, Map.of(), CLOSED_COMPARE);
        if (load.openLoopFraction > 0 && concurrency == load.openLoopConcurrency()) {
          double rate = LoadOptions.openLoopRate(closed, load.openLoopFraction);
          List<LoadGenerator.Result> open =
              LoadGenerator.run(
                  scenario + " " + system, load.openPlan(concurrency, rate), operation, cpuMeter());
          recordRuns(
              scenario,
              load.openCaseName(caseName),
              system,
              peer,
              setting,
              open,
              Map.of("rate_per_s", rate),
              OPEN_COMPARE);
        }
      } finally {
        if (operation instanceof AutoCloseable closeable) {
          closeable.close();
        }
      }
    }
  }

  /** Records each run of a case, with {@code extra} figures beside the load generator's. */
  void recordRuns(
      String scenario,
      String caseName,
      String system,
      boolean peer,
      String setting,
      List<LoadGenerator.Result> runs,
      Map<String, Double> extra,
      List<String> compare) {
    for (int i = 0; i < runs.size(); i++) {
      LoadGenerator.Result result = runs.get(i);
      System.out.println(
          scenario + " " + caseName + " " + system + " run " + (i + 1) + ": " + result);
      Map<String, Double> metrics = new LinkedHashMap<>(Measurement.metricsOf(result));
      metrics.putAll(extra);
      record(scenario, caseName, system, peer, setting, metrics, compare, i + 1);
    }
  }

  /**
   * Records any figures of one run. A system other than Continuum has no backend: it is compared
   * with Continuum on every backend.
   */
  void record(
      String scenario,
      String caseName,
      String system,
      boolean peer,
      String setting,
      Map<String, Double> metrics,
      List<String> compare,
      int run) {
    String rowBackend = system.startsWith("continuum") ? backend : Report.NO_BACKEND;
    results()
        .add(
            new Measurement(
                scenario, rowBackend, caseName, system, peer, setting, metrics, compare, run));
  }
}
