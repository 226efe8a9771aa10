package io.continuum.topic;

import io.continuum.reply.Reason;
import io.continuum.reply.Rejection;
import io.continuum.serialization.CborSerializable;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a topic is, fixed at creation.
 *
 * @param name unique name, see {@link #requireValidName(String)}
 * @param homeZone the zone whose nodes host the topic
 * @param historyLength how many of the newest entries are retained; older ones are evicted
 * @param maxEntryBytes the largest payload a publish may carry
 * @param duplicateWindow how long a repeat of an idempotent producer's sequence number returns the
 *     original index (see {@link DuplicateWindow}); {@code null} in specs registered before topics
 *     had one, which {@link TopicRegistry} gives the node's default as it reads them
 */
public record TopicSpec(
    String name, String homeZone, long historyLength, int maxEntryBytes, Duration duplicateWindow)
    implements CborSerializable {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

  /** The first index still retained when {@code latest} entries have been published. */
  public long firstRetained(long latest) {
    return Math.max(1, latest - historyLength + 1);
  }

  /** This spec, with {@code window} as its duplicate window if it has none. */
  public TopicSpec withDuplicateWindowIfUnset(Duration window) {
    return duplicateWindow != null
        ? this
        : new TopicSpec(name, homeZone, historyLength, maxEntryBytes, window);
  }

  /**
   * Checks a topic name: 1-200 characters, letters, digits, '.', '_', ':' and '-', starting with a
   * letter or digit.
   *
   * @throws IllegalArgumentException saying what a valid name looks like
   */
  public static String requireValidName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("topic name must not be empty");
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid topic name '"
              + name
              + "': use 1-200 letters, digits, '.', '_', ':' or '-', starting with a letter or"
              + " digit");
    }
    return name;
  }

  /**
   * Why an entry of {@code bytes} cannot be published to this topic: {@code INVALID_ARGUMENT}
   * naming the limit, or empty when it fits. Checked by the gateway a publish enters through and by
   * the topic itself.
   */
  public Optional<Rejection> refusalOfEntry(int bytes) {
    if (bytes <= maxEntryBytes) {
      return Optional.empty();
    }
    return Optional.of(
        new Rejection(
            Reason.INVALID_ARGUMENT,
            "entry of "
                + bytes
                + " bytes exceeds the limit of topic '"
                + name
                + "': at most "
                + maxEntryBytes
                + " bytes per entry"));
  }
}
