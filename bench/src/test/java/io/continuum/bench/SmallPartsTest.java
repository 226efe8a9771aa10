package io.continuum.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

  @Test
  void payloadsAreJsonOfTheExactSize() throws Exception {
    byte[] payload = Payloads.json("k7", 1024);
    assertThat(payload).hasSize(1024);
    assertThat(new ObjectMapper().readTree(payload).get("key").asText()).isEqualTo("k7");
    assertThatThrownBy(() -> Payloads.json("k7", 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chunkSumsAreDeterministicAndCoverEveryValue() {
    long[] sums = AllReduceScenario.chunkSums(10_000, 10, 42);
    assertThat(sums).hasSize(10).isEqualTo(AllReduceScenario.chunkSums(10_000, 10, 42));
    assertThat(Arrays.stream(sums).sum()).isNotEqualTo(0);
    assertThatThrownBy(() -> AllReduceScenario.chunkSums(10, 3, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLiveHeapIsTheTotalOfTheClassHistogram() {
    String out =
        "1234:\n num     #instances         #bytes  class name (module)\n"
            + "   1:         10         640  [B (java.base)\n"
            + "Total          5120      987654\n";
    assertThat(ScaleScenario.parseHistogramTotal(out)).isEqualTo(987654L);
    assertThat(ScaleScenario.bytesByClass(out)).containsExactly(Map.entry("[B", 640L));
    assertThatThrownBy(() -> ScaleScenario.parseHistogramTotal("no such process"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void profilesGroupFramesByTheirLeadingPackage() {
    assertThat(JfrSummaryCommand.packagePrefix("org.h2.mvstore.FileStore", 3))
        .isEqualTo("org.h2.mvstore");
    assertThat(JfrSummaryCommand.packagePrefix("java.lang.Thread", 3)).isEqualTo("java.lang");
  }

  private static LoadGenerator.Result result(long operations, double throughput) {
    return new LoadGenerator.Result(operations, 0, 10, throughput, 1, 2, 3, 4, Map.of());
  }

  @Test
  void theOpenLoopRunsAtAFractionOfTheMedianClosedLoopThroughput() {
    List<LoadGenerator.Result> closed =
        List.of(result(5000, 500), result(9000, 900), result(6000, 600));
    assertThat(LoadOptions.openLoopRate(closed, 0.5)).isEqualTo(300);
    // never below 1/s, however slow the closed loop was
    assertThat(LoadOptions.openLoopRate(List.of(result(1, 0.1)), 0.5)).isEqualTo(1);
  }

  @Test
  void caseNamesSayHowManyCallersAndTheOpenLoopItsFraction() {
    LoadOptions options = new LoadOptions();
    options.openLoopFraction = 0.5;
    assertThat(LoadOptions.caseName(1, "producers")).isEqualTo("1 producer");
    assertThat(LoadOptions.caseName(16, "producers")).isEqualTo("16 producers");
    assertThat(options.openCaseName("16 producers, 1024 B"))
        .isEqualTo("16 producers, 1024 B, open loop at 50% of max");
  }

  @Test
  void aRunsMetricsHaveTheCpuPerOperationOfTheSystemWithAndWithoutCassandraAndOfTheClient() {
    LoadGenerator.Result run =
        new LoadGenerator.Result(
            1000,
            2,
            10,
            100,
            1,
            2,
            3,
            4,
            Map.of(CpuMeter.SYSTEM, 0.5, CpuMeter.CASSANDRA, 0.25, CpuMeter.CLIENT, 0.1));
    assertThat(Measurement.metricsOf(run))
        .containsEntry("ops_per_s", 100.0)
        .containsEntry("errors", 2.0)
        .containsEntry("cpu_us_per_op", 500.0)
        .containsEntry("cpu_with_cassandra_us_per_op", 750.0)
        .containsEntry("client_cpu_us_per_op", 100.0);
    // a peer: no Cassandra, so no such column
    assertThat(
            Measurement.metricsOf(
                new LoadGenerator.Result(
                    1000, 0, 10, 100, 1, 2, 3, 4, Map.of(CpuMeter.SYSTEM, 0.5))))
        .containsEntry("cpu_us_per_op", 500.0)
        .doesNotContainKeys("cpu_with_cassandra_us_per_op", "client_cpu_us_per_op");
    // a run that completed nothing: no latencies, no CPU per operation
    assertThat(
            Measurement.metricsOf(
                new LoadGenerator.Result(0, 5, 10, 0, 0, 0, 0, 0, Map.of(CpuMeter.SYSTEM, 0.5))))
        .containsOnlyKeys("ops_per_s", "errors");
  }
}
