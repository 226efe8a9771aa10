package io.continuum.persistence.embedded;

import io.continuum.persistence.embedded.v1.AtomicEvents;
import io.continuum.persistence.embedded.v1.DeleteEvents;
import io.continuum.persistence.embedded.v1.Events;
import io.continuum.persistence.embedded.v1.StoredEvent;
import io.continuum.persistence.embedded.v1.WriteRequest;
import io.continuum.persistence.embedded.v1.WriteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * The journal plugin of the embedded backend ({@code continuum.persistence.embedded.journal}):
 * events go to the {@link JournalServer} through the node's {@link JournalConnection}.
 *
 * <p>Pekko hands the plugin each entity's writes as one call; the call becomes one request on the
 * node's write stream, and the server commits the requests of every entity of every node that
 * arrive together in one transaction. A request whose events another incarnation of the entity
 * wrote first fails that entity's call alone (Pekko restarts the entity, which recovers what the
 * other wrote); an event that cannot be serialized is rejected alone.
 */
public final class EmbeddedJournal extends AsyncWriteJournal {

  private final JournalConnection journal = JournalConnection.get(context().system());
  private final EventCodec codec = journal.codec();

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> writes) {
    List<Optional<Exception>> results = new ArrayList<>();
    Events.Builder events = Events.newBuilder();
    for (AtomicWrite write : writes) {
      try {
        AtomicEvents.Builder atomic =
            AtomicEvents.newBuilder().setPersistenceId(write.persistenceId());
        JournalStore.requireValidId(write.persistenceId());
        for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
          atomic.addEvents(codec.encode(repr));
        }
        events.addWrites(atomic);
        results.add(Optional.empty());
      } catch (RuntimeException e) {
        results.add(Optional.of(e));
      }
    }
    if (events.getWritesCount() == 0) {
      return FutureConverters.asScala(CompletableFuture.completedFuture(results));
    }
    CompletionStage<Iterable<Optional<Exception>>> written =
        journal
            .write(WriteRequest.newBuilder().setEvents(events))
            .thenApply(
                response -> {
                  requireAccepted(response);
                  return results;
                });
    return FutureConverters.asScala(written);
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    return FutureConverters.asScala(
        journal
            .write(
                WriteRequest.newBuilder()
                    .setDeleteEvents(
                        DeleteEvents.newBuilder()
                            .setPersistenceId(persistenceId)
                            .setToSequenceNr(toSequenceNr)))
            .thenApply(
                response -> {
                  requireAccepted(response);
                  return null;
                }));
  }

  @Override
  public Future<Void> doAsyncReplayMessages(
      String persistenceId, long from, long to, long max, Consumer<PersistentRepr> replay) {
    return FutureConverters.asScala(replayFrom(persistenceId, from, to, max, replay));
  }

  private CompletionStage<Void> replayFrom(
      String persistenceId, long from, long to, long max, Consumer<PersistentRepr> replay) {
    if (max <= 0 || from > to) {
      return CompletableFuture.completedFuture(null);
    }
    return journal
        .replay(persistenceId, from, to, max)
        .thenCompose(
            page -> {
              for (StoredEvent event : page.getEventsList()) {
                replay.accept(codec.decode(persistenceId, event));
              }
              if (!page.getMore() || page.getEventsCount() == 0) {
                return CompletableFuture.completedFuture(null);
              }
              long last = page.getEvents(page.getEventsCount() - 1).getSequenceNr();
              return replayFrom(persistenceId, last + 1, to, max - page.getEventsCount(), replay);
            });
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long from) {
    return FutureConverters.asScala(journal.highest(persistenceId));
  }

  /** Fails the write whose request the journal refused. */
  static void requireAccepted(WriteResponse response) {
    if (!response.getRefusal().isEmpty()) {
      throw new JournalRefusal(response.getRefusal(), response.getConflict());
    }
  }
}
