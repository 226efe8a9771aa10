package io.continuum.topic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProducerSequencesTest {

  /** A one-second window, with bounds no test reaches unless it sets them. */
  private static final DuplicateWindow ONE_SECOND = window(1000, 1_000_000, 1_000_000);

  private static DuplicateWindow window(long millis, int maxSequences, int maxProducers) {
    return new DuplicateWindow(Duration.ofMillis(millis), maxSequences, maxProducers);
  }

  /**
   * Producer {@code p}'s sequence numbers {@code from..to}, each appended at index {@code seq} and
   * published at {@code seq} milliseconds.
   */
  private static ProducerSequences published(long from, long to, DuplicateWindow window) {
    ProducerSequences sequences = ProducerSequences.EMPTY;
    for (long seq = from; seq <= to; seq++) {
      sequences = sequences.appended("p", seq, seq, seq, window);
    }
    return sequences;
  }

  @Test
  void nothingIsRememberedOrForgottenAtFirst() {
    assertThat(ProducerSequences.EMPTY.indexOf("p", 1)).isEmpty();
    assertThat(ProducerSequences.EMPTY.isForgotten("p", 1)).isFalse();
    assertThat(ProducerSequences.EMPTY.size()).isZero();
  }

  @Test
  void everySequencePublishedWithinTheWindowIsRememberedWithItsIndex() {
    ProducerSequences sequences = published(1, 500, ONE_SECOND);

    assertThat(sequences.size()).isEqualTo(500);
    assertThat(sequences.indexOf("p", 1)).isEqualTo(OptionalLong.of(1));
    assertThat(sequences.indexOf("p", 500)).isEqualTo(OptionalLong.of(500));
    assertThat(sequences.indexOf("p", 501)).isEmpty();
    assertThat(sequences.isForgotten("p", 1)).isFalse();
  }

  @Test
  void aSequencePublishedExactlyTheWindowBeforeTheNewestIsStillRemembered() {
    ProducerSequences sequences =
        ProducerSequences.EMPTY
            .appended("p", 1, 1, 5_000, ONE_SECOND)
            .appended("p", 2, 2, 6_000, ONE_SECOND);

    assertThat(sequences.indexOf("p", 1)).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void aSequencePublishedLongerThanTheWindowBeforeTheNewestIsForgotten() {
    ProducerSequences sequences =
        ProducerSequences.EMPTY
            .appended("p", 1, 1, 5_000, ONE_SECOND)
            .appended("p", 2, 2, 5_500, ONE_SECOND)
            .appended("p", 3, 3, 6_001, ONE_SECOND);

    assertThat(sequences.indexOf("p", 1)).isEmpty();
    assertThat(sequences.isForgotten("p", 1)).isTrue();
    assertThat(sequences.indexOf("p", 2)).isEqualTo(OptionalLong.of(2));
    assertThat(sequences.size()).isEqualTo(2);
  }

  @Test
  void everythingBelowTheHighestForgottenSequenceIsForgottenAndEverythingAboveIsNot() {
    ProducerSequences sequences =
        ProducerSequences.EMPTY
            .appended("p", 10, 1, 0, ONE_SECOND)
            .appended("p", 12, 2, 0, ONE_SECOND)
            .appended("p", 20, 3, 2_000, ONE_SECOND);

    assertThat(sequences.isForgotten("p", 3)).as("never seen, but below").isTrue();
    assertThat(sequences.isForgotten("p", 12)).isTrue();
    assertThat(sequences.isForgotten("p", 13)).as("a gap above the forgotten ones").isFalse();
    assertThat(sequences.isForgotten("p", 21)).isFalse();
  }

  @Test
  void aProducerIdleForLongerThanTheWindowKeepsItsHighestSequence() {
    ProducerSequences sequences =
        ProducerSequences.EMPTY
            .appended("idle", 7, 1, 0, ONE_SECOND)
            .appended("busy", 1, 2, 60_000, ONE_SECOND);

    assertThat(sequences.indexOf("idle", 7)).isEmpty();
    assertThat(sequences.isForgotten("idle", 7)).isTrue();
    assertThat(sequences.isForgotten("idle", 8)).isFalse();
    assertThat(sequences.producerCount()).isEqualTo(2);
  }

  @Test
  void producersAreIndependent() {
    ProducerSequences sequences =
        ProducerSequences.EMPTY
            .appended("p", 1, 1, 0, ONE_SECOND)
            .appended("q", 1, 2, 10, ONE_SECOND)
            .appended("q", 2, 3, 1_005, ONE_SECOND);

    assertThat(sequences.isForgotten("p", 1)).isTrue();
    assertThat(sequences.indexOf("q", 1)).isEqualTo(OptionalLong.of(2));
    assertThat(sequences.isForgotten("q", 1)).isFalse();
    assertThat(sequences.isForgotten("r", 1)).isFalse();
  }

  @Test
  void anAppendWithoutAProducerForgetsByTimeToo() {
    ProducerSequences sequences = published(1, 3, ONE_SECOND).expired(1_003, ONE_SECOND);

    assertThat(sequences.indexOf("p", 2)).isEmpty();
    assertThat(sequences.indexOf("p", 3)).isEqualTo(OptionalLong.of(3));
    assertThat(sequences.isForgotten("p", 2)).isTrue();
  }

  @Test
  void beyondTheMaximumTheOldestAreForgottenWithinTheWindow() {
    ProducerSequences sequences = published(1, 5, window(60_000, 3, 100));

    assertThat(sequences.size()).isEqualTo(3);
    assertThat(sequences.indexOf("p", 2)).isEmpty();
    assertThat(sequences.isForgotten("p", 2)).isTrue();
    assertThat(sequences.indexOf("p", 3)).isEqualTo(OptionalLong.of(3));
  }

  @Test
  void beyondTheMaximumProducersTheLeastRecentlyAppendingOneIsForgottenEntirely() {
    DuplicateWindow twoProducers = window(1000, 100, 2);
    ProducerSequences sequences =
        ProducerSequences.EMPTY
            .appended("first", 1, 1, 0, twoProducers)
            .appended("second", 1, 2, 0, twoProducers)
            .appended("first", 2, 3, 5_000, twoProducers);
    assertThat(sequences.isForgotten("second", 1)).isTrue();

    ProducerSequences withThird = sequences.appended("third", 1, 4, 5_000, twoProducers);

    assertThat(withThird.producerCount()).isEqualTo(2);
    assertThat(withThird.isForgotten("second", 1))
        .as("a forgotten producer's next publish is taken as a new producer's")
        .isFalse();
    assertThat(withThird.isForgotten("first", 1)).isTrue();
    assertThat(withThird.indexOf("first", 2)).isEqualTo(OptionalLong.of(3));
  }

  @Test
  void aForgottenProducersSequencesStillInTheWindowAreStillRecognised() {
    DuplicateWindow oneProducer = window(1000, 100, 1);

    ProducerSequences sequences =
        ProducerSequences.EMPTY
            .appended("p", 1, 1, 0, oneProducer)
            .appended("q", 1, 2, 10, oneProducer);

    assertThat(sequences.producerCount()).isEqualTo(1);
    assertThat(sequences.indexOf("p", 1)).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void appendingLeavesTheOriginalUnchanged() {
    ProducerSequences before = published(1, 2, ONE_SECOND);

    before.appended("p", 3, 3, 5_000, ONE_SECOND);

    assertThat(before.size()).isEqualTo(2);
    assertThat(before.indexOf("p", 1)).isEqualTo(OptionalLong.of(1));
    assertThat(before.isForgotten("p", 1)).isFalse();
  }

  @Test
  void theSerializedFormReadsBackTheSameMemoryAndProducerOrder() throws Exception {
    CBORMapper cbor = new CBORMapper();
    DuplicateWindow twoProducers = window(1000, 100, 2);
    ProducerSequences sequences =
        ProducerSequences.EMPTY
            .appended("a", 1, 1, 0, twoProducers)
            .appended("b", 1, 2, 0, twoProducers)
            .appended("a", 2, 3, 2_000, twoProducers);

    ProducerSequences read =
        cbor.readValue(cbor.writeValueAsBytes(sequences), ProducerSequences.class);

    assertThat(read.size()).isEqualTo(1);
    assertThat(read.producerCount()).isEqualTo(2);
    assertThat(read.indexOf("a", 2)).isEqualTo(OptionalLong.of(3));
    assertThat(read.isForgotten("a", 1)).isTrue();
    assertThat(read.isForgotten("b", 1)).isTrue();
    ProducerSequences withThird = read.appended("c", 1, 4, 2_000, twoProducers);
    assertThat(withThird.isForgotten("b", 1))
        .as("b appended least recently, so it is the one forgotten")
        .isFalse();
    assertThat(withThird.isForgotten("a", 1)).isTrue();
  }

  @Test
  void theSerializedFormKeepsTheSequencesOfAForgottenProducer() throws Exception {
    CBORMapper cbor = new CBORMapper();
    DuplicateWindow oneProducer = window(1000, 100, 1);
    ProducerSequences sequences =
        ProducerSequences.EMPTY
            .appended("p", 1, 1, 0, oneProducer)
            .appended("q", 1, 2, 10, oneProducer);

    ProducerSequences read =
        cbor.readValue(cbor.writeValueAsBytes(sequences), ProducerSequences.class);

    assertThat(read.producerCount()).isEqualTo(1);
    assertThat(read.indexOf("p", 1)).isEqualTo(OptionalLong.of(1));
    assertThat(read.indexOf("q", 1)).isEqualTo(OptionalLong.of(2));
    assertThat(read.expired(1_005, oneProducer).indexOf("p", 1)).isEmpty();
  }

  /**
   * The snapshot bytes per remembered sequence number at the default maximum, 100 producers
   * publishing 1,000 times a second, the sequence numbers of each consecutive: the figure in
   * README.md.
   */
  @Test
  void aSnapshotCostsAtMostTwentyFiveBytesPerRememberedSequence() throws Exception {
    DuplicateWindow defaults = window(120_000, 100_000, 10_000);
    ProducerSequences sequences = ProducerSequences.EMPTY;
    long start = 1_767_225_600_000L;
    for (int i = 1; i <= 100_000; i++) {
      sequences = sequences.appended("producer-" + (i % 100), i / 100 + 1, i, start + i, defaults);
    }

    byte[] snapshot = new CBORMapper().writeValueAsBytes(sequences);

    assertThat(sequences.size()).isEqualTo(100_000);
    assertThat(snapshot.length / 100_000.0).isLessThan(25);
  }
}
