package io.continuum.topic;

import io.continuum.serialization.CborSerializable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The durable state of a topic besides its entries: the latest index and the de-duplication windows
 * of idempotent producers. Entries themselves stay in the journal.
 *
 * @param latest the index of the newest entry, 0 when empty
 * @param producers windows of the most recently active producers, at most {@link #MAX_PRODUCERS}
 * @param zone the zone of the entity that wrote the newest entry ({@code null} when empty, or when
 *     written before topics recorded it)
 */
public record TopicState(long latest, Map<String, ProducerWindow> producers, String zone)
    implements CborSerializable {

  /**
   * Producers remembered per topic; the least recently appending one is forgotten beyond this,
   * bounding the snapshot to about {@code MAX_PRODUCERS * ProducerWindow.SIZE * 16} bytes.
   */
  public static final int MAX_PRODUCERS = 1000;

  public static final TopicState EMPTY = new TopicState(0, Map.of(), null);

  /** The window of a producer, empty when unknown. */
  public ProducerWindow windowOf(String producerId) {
    return producers.getOrDefault(producerId, ProducerWindow.EMPTY);
  }

  /** The state after an entry was appended. */
  public TopicState apply(TopicEntity.Appended appended) {
    if (appended.producerId() == null) {
      return new TopicState(appended.index(), producers, appended.zone());
    }
    Map<String, ProducerWindow> next = new HashMap<>(producers);
    next.put(
        appended.producerId(),
        windowOf(appended.producerId()).with(appended.producerSeq(), appended.index()));
    if (next.size() > MAX_PRODUCERS) {
      next.entrySet().stream()
          .min(Comparator.comparingLong(e -> e.getValue().lastIndex()))
          .ifPresent(e -> next.remove(e.getKey()));
    }
    return new TopicState(appended.index(), Map.copyOf(next), appended.zone());
  }
}
