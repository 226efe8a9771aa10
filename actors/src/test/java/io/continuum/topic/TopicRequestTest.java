package io.continuum.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TopicRequestTest {

  private static final Duration TWO_MINUTES = Duration.ofMinutes(2);

  private static final TopicSpec EXISTING =
      new TopicSpec("sensors", "edge-a", 100_000, 1_048_576, TWO_MINUTES);

  @Test
  void withDefaultsFillsOnlyWhatTheRequestLeavesOpen() {
    TopicRequest request = new TopicRequest("sensors", null, 500L, null, null);

    assertThat(request.withDefaults("cloud", 100_000, 1024, TWO_MINUTES))
        .isEqualTo(new TopicSpec("sensors", "cloud", 500, 1024, TWO_MINUTES));
  }

  @Test
  void withDefaultsKeepsEveryOptionTheRequestSets() {
    TopicRequest request = new TopicRequest("sensors", "edge-a", 500L, 64, Duration.ofSeconds(5));

    assertThat(request.withDefaults("cloud", 100_000, 1024, TWO_MINUTES))
        .isEqualTo(new TopicSpec("sensors", "edge-a", 500, 64, Duration.ofSeconds(5)));
  }

  @Test
  void requestSettingNothingMatchesAnyExistingTopic() {
    assertThat(new TopicRequest("sensors", null, null, null, null).conflictsWith(EXISTING))
        .isEmpty();
  }

  @Test
  void requestSettingTheSameOptionsMatches() {
    // Values outside the Long/Integer box caches: compared by value, not by reference.
    TopicRequest request =
        new TopicRequest(
            "sensors",
            "edge-a",
            Long.valueOf(100_000),
            Integer.valueOf(1_048_576),
            Duration.ofSeconds(120));

    assertThat(request.conflictsWith(EXISTING)).isEmpty();
  }

  @Test
  void namesADifferentZone() {
    assertThat(new TopicRequest("sensors", "cloud", null, null, null).conflictsWith(EXISTING))
        .containsExactly("zone edge-a (asked cloud)");
  }

  @Test
  void namesADifferentHistory() {
    assertThat(new TopicRequest("sensors", null, 10L, null, null).conflictsWith(EXISTING))
        .containsExactly("history 100000 (asked 10)");
  }

  @Test
  void namesADifferentMaxEntrySize() {
    assertThat(new TopicRequest("sensors", null, null, 64, null).conflictsWith(EXISTING))
        .containsExactly("max entry bytes 1048576 (asked 64)");
  }

  @Test
  void namesADifferentDuplicateWindow() {
    assertThat(
            new TopicRequest("sensors", null, null, null, Duration.ofMinutes(5))
                .conflictsWith(EXISTING))
        .containsExactly("duplicate window 2m (asked 5m)");
  }

  @Test
  void namesEveryDifferenceInOrder() {
    assertThat(
            new TopicRequest("sensors", "cloud", 10L, 64, Duration.ofMillis(1500))
                .conflictsWith(EXISTING))
        .containsExactly(
            "zone edge-a (asked cloud)",
            "history 100000 (asked 10)",
            "max entry bytes 1048576 (asked 64)",
            "duplicate window 2m (asked 1500ms)");
  }
}
