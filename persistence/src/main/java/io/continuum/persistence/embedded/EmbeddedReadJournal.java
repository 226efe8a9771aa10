package io.continuum.persistence.embedded;

import io.continuum.persistence.embedded.v1.ReplayResponse;
import io.continuum.persistence.embedded.v1.StoredEvent;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.ReadJournalProvider;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Queries of the embedded journal ({@code continuum.persistence.embedded.query}): the events of a
 * persistence id that exist now, read a page at a time. Continuum reads topics back this way.
 *
 * <pre>{@code
 * CurrentEventsByPersistenceIdQuery journal = PersistenceQuery.get(system)
 *     .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, EmbeddedReadJournal.IDENTIFIER);
 * }</pre>
 */
public final class EmbeddedReadJournal implements ReadJournal, CurrentEventsByPersistenceIdQuery {

  /** The plugin id of this read journal. */
  public static final String IDENTIFIER = "continuum.persistence.embedded.query";

  private final JournalConnection journal;

  EmbeddedReadJournal(JournalConnection journal) {
    this.journal = journal;
  }

  @Override
  public Source<EventEnvelope, NotUsed> currentEventsByPersistenceId(
      String persistenceId, long fromSequenceNr, long toSequenceNr) {
    return Source.unfoldAsync(
            Math.max(1, fromSequenceNr),
            from ->
                from > toSequenceNr
                    ? java.util.concurrent.CompletableFuture.completedFuture(Optional.empty())
                    : journal
                        .replay(persistenceId, from, toSequenceNr, Long.MAX_VALUE)
                        .thenApply(page -> next(page)))
        .mapConcat(events -> events)
        .map(
            event ->
                EventEnvelope.apply(
                    Offset.sequence(event.getSequenceNr()),
                    persistenceId,
                    event.getSequenceNr(),
                    journal.codec().decode(persistenceId, event).payload(),
                    event.getTimestamp()));
  }

  private static Optional<Pair<Long, List<StoredEvent>>> next(ReplayResponse page) {
    if (page.getEventsCount() == 0) {
      return Optional.empty();
    }
    long after = page.getEvents(page.getEventsCount() - 1).getSequenceNr() + 1;
    return Optional.of(Pair.create(page.getMore() ? after : Long.MAX_VALUE, page.getEventsList()));
  }

  /** Registers the read journal under {@link #IDENTIFIER} (its {@code class} setting). */
  public static final class Provider implements ReadJournalProvider {
    private final EmbeddedReadJournal javadsl;
    private final ScalaDsl scaladsl;

    public Provider(ExtendedActorSystem system) {
      this.javadsl = new EmbeddedReadJournal(JournalConnection.get(system));
      this.scaladsl = new ScalaDsl(javadsl);
    }

    @Override
    public org.apache.pekko.persistence.query.scaladsl.ReadJournal scaladslReadJournal() {
      return scaladsl;
    }

    @Override
    public ReadJournal javadslReadJournal() {
      return javadsl;
    }
  }

  /** The same query for Scala callers, as Pekko's provider contract asks. */
  private record ScalaDsl(EmbeddedReadJournal javadsl)
      implements org.apache.pekko.persistence.query.scaladsl.ReadJournal,
          org.apache.pekko.persistence.query.scaladsl.CurrentEventsByPersistenceIdQuery {
    @Override
    public org.apache.pekko.stream.scaladsl.Source<EventEnvelope, NotUsed>
        currentEventsByPersistenceId(String persistenceId, long from, long to) {
      return javadsl.currentEventsByPersistenceId(persistenceId, from, to).asScala();
    }
  }
}
