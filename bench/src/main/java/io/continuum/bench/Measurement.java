package io.continuum.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the results: what one system did in one run of one case of one scenario.
 *
 * @param scenario e.g. {@code publish}
 * @param backend the Continuum journal of the run ({@code embedded}, {@code cassandra}), or {@code
 *     -} for a system that has none (a peer, a floor)
 * @param caseName the case within the scenario, e.g. {@code 16 producers}; rows of one case are
 *     compared
 * @param system e.g. {@code continuum}, {@code rabbitmq}
 * @param peer true for a reference row (a peer or a floor) that Continuum's rows are compared with
 * @param setting how the system was run, e.g. its durability (fsync or not)
 * @param metrics figures by name, e.g. {@code ops_per_s}, {@code p50_ms}
 * @param compare the metrics to give as ratios against the peers of the same case
 * @param run the run within the case, from 1; the report aggregates the runs of a case
 */
public record Measurement(
    String scenario,
    String backend,
    String caseName,
    String system,
    boolean peer,
    String setting,
    Map<String, Double> metrics,
    List<String> compare,
    int run) {

  /** The only run of its case. */
  public Measurement(
      String scenario,
      String backend,
      String caseName,
      String system,
      boolean peer,
      String setting,
      Map<String, Double> metrics,
      List<String> compare) {
    this(scenario, backend, caseName, system, peer, setting, metrics, compare, 1);
  }

  /**
   * The metrics of a load-generator run: throughput, latencies (when an operation completed),
   * errors, and the CPU per operation of the system under test ({@code cpu_us_per_op}), with
   * Cassandra's when the system journals to it ({@code cpu_with_cassandra_us_per_op}), and of the
   * load generator itself ({@code client_cpu_us_per_op}), where they were measured.
   */
  public static Map<String, Double> metricsOf(LoadGenerator.Result result) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("ops_per_s", result.throughput());
    if (result.operations() > 0) {
      // a run that completed nothing has no latencies (not latencies of 0)
      metrics.put("p50_ms", result.p50Millis());
      metrics.put("p99_ms", result.p99Millis());
      metrics.put("p999_ms", result.p999Millis());
    }
    metrics.put("errors", (double) result.errors());
    putIfKnown(metrics, "cpu_us_per_op", result.cpuMicrosPerOperation(CpuMeter.SYSTEM));
    putIfKnown(
        metrics,
        "cpu_with_cassandra_us_per_op",
        result.cpuMicrosPerOperation(CpuMeter.SYSTEM, CpuMeter.CASSANDRA));
    putIfKnown(metrics, "client_cpu_us_per_op", result.cpuMicrosPerOperation(CpuMeter.CLIENT));
    return metrics;
  }

  private static void putIfKnown(Map<String, Double> metrics, String name, Double value) {
    if (value != null) {
      metrics.put(name, value);
    }
  }

  /** The key of the runs of one system in one case. */
  String key() {
    return scenario + " / " + backend + " / " + caseName + " / " + system;
  }
}
