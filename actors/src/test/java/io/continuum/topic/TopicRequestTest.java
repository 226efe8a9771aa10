package io.continuum.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicRequestTest {

  private static final TopicSpec EXISTING = new TopicSpec("sensors", "edge-a", 100_000, 1_048_576);

  @Test
  void withDefaultsFillsOnlyWhatTheRequestLeavesOpen() {
    TopicRequest request = new TopicRequest("sensors", null, 500L, null);

    assertThat(request.withDefaults("cloud", 100_000, 1024))
        .isEqualTo(new TopicSpec("sensors", "cloud", 500, 1024));
  }

  @Test
  void withDefaultsKeepsEveryOptionTheRequestSets() {
    TopicRequest request = new TopicRequest("sensors", "edge-a", 500L, 64);

    assertThat(request.withDefaults("cloud", 100_000, 1024))
        .isEqualTo(new TopicSpec("sensors", "edge-a", 500, 64));
  }

  @Test
  void requestSettingNothingMatchesAnyExistingTopic() {
    assertThat(new TopicRequest("sensors", null, null, null).conflictsWith(EXISTING)).isEmpty();
  }

  @Test
  void requestSettingTheSameOptionsMatches() {
    // Values outside the Long/Integer box caches: compared by value, not by reference.
    TopicRequest request =
        new TopicRequest("sensors", "edge-a", Long.valueOf(100_000), Integer.valueOf(1_048_576));

    assertThat(request.conflictsWith(EXISTING)).isEmpty();
  }

  @Test
  void namesADifferentZone() {
    assertThat(new TopicRequest("sensors", "cloud", null, null).conflictsWith(EXISTING))
        .containsExactly("zone edge-a (asked cloud)");
  }

  @Test
  void namesADifferentHistory() {
    assertThat(new TopicRequest("sensors", null, 10L, null).conflictsWith(EXISTING))
        .containsExactly("history 100000 (asked 10)");
  }

  @Test
  void namesADifferentMaxEntrySize() {
    assertThat(new TopicRequest("sensors", null, null, 64).conflictsWith(EXISTING))
        .containsExactly("max entry bytes 1048576 (asked 64)");
  }

  @Test
  void namesEveryDifferenceInOrder() {
    assertThat(new TopicRequest("sensors", "cloud", 10L, 64).conflictsWith(EXISTING))
        .containsExactly(
            "zone edge-a (asked cloud)",
            "history 100000 (asked 10)",
            "max entry bytes 1048576 (asked 64)");
  }
}
