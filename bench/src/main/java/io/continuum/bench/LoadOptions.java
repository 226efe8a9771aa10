package io.continuum.bench;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The load-generator options that every load scenario takes. */
final class LoadOptions {

  @Option(
      names = "--concurrency",
      split = ",",
      defaultValue = "1,16",
      description = "Callers (closed loop) or most in flight (open loop), comma-separated runs.")
  List<Integer> concurrency;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Open loop at this many operations per second; 0: closed loop (default).")
  double rate;

  @Option(names = "--warmup", defaultValue = "2", description = "Warm-up seconds (not measured).")
  int warmUpSeconds;

  @Option(names = "--duration", defaultValue = "5", description = "Measured seconds.")
  int durationSeconds;

  LoadGenerator.Plan plan(int concurrency) {
    return new LoadGenerator.Plan(
        concurrency, rate, Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(durationSeconds));
  }

  /**
   * The case name of a run, e.g. {@code 1 producer}, {@code 16 producers} or {@code 16 producers,
   * 500/s open loop}.
   *
   * @param callers plural, e.g. {@code producers}
   */
  String caseName(int concurrency, String callers) {
    String name =
        concurrency
            + " "
            + (concurrency == 1 ? callers.substring(0, callers.length() - 1) : callers);
    return rate > 0 ? name + String.format(", %.0f/s open loop", rate) : name;
  }
}
