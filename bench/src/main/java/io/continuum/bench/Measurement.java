package io.continuum.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the results: what one system did in one case of one scenario.
 *
 * @param scenario e.g. {@code publish}
 * @param backend the Continuum journal of the run ({@code embedded}, {@code cassandra}), or {@code
 *     -} when it does not matter
 * @param caseName the case within the scenario, e.g. {@code 16 producers}; rows of one case are
 *     compared
 * @param system e.g. {@code continuum}, {@code rabbitmq}
 * @param peer true for a reference row (a peer or a floor) that Continuum's rows are compared with
 * @param setting how the system was run, e.g. its durability (fsync or not)
 * @param metrics figures by name, e.g. {@code ops_per_s}, {@code p50_ms}
 * @param compare the metrics to give as ratios against the peers of the same case
 */
public record Measurement(
    String scenario,
    String backend,
    String caseName,
    String system,
    boolean peer,
    String setting,
    Map<String, Double> metrics,
    List<String> compare) {

  /** The metrics of a load-generator run. */
  public static Map<String, Double> metricsOf(LoadGenerator.Result result) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("ops_per_s", result.throughput());
    metrics.put("p50_ms", result.p50Millis());
    metrics.put("p99_ms", result.p99Millis());
    metrics.put("p999_ms", result.p999Millis());
    metrics.put("errors", (double) result.errors());
    return metrics;
  }

  /** The key of the group of rows that are compared with each other. */
  String group() {
    return scenario + " / " + backend + " / " + caseName;
  }
}
