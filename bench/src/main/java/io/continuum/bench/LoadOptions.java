package io.continuum.bench;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The load-generator options that every load scenario takes. */
final class LoadOptions {

  @Option(
      names = "--concurrency",
      split = ",",
      defaultValue = "1,16",
      description = "Callers (closed loop), comma-separated cases (default: ${DEFAULT-VALUE}).")
  List<Integer> concurrency;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      description = "Warm-up seconds before the runs of each case, not measured (default: 20).")
  int warmUpSeconds;

  @Option(
      names = "--duration",
      defaultValue = "10",
      description = "Measured seconds of each run (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "Measured runs of each case, back to back after the warm-up (default: 3).")
  int runs;

  @Option(
      names = "--open-loop",
      defaultValue = "0.5",
      description =
          "After the closed-loop runs of the largest concurrency, an open-loop case at this"
              + " fraction of their median ops/s, same concurrency; 0: none (default: 0.5).")
  double openLoopFraction;

  /** The closed loop with {@code concurrency} callers. */
  LoadGenerator.Plan plan(int concurrency) {
    return new LoadGenerator.Plan(
        concurrency,
        0,
        Duration.ofSeconds(warmUpSeconds),
        Duration.ofSeconds(durationSeconds),
        runs);
  }

  /** The open loop at {@code rate} per second, at most {@code concurrency} in flight. */
  LoadGenerator.Plan openPlan(int concurrency, double rate) {
    return new LoadGenerator.Plan(
        concurrency,
        rate,
        Duration.ofSeconds(warmUpSeconds),
        Duration.ofSeconds(durationSeconds),
        runs);
  }

  /** The concurrency after whose closed-loop runs the open loop runs. */
  int openLoopConcurrency() {
    return Collections.max(concurrency);
  }

  /**
   * The rate of the open-loop case: {@code fraction} of the median throughput of the closed-loop
   * runs, at least 1 per second.
   */
  static double openLoopRate(List<LoadGenerator.Result> closedRuns, double fraction) {
    double[] throughputs =
        closedRuns.stream().mapToDouble(LoadGenerator.Result::throughput).sorted().toArray();
    return Math.max(1, Math.round(Stats.median(throughputs) * fraction));
  }

  /**
   * The case name of a closed-loop run, e.g. {@code 1 producer} or {@code 16 producers}.
   *
   * @param callers plural, e.g. {@code producers}
   */
  static String caseName(int concurrency, String callers) {
    return concurrency
        + " "
        + (concurrency == 1 ? callers.substring(0, callers.length() - 1) : callers);
  }

  /**
   * The case name of the open loop after a closed-loop case, e.g. {@code ..., open loop at 50%}.
   */
  String openCaseName(String closedCase) {
    return String.format(
        Locale.ROOT, "%s, open loop at %.0f%% of max", closedCase, openLoopFraction * 100);
  }
}
