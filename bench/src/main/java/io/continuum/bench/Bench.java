package io.continuum.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark harness: {@code Bench <scenario> [options]}. Scenarios measure a running cluster
 * (and its peers) and append their figures to a results file; {@code report} turns that file into
 * the Markdown and JSON tables. {@code bench/run} starts what each scenario needs and calls these.
 */
@Command(
    name = "bench",
    description = "Continuum benchmarks, side by side with their peers.",
    mixinStandardHelpOptions = true,
    subcommands = {
      PublishScenario.class,
      InvokeScenario.class,
      AllReduceScenario.class,
      PlacementScenario.class,
      ScaleScenario.class,
      IdleScenario.class,
      TriggerScenario.class,
      ClusterCommand.class,
      EchoServerCommand.class,
      JfrSummaryCommand.class,
      Bench.ReportCommand.class
    })
public final class Bench implements Callable<Integer> {

  private Bench() {}

  /** Runs a subcommand and exits with its status. */
  public static void main(String[] args) {
    // A later option overrides an earlier one: bench/run passes the global timing first and a
    // scenario's BENCH_<SCENARIO>_OPTS after it.
    int status = new CommandLine(new Bench()).setOverwrittenOptionsAllowed(true).execute(args);
    System.exit(status);
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 2;
  }

  /** Writes {@code results.md} and {@code results.json} from the measurements file. */
  @Command(
      name = "report",
      description = "Write results.md and results.json next to the measurements.",
      mixinStandardHelpOptions = true)
  static final class ReportCommand implements Callable<Integer> {

    @Option(names = "--results", defaultValue = "bench/target/results/measurements.jsonl")
    Path results;

    @Option(
        names = "--method",
        description = "A line on how the figures were taken, for the report (repeatable).")
    List<String> method = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      Path md = Report.write(results, method);
      System.out.println(java.nio.file.Files.readString(md));
      System.out.println("written: " + md + " and results.json");
      return 0;
    }
  }
}
