package io.continuum.persistence.embedded;

import io.continuum.persistence.embedded.v1.HighestRequest;
import io.continuum.persistence.embedded.v1.HighestResponse;
import io.continuum.persistence.embedded.v1.JournalGrpc;
import io.continuum.persistence.embedded.v1.LoadSnapshotRequest;
import io.continuum.persistence.embedded.v1.LoadSnapshotResponse;
import io.continuum.persistence.embedded.v1.ReplayRequest;
import io.continuum.persistence.embedded.v1.ReplayResponse;
import io.continuum.persistence.embedded.v1.WriteRequest;
import io.continuum.persistence.embedded.v1.WriteResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The {@code continuum.journal.v1.Journal} service over a {@link JournalStore}: writes go through
 * the store's {@link GroupCommit}, reads run in read transactions on two reader threads.
 */
final class JournalService extends JournalGrpc.JournalImplBase implements AutoCloseable {

  /** Events in one page of a replay at most. */
  static final int PAGE_EVENTS = 10_000;

  /** Stored bytes in one page of a replay at most (a larger single event comes alone). */
  static final int PAGE_BYTES = 4 * 1024 * 1024;

  private final JournalStore store;
  private final GroupCommit commit;

  /** Reads run here, off the transport's threads: a large page takes milliseconds. */
  private final ExecutorService readers =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread thread = new Thread(r, "journal-reader");
            thread.setDaemon(true);
            return thread;
          });

  JournalService(JournalStore store, GroupCommit commit) {
    this.store = store;
    this.commit = commit;
  }

  @Override
  public void close() {
    readers.shutdownNow();
  }

  @Override
  public StreamObserver<WriteRequest> write(StreamObserver<WriteResponse> responses) {
    WriteStream stream = new WriteStream((ServerCallStreamObserver<WriteResponse>) responses);
    ((ServerCallStreamObserver<WriteResponse>) responses).setOnCancelHandler(stream::cancelled);
    return stream;
  }

  /** One writer's stream: answers in commit order; done once the writer is and all answered. */
  private final class WriteStream implements StreamObserver<WriteRequest> {
    private final ServerCallStreamObserver<WriteResponse> responses;
    private int unanswered;
    private boolean writerDone;
    private boolean closed;

    WriteStream(ServerCallStreamObserver<WriteResponse> responses) {
      this.responses = responses;
    }

    @Override
    public void onNext(WriteRequest request) {
      synchronized (this) {
        unanswered++;
      }
      commit.submit(request, this::answer);
    }

    private synchronized void answer(WriteResponse response) {
      unanswered--;
      if (!closed) {
        responses.onNext(response);
        completeIfDone();
      }
    }

    @Override
    public synchronized void onError(Throwable t) {
      closed = true;
    }

    @Override
    public synchronized void onCompleted() {
      writerDone = true;
      completeIfDone();
    }

    synchronized void cancelled() {
      closed = true;
    }

    private void completeIfDone() {
      if (writerDone && unanswered == 0 && !closed) {
        closed = true;
        responses.onCompleted();
      }
    }
  }

  @Override
  public void replay(ReplayRequest request, StreamObserver<ReplayResponse> response) {
    answer(
        response,
        () -> {
          JournalStore.Page page =
              store.replay(
                  request.getPersistenceId(),
                  request.getFromSequenceNr(),
                  request.getToSequenceNr(),
                  Math.min(Math.max(request.getMax(), 0), PAGE_EVENTS),
                  PAGE_BYTES);
          boolean more =
              page.more()
                  || (page.events().size() == PAGE_EVENTS && request.getMax() > PAGE_EVENTS);
          return ReplayResponse.newBuilder().addAllEvents(page.events()).setMore(more).build();
        });
  }

  @Override
  public void highest(HighestRequest request, StreamObserver<HighestResponse> response) {
    answer(
        response,
        () ->
            HighestResponse.newBuilder()
                .setHighestSequenceNr(store.highest(request.getPersistenceId()))
                .build());
  }

  @Override
  public void loadSnapshot(
      LoadSnapshotRequest request, StreamObserver<LoadSnapshotResponse> response) {
    answer(
        response,
        () -> {
          LoadSnapshotResponse.Builder out = LoadSnapshotResponse.newBuilder();
          store
              .latestSnapshot(request.getPersistenceId(), request.getCriteria())
              .ifPresent(out::setSnapshot);
          return out.build();
        });
  }

  private <T> void answer(StreamObserver<T> response, Supplier<T> read) {
    readers.execute(() -> answerNow(response, read));
  }

  private static <T> void answerNow(StreamObserver<T> response, Supplier<T> read) {
    T value;
    try {
      value = read.get();
    } catch (IllegalArgumentException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
      return;
    } catch (RuntimeException e) {
      response.onError(
          Status.INTERNAL.withDescription("the journal could not read: " + e).asException());
      return;
    }
    response.onNext(value);
    response.onCompleted();
  }
}
