package io.continuum.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TopicStateTest {

  private static final DuplicateWindow ONE_SECOND =
      new DuplicateWindow(Duration.ofSeconds(1), 100_000, 1000);

  private static TopicEntity.Appended appended(
      long index, String producer, long seq, long publishedAt) {
    return new TopicEntity.Appended(index, new byte[0], producer, seq, publishedAt, "edge-a");
  }

  @Test
  void anonymousAppendOnlyAdvancesLatest() {
    TopicState state = TopicState.EMPTY.apply(appended(1, null, 0, 0), ONE_SECOND);

    assertThat(state.latest()).isEqualTo(1);
    assertThat(state.zone()).isEqualTo("edge-a");
    assertThat(state.producers().size()).isZero();
  }

  @Test
  void producerAppendIsRememberedWithItsIndex() {
    TopicState state =
        TopicState.EMPTY
            .apply(appended(1, "p", 7, 0), ONE_SECOND)
            .apply(appended(2, "q", 7, 0), ONE_SECOND);

    assertThat(state.latest()).isEqualTo(2);
    assertThat(state.producers().indexOf("p", 7)).isEqualTo(OptionalLong.of(1));
    assertThat(state.producers().indexOf("q", 7)).isEqualTo(OptionalLong.of(2));
    assertThat(state.producers().indexOf("r", 7)).isEmpty();
  }

  @Test
  void anAnonymousAppendMakesTheWindowForgetWhatIsOlder() {
    TopicState state =
        TopicState.EMPTY
            .apply(appended(1, "p", 7, 0), ONE_SECOND)
            .apply(appended(2, null, 0, 1_001), ONE_SECOND);

    assertThat(state.producers().indexOf("p", 7)).isEmpty();
    assertThat(state.producers().isForgotten("p", 7)).isTrue();
  }
}
