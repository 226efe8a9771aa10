package io.continuum.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TopicStateTest {

  private static TopicEntity.Appended appended(long index, String producer, long seq) {
    return new TopicEntity.Appended(index, new byte[0], producer, seq, 0, "edge-a");
  }

  @Test
  void anonymousAppendOnlyAdvancesLatest() {
    TopicState state = TopicState.EMPTY.apply(appended(1, null, 0));

    assertThat(state.latest()).isEqualTo(1);
    assertThat(state.producers()).isEmpty();
  }

  @Test
  void producerAppendIsRememberedInItsWindow() {
    TopicState state = TopicState.EMPTY.apply(appended(1, "p", 7)).apply(appended(2, "q", 7));

    assertThat(state.latest()).isEqualTo(2);
    assertThat(state.windowOf("p").indexOf(7)).isEqualTo(OptionalLong.of(1));
    assertThat(state.windowOf("q").indexOf(7)).isEqualTo(OptionalLong.of(2));
    assertThat(state.windowOf("r").indexOf(7)).isEmpty();
  }

  @Test
  void forgetsTheLeastRecentlyAppendingProducerBeyondTheLimit() {
    TopicState state = TopicState.EMPTY;
    for (int i = 1; i <= TopicState.MAX_PRODUCERS; i++) {
      state = state.apply(appended(i, "p" + i, 1));
    }
    state = state.apply(appended(TopicState.MAX_PRODUCERS + 1, "p1", 2));

    state = state.apply(appended(TopicState.MAX_PRODUCERS + 2, "newcomer", 1));

    assertThat(state.producers()).hasSize(TopicState.MAX_PRODUCERS).containsKeys("p1", "newcomer");
    assertThat(state.producers()).doesNotContainKey("p2");
  }
}
