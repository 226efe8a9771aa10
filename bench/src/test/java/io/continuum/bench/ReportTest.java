package io.continuum.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  private static Measurement row(String caseName, String system, boolean peer, double ops) {
    return new Measurement(
        "publish",
        "embedded",
        caseName,
        system,
        peer,
        system + " setting",
        Map.of("ops_per_s", ops),
        List.of("ops_per_s"));
  }

  @Test
  void continuumRowsAreComparedWithThePeersOfTheirCaseOnly() {
    Measurement ours = row("1 producer", "continuum", false, 100);
    List<Measurement> all =
        List.of(
            ours,
            row("1 producer", "rabbitmq", true, 400),
            row("16 producers", "rabbitmq", true, 1000));
    List<Report.Ratio> ratios = Report.ratios(ours, all);
    assertThat(ratios).hasSize(1);
    assertThat(ratios.get(0).peer()).isEqualTo("rabbitmq");
    assertThat(ratios.get(0).ratio()).isCloseTo(0.25, within(1e-9));
    assertThat(Report.ratios(all.get(1), all)).isEmpty();
    assertThat(ratios.get(0)).hasToString("rabbitmq ops/s 0.25×");
    assertThat(Report.ratioText(0.004321)).isEqualTo("0.0043");
  }

  @Test
  void theTableHasEveryRowItsRatioAndTheSettings(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("measurements.jsonl");
    Results results = new Results(file);
    results.add(row("1 producer", "continuum", false, 100));
    results.add(row("1 producer", "nats-jetstream", true, 50));
    Path md = Report.write(file);
    String table = Files.readString(md);
    assertThat(table)
        .contains("| embedded | 1 producer | continuum | 100 | nats-jetstream ops/s 2.00× |")
        .contains("- nats-jetstream: nats-jetstream setting")
        .contains("processors (nproc)");
    assertThat(Files.readString(dir.resolve("results.json"))).contains("\"ratio\" : 2.0");
  }
}
