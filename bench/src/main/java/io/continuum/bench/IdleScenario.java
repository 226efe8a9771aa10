package io.continuum.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a cluster costs while nobody uses it: the CPU time of each of its processes (and their
 * children) over a quiet period, as a percentage of one core. Where that time goes is for {@code
 * bench/run --profile idle}.
 */
@Command(
    name = "idle",
    description = "CPU of an idle cluster, per process, in percent of one core.",
    mixinStandardHelpOptions = true)
final class IdleScenario extends ScenarioCommand {

  @Option(names = "--seconds", defaultValue = "60", description = "How long to measure.")
  int seconds;

  @Option(
      names = "--names",
      split = ",",
      description =
          "A name per process of --system-pids, in order, for the table. The first process is"
              + " the parent of the others (the cluster launcher): its figure is its own.")
  List<String> names = List.of();

  @Override
  public Integer call() throws Exception {
    Map<String, List<Long>> processes = new LinkedHashMap<>();
    processes.put(CpuMeter.SYSTEM, systemPids);
    for (int i = 0; i < systemPids.size(); i++) {
      processes.put(
          i < names.size() ? names.get(i) : "pid " + systemPids.get(i), List.of(systemPids.get(i)));
    }
    CpuMeter meter = new CpuMeter(java.nio.file.Path.of("/proc"), clockTicks, processes);
    Map<String, Long> before = meter.read();
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L); // the measurement is of doing nothing
    Map<String, Long> after = meter.read();
    double elapsed = (System.nanoTime() - start) / 1e9;
    Map<String, Double> metrics = new LinkedHashMap<>();
    Map<String, Double> cpu = meter.seconds(before, after);
    // The first process (the launcher) is the parent of the others: its own share is the rest.
    String first = processes.keySet().stream().skip(1).findFirst().orElseThrow();
    cpu.put(
        first,
        cpu.get(CpuMeter.SYSTEM)
            - cpu.entrySet().stream()
                .filter(e -> !e.getKey().equals(CpuMeter.SYSTEM) && !e.getKey().equals(first))
                .mapToDouble(Map.Entry::getValue)
                .sum());
    cpu.forEach(
        (process, seconds) -> {
          double percent = 100 * seconds / elapsed;
          System.out.printf("idle: %-12s %6.2f %% of one core%n", process, percent);
          metrics.put(
              process.equals(CpuMeter.SYSTEM) ? "cpu_percent_of_a_core" : process + "_percent",
              percent);
        });
    metrics.put("seconds", elapsed);
    record(
        "idle",
        "the cluster of bin/continuum dev (3 nodes, the embedded journal, the example apps), no"
            + " clients",
        "continuum",
        false,
        "CPU time of every process of the cluster over the quiet period, from /proc",
        metrics,
        List.of(),
        1);
    return 0;
  }
}
