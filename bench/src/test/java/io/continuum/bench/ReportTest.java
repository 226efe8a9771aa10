package io.continuum.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  private static Measurement run(
      String backend, String caseName, String system, boolean peer, int run, double ops) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("ops_per_s", ops);
    metrics.put("errors", (double) run - 1);
    return new Measurement(
        "publish",
        backend,
        caseName,
        system,
        peer,
        system + " setting",
        metrics,
        List.of("ops_per_s"),
        run);
  }

  private static Measurement row(String caseName, String system, boolean peer, double ops) {
    return run(peer ? Report.NO_BACKEND : "embedded", caseName, system, peer, 1, ops);
  }

  @Test
  void theRunsOfACaseAreAggregatedToTheMedianWithMinAndMaxAndErrorsSummed() {
    List<Report.Row> rows =
        Report.aggregate(
            List.of(
                run("embedded", "1 producer", "continuum", false, 1, 100),
                run("embedded", "1 producer", "continuum", false, 2, 300),
                run("embedded", "1 producer", "continuum", false, 3, 200),
                run("embedded", "16 producers", "continuum", false, 1, 1000),
                run("embedded", "16 producers", "continuum", false, 2, 2000)));
    assertThat(rows).hasSize(2);
    Report.Row three = rows.get(0);
    assertThat(three.runs()).isEqualTo(3);
    assertThat(three.metrics().get("ops_per_s")).isEqualTo(new Stats(200, 100, 300, 3, false));
    // errors 0, 1 and 2: summed
    assertThat(three.metrics().get("errors").value()).isEqualTo(3);
    assertThat(three.metrics().get("ops_per_s").text()).isEqualTo("200 (100–300)");
    // an even number of runs: the mean of the middle two
    assertThat(rows.get(1).metrics().get("ops_per_s").value()).isEqualTo(1500);
  }

  @Test
  void statsShowTheRangeOnlyWhenTheRunsDiffer() {
    assertThat(Stats.of(List.of(12.5, 12.5, 12.5)).text()).isEqualTo("12.50");
    assertThat(Stats.of(List.of(1.234, 2.5, 0.5)).text()).isEqualTo("1.23 (0.50–2.50)");
    assertThat(Stats.median(new double[] {9, 1, 5, 7})).isEqualTo(6);
  }

  @Test
  void continuumRowsAreComparedWithThePeersOfTheirCaseOnBothBackends() {
    List<Report.Row> rows =
        Report.aggregate(
            List.of(
                row("1 producer", "continuum", false, 100),
                run("cassandra", "1 producer", "continuum", false, 1, 40),
                row("1 producer", "rabbitmq", true, 400),
                row("16 producers", "rabbitmq", true, 1000),
                // a reference of another backend is not Continuum-on-embedded's
                run("cassandra", "1 producer", "continuum, reference", true, 1, 10)));
    List<Report.Ratio> embedded = Report.ratios(rows.get(0), rows);
    assertThat(embedded).hasSize(1);
    assertThat(embedded.get(0).peer()).isEqualTo("rabbitmq");
    assertThat(embedded.get(0).ratio()).isCloseTo(0.25, within(1e-9));
    assertThat(embedded.get(0)).hasToString("rabbitmq ops/s 0.25×");
    List<Report.Ratio> cassandra = Report.ratios(rows.get(1), rows);
    assertThat(cassandra)
        .extracting(Report.Ratio::peer)
        .containsExactly("rabbitmq", "continuum, reference");
    assertThat(Report.ratios(rows.get(2), rows)).isEmpty();
    assertThat(Report.ratioText(0.004321)).isEqualTo("0.0043");
  }

  @Test
  void theTableHasCaseByCaseContinuumFirstThenThePeers() {
    List<Report.Row> ordered =
        Report.tableOrder(
            Report.aggregate(
                List.of(
                    row("1 producer", "continuum", false, 1),
                    row("16 producers", "continuum", false, 1),
                    row("1 producer", "rabbitmq", true, 1),
                    row("16 producers", "rabbitmq", true, 1),
                    run("cassandra", "1 producer", "continuum", false, 1, 1))));
    assertThat(ordered)
        .extracting(r -> r.caseName() + " " + r.system() + " " + r.backend())
        .containsExactly(
            "1 producer continuum embedded",
            "1 producer continuum cassandra",
            "1 producer rabbitmq -",
            "16 producers continuum embedded",
            "16 producers rabbitmq -");
  }

  @Test
  void theTableHasEveryRowItsRangeCpuRatioAndSettingsAndTheJsonEveryRun(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("measurements.jsonl");
    Results results = new Results(file);
    for (int r = 1; r <= 3; r++) {
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("cpu_us_per_op", 50.0);
      metrics.put("ops_per_s", 100.0 * r);
      results.add(
          new Measurement(
              "publish",
              "embedded",
              "1 producer",
              "continuum",
              false,
              "",
              metrics,
              List.of("ops_per_s", "cpu_us_per_op"),
              r));
    }
    results.add(
        new Measurement(
            "publish",
            Report.NO_BACKEND,
            "1 producer",
            "nats-jetstream",
            true,
            "nats-jetstream setting",
            Map.of("ops_per_s", 50.0, "cpu_us_per_op", 10.0),
            List.of("ops_per_s")));
    Path md = Report.write(file, List.of("warm-up 20 s, 3 runs of 10 s"));
    String table = Files.readString(md);
    assertThat(table)
        .contains("| backend | case | system | runs | ops/s | CPU µs/op | vs peer |")
        .contains(
            "| embedded | 1 producer | continuum | 3 | 200 (100–300) | 50 |"
                + " nats-jetstream ops/s 4.00×; nats-jetstream CPU µs/op 5.00× |")
        .contains("| - | 1 producer | nats-jetstream | 1 | 50 | 10 |  |")
        .contains("- nats-jetstream: nats-jetstream setting")
        .contains("- warm-up 20 s, 3 runs of 10 s")
        .contains("processors (nproc)");
    String json = Files.readString(dir.resolve("results.json"));
    assertThat(Results.JSON.readTree(json).get("runs")).hasSize(4);
    assertThat(Results.JSON.readTree(json).get("results")).hasSize(2);
    assertThat(json).contains("\"ratio\" : 4.0");
  }
}
