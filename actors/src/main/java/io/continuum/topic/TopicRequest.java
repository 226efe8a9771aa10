package io.continuum.topic;

import io.continuum.serialization.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A request to create a topic. Options left {@code null} take the defaults when the topic is new
 * and match anything when it exists already.
 *
 * @param name the topic name
 * @param homeZone the zone to host it, or {@code null}
 * @param historyLength entries to retain, or {@code null}
 * @param maxEntryBytes largest payload, or {@code null}
 * @param duplicateWindow how long repeats of a producer's sequence numbers are recognised, or
 *     {@code null}
 */
public record TopicRequest(
    String name,
    String homeZone,
    Long historyLength,
    Integer maxEntryBytes,
    Duration duplicateWindow)
    implements CborSerializable {

  /** The spec of a new topic made from this request and defaults for what it leaves open. */
  public TopicSpec withDefaults(
      String defaultZone, long defaultHistory, int defaultMaxBytes, Duration defaultWindow) {
    return new TopicSpec(
        name,
        homeZone != null ? homeZone : defaultZone,
        historyLength != null ? historyLength : defaultHistory,
        maxEntryBytes != null ? maxEntryBytes : defaultMaxBytes,
        duplicateWindow != null ? duplicateWindow : defaultWindow);
  }

  /** The options this request sets that differ from an existing spec; empty when compatible. */
  public List<String> conflictsWith(TopicSpec existing) {
    List<String> conflicts = new ArrayList<>();
    if (homeZone != null && !homeZone.equals(existing.homeZone())) {
      conflicts.add("zone " + existing.homeZone() + " (asked " + homeZone + ")");
    }
    if (historyLength != null && historyLength != existing.historyLength()) {
      conflicts.add("history " + existing.historyLength() + " (asked " + historyLength + ")");
    }
    if (maxEntryBytes != null && maxEntryBytes != existing.maxEntryBytes()) {
      conflicts.add(
          "max entry bytes " + existing.maxEntryBytes() + " (asked " + maxEntryBytes + ")");
    }
    if (duplicateWindow != null && !duplicateWindow.equals(existing.duplicateWindow())) {
      conflicts.add(
          "duplicate window "
              + DuplicateWindow.text(existing.duplicateWindow())
              + " (asked "
              + DuplicateWindow.text(duplicateWindow)
              + ")");
    }
    return conflicts;
  }
}
