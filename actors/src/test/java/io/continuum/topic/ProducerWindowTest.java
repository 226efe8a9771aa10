package io.continuum.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProducerWindowTest {

  /** A window that remembered sequence numbers {@code from..to}, each appended at index seq*10. */
  private static ProducerWindow window(long from, long to) {
    ProducerWindow window = ProducerWindow.EMPTY;
    for (long seq = from; seq <= to; seq++) {
      window = window.with(seq, seq * 10);
    }
    return window;
  }

  @Test
  void emptyWindowKnowsNothingAndRefusesNothing() {
    assertThat(ProducerWindow.EMPTY.indexOf(1)).isEmpty();
    assertThat(ProducerWindow.EMPTY.isTooOld(0)).isFalse();
    assertThat(ProducerWindow.EMPTY.lastIndex()).isZero();
  }

  @Test
  void remembersTheIndexEachSequenceWasAppendedAt() {
    ProducerWindow window = ProducerWindow.EMPTY.with(1, 7).with(2, 9);

    assertThat(window.indexOf(1)).isEqualTo(OptionalLong.of(7));
    assertThat(window.indexOf(2)).isEqualTo(OptionalLong.of(9));
    assertThat(window.indexOf(3)).isEmpty();
  }

  @Test
  void keepsSequencesAscendingWhenTheyArriveOutOfOrder() {
    ProducerWindow window = ProducerWindow.EMPTY.with(5, 1).with(3, 2).with(4, 3);

    assertThat(window.seqs()).containsExactly(3, 4, 5);
    assertThat(window.indexes()).containsExactly(2, 3, 1);
    assertThat(window.indexOf(3)).isEqualTo(OptionalLong.of(2));
  }

  @Test
  void remembersAtMostSizeSequencesDroppingTheLowest() {
    ProducerWindow window = window(1, ProducerWindow.SIZE + 1);

    assertThat(window.seqs()).hasSize(ProducerWindow.SIZE).startsWith(2L);
    assertThat(window.indexOf(1)).isEmpty();
    assertThat(window.indexOf(2)).isEqualTo(OptionalLong.of(20));
  }

  @Test
  void sequenceBelowAFullWindowIsTooOld() {
    ProducerWindow window = window(11, 10 + ProducerWindow.SIZE);

    assertThat(window.isTooOld(10)).isTrue();
    assertThat(window.isTooOld(11)).isFalse();
    assertThat(window.isTooOld(100)).isFalse();
  }

  @Test
  void sequenceBelowAWindowThatIsNotFullIsNotTooOld() {
    ProducerWindow window = window(11, 10 + ProducerWindow.SIZE - 1);

    assertThat(window.isTooOld(1)).isFalse();
  }

  @Test
  void aLateSequenceInsideAFullWindowPushesOutTheLowest() {
    ProducerWindow window = window(1, 20).with(40, 400);
    for (long seq = 21; seq <= 31; seq++) {
      window = window.with(seq, seq * 10);
    }

    window = window.with(35, 350);

    assertThat(window.seqs()).hasSize(ProducerWindow.SIZE).startsWith(2L).endsWith(35L, 40L);
    assertThat(window.indexOf(1)).isEmpty();
  }

  @Test
  void lastIndexIsTheHighestIndexWhateverTheSequenceOrder() {
    ProducerWindow window = ProducerWindow.EMPTY.with(5, 10).with(3, 11);

    assertThat(window.lastIndex()).isEqualTo(11);
  }

  @Test
  void withLeavesTheOriginalUnchanged() {
    ProducerWindow before = ProducerWindow.EMPTY.with(1, 1);

    before.with(2, 2);

    assertThat(before.seqs()).containsExactly(1);
    assertThat(before.indexes()).containsExactly(1);
  }
}
