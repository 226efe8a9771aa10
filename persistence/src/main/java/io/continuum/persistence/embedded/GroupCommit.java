package io.continuum.persistence.embedded;

import io.continuum.persistence.embedded.v1.AtomicEvents;
import io.continuum.persistence.embedded.v1.StoredEvent;
import io.continuum.persistence.embedded.v1.WriteRequest;
import io.continuum.persistence.embedded.v1.WriteResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a {@link JournalStore}: every write request, from any connection, waits in one
 * queue, and everything that queued while a commit ran is written by the next commit, in arrival
 * order. One entity's write and a thousand entities' writes cost about the same commit.
 *
 * <p>Each request is answered on its own: a request whose events conflict with what another writer
 * wrote (its first sequence number is not above the highest written for its persistence id) is
 * refused and writes nothing, while the requests committed with it succeed. Deleting many events
 * takes several commits of at most {@link #DELETES_PER_COMMIT} each, so that it never holds up the
 * writes queued behind it for long; it is answered once all are deleted.
 */
final class GroupCommit implements AutoCloseable {

  static final int DELETES_PER_COMMIT = 2000;

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** A request and where its answer goes. */
  private record Pending(WriteRequest request, Consumer<WriteResponse> answer) {}

  private final JournalStore store;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final ArrayDeque<Pending> unfinishedDeletes = new ArrayDeque<>();
  private final Thread writer;
  private volatile boolean running = true;

  GroupCommit(JournalStore store) {
    this.store = store;
    this.writer = new Thread(this::run, "journal-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Queues a request; {@code answer} is called once, on the writer thread, after its commit. */
  void submit(WriteRequest request, Consumer<WriteResponse> answer) {
    if (!running) {
      answer.accept(refused(request, "the journal is shutting down; retry", false));
      return;
    }
    queue.add(new Pending(request, answer));
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        batch.addAll(unfinishedDeletes);
        unfinishedDeletes.clear();
        if (batch.isEmpty()) {
          Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
        }
        queue.drainTo(batch);
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("The journal writer failed; its requests were refused", e);
      } finally {
        batch.clear();
      }
    }
  }

  /** Writes a batch in one transaction and answers each request (unfinished deletes later). */
  private void commit(List<Pending> batch) {
    WriteResponse[] answers = new WriteResponse[batch.size()];
    try {
      store.write(
          write -> {
            for (int i = 0; i < answers.length; i++) {
              answers[i] = apply(write, batch.get(i));
            }
            return null;
          });
    } catch (RuntimeException e) {
      log.warn("A journal commit of {} requests failed: {}", batch.size(), e.toString());
      unfinishedDeletes.clear();
      String why = "the journal could not commit: " + e.getMessage();
      batch.forEach(p -> p.answer().accept(refused(p.request(), why, false)));
      return;
    }
    for (int i = 0; i < answers.length; i++) {
      if (answers[i] != null) {
        batch.get(i).answer().accept(answers[i]);
      }
    }
  }

  /** Applies one request; null when it is an unfinished delete, answered after a later commit. */
  private WriteResponse apply(JournalStore.Write write, Pending pending) {
    WriteRequest request = pending.request();
    try {
      switch (request.getOperationCase()) {
        case EVENTS -> {
          return append(write, request);
        }
        case DELETE_EVENTS -> {
          var delete = request.getDeleteEvents();
          if (write.deleteEvents(
              delete.getPersistenceId(), delete.getToSequenceNr(), DELETES_PER_COMMIT)) {
            unfinishedDeletes.add(pending);
            return null;
          }
        }
        case SAVE_SNAPSHOT -> {
          var save = request.getSaveSnapshot();
          write.saveSnapshot(save.getPersistenceId(), save.getSnapshot());
        }
        case DELETE_SNAPSHOTS -> {
          var delete = request.getDeleteSnapshots();
          write.deleteSnapshots(delete.getPersistenceId(), delete.getCriteria());
        }
        default -> {
          return refused(request, "unknown journal operation " + request.getOperationCase(), false);
        }
      }
      return WriteResponse.newBuilder().setId(request.getId()).build();
    } catch (IllegalArgumentException e) {
      return refused(request, e.getMessage(), false);
    }
  }

  /**
   * Appends every event of the request, or none: none when any of its writes is out of order or
   * conflicts with what another writer wrote.
   */
  private static WriteResponse append(JournalStore.Write write, WriteRequest request) {
    Map<String, Long> highest = new HashMap<>();
    for (AtomicEvents atomic : request.getEvents().getWritesList()) {
      String id = atomic.getPersistenceId();
      long previous = highest.computeIfAbsent(id, write::highest);
      for (StoredEvent event : atomic.getEventsList()) {
        if (event.getSequenceNr() <= previous) {
          return refused(
              request,
              "persistence id '"
                  + id
                  + "' has events up to sequence number "
                  + previous
                  + ", so event "
                  + event.getSequenceNr()
                  + " conflicts: another incarnation of the entity wrote meanwhile",
              true);
        }
        previous = event.getSequenceNr();
      }
      highest.put(id, previous);
    }
    for (AtomicEvents atomic : request.getEvents().getWritesList()) {
      write.append(atomic.getPersistenceId(), atomic.getEventsList());
    }
    return WriteResponse.newBuilder().setId(request.getId()).build();
  }

  private static WriteResponse refused(WriteRequest request, String why, boolean conflict) {
    return WriteResponse.newBuilder()
        .setId(request.getId())
        .setRefusal(why)
        .setConflict(conflict)
        .build();
  }

  /** Commits what is queued, then stops the writer; later requests are refused. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
