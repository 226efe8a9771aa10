package io.continuum.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
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
    assertThat(ScaleScenario.bytesByClass(out)).containsExactly(java.util.Map.entry("[B", 640L));
    assertThatThrownBy(() -> ScaleScenario.parseHistogramTotal("no such process"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void profilesGroupFramesByTheirLeadingPackage() {
    assertThat(JfrSummaryCommand.packagePrefix("org.h2.mvstore.FileStore", 3))
        .isEqualTo("org.h2.mvstore");
    assertThat(JfrSummaryCommand.packagePrefix("java.lang.Thread", 3)).isEqualTo("java.lang");
  }
}
