package io.continuum.topic;

import io.continuum.serialization.CborSerializable;

/**
 * The durable state of a topic besides its entries: the latest index and the sequence numbers of
 * idempotent producers it remembers. Entries themselves stay in the journal. Version 2: see {@link
 * TopicStateMigration} for version 1.
 *
 * @param latest the index of the newest entry, 0 when empty
 * @param producers the sequence numbers of idempotent producers within the topic's duplicate window
 * @param zone the zone of the entity that wrote the newest entry ({@code null} when empty, or when
 *     written before topics recorded it)
 */
public record TopicState(long latest, ProducerSequences producers, String zone)
    implements CborSerializable {

  public static final TopicState EMPTY = new TopicState(0, ProducerSequences.EMPTY, null);

  /** The state after an entry was appended, remembering what {@code window} says. */
  public TopicState apply(TopicEntity.Appended appended, DuplicateWindow window) {
    ProducerSequences next =
        appended.producerId() == null
            ? producers.expired(appended.publishedAt(), window)
            : producers.appended(
                appended.producerId(),
                appended.producerSeq(),
                appended.index(),
                appended.publishedAt(),
                window);
    return new TopicState(appended.index(), next, appended.zone());
  }
}
