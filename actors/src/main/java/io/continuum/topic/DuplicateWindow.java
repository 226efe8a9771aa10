package io.continuum.topic;

import java.time.Duration;
import java.util.Objects;

/**
 * What a topic remembers of its idempotent producers, so that a repeated publish (the same producer
 * id and sequence number) returns the original index instead of appending again: every sequence
 * number appended within {@code length} of the newest entry (by the entries' {@code publishedAt}),
 * within two memory bounds. See {@link ProducerSequences} for what happens beyond them.
 *
 * @param length the topic's duplicate window
 * @param maxSequences sequence numbers remembered at most; beyond, the oldest are forgotten before
 *     their window ends
 * @param maxProducers producers remembered at most; beyond, the one that appended least recently is
 *     forgotten entirely
 */
public record DuplicateWindow(Duration length, int maxSequences, int maxProducers) {

  private static final long[] UNIT_MILLIS = {3_600_000, 60_000, 1000};
  private static final String[] UNITS = {"h", "m", "s"};

  public DuplicateWindow {
    Objects.requireNonNull(length, "duplicate window");
  }

  /** The window of a topic: its spec's length, the node's bounds. */
  static DuplicateWindow of(TopicSpec spec, TopicSettings settings) {
    return new DuplicateWindow(
        spec.duplicateWindow(), settings.maxRememberedSequences(), settings.maxProducers());
  }

  /** A duration as configured and typed: {@code 2m}, {@code 90s}, {@code 1500ms}, {@code 1h}. */
  public static String text(Duration duration) {
    long millis = duration.toMillis();
    for (int i = 0; i < UNITS.length; i++) {
      if (millis != 0 && millis % UNIT_MILLIS[i] == 0) {
        return millis / UNIT_MILLIS[i] + UNITS[i];
      }
    }
    return millis + "ms";
  }

  /**
   * Why a repeat of {@code seq} is refused by a topic that no longer remembers it, holding {@code
   * remembered} sequence numbers.
   */
  String forgotten(String topic, String producer, long seq, int remembered) {
    return "producer '"
        + producer
        + "' sequence "
        + seq
        + " is older than what topic '"
        + topic
        + "' remembers for it: the sequence numbers published within its duplicate window of "
        + text(length)
        + (remembered >= maxSequences
            ? ", of which it keeps at most " + maxSequences + " (reached, so it forgot some sooner)"
            : "")
        + ". It cannot tell whether this one was published, so it does not append it: continue"
        + " with a higher sequence number (read the topic to see whether the entry is there)";
  }
}
