package io.continuum.persistence.embedded;

import io.continuum.persistence.embedded.v1.JournalGrpc;
import io.continuum.persistence.embedded.v1.WriteRequest;
import io.continuum.persistence.embedded.v1.WriteResponse;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One {@code Write} stream of a node to its journal: requests go out in the order they are written,
 * each answer completes its request's stage. When the stream breaks (the journal went away, or
 * closed it), every request still unanswered fails: it may or may not have been committed, exactly
 * like a write whose database connection dropped, and the writer recovers to find out. A broken
 * stream is never used again; {@link JournalConnection} opens a new one.
 */
final class WriteStream implements StreamObserver<WriteResponse> {

  private final Map<Long, CompletableFuture<WriteResponse>> unanswered = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Function<Throwable, Throwable> failure;
  private final StreamObserver<WriteRequest> requests;
  private volatile Throwable broken;

  /**
   * @param failure what a request fails with when the stream breaks with a cause
   */
  WriteStream(JournalGrpc.JournalStub stub, Function<Throwable, Throwable> failure) {
    this.failure = failure;
    this.requests = stub.write(this);
  }

  /** True once the stream broke; it takes no more requests. */
  boolean isBroken() {
    return broken != null;
  }

  /** Sends a request; the stage completes with its answer, or fails when the stream breaks. */
  CompletionStage<WriteResponse> send(WriteRequest.Builder request) {
    long id = ids.incrementAndGet();
    CompletableFuture<WriteResponse> answer = new CompletableFuture<>();
    unanswered.put(id, answer);
    synchronized (this) {
      if (broken == null) {
        requests.onNext(request.setId(id).build());
      }
    }
    Throwable cause = broken;
    if (cause != null && unanswered.remove(id) != null) {
      answer.completeExceptionally(cause);
    }
    return answer;
  }

  @Override
  public void onNext(WriteResponse response) {
    CompletableFuture<WriteResponse> answer = unanswered.remove(response.getId());
    if (answer != null) {
      answer.complete(response);
    }
  }

  @Override
  public void onError(Throwable t) {
    breakWith(failure.apply(t));
  }

  @Override
  public void onCompleted() {
    breakWith(
        failure.apply(
            new IllegalStateException("the journal closed the write stream (shutting down?)")));
  }

  /** Ends the stream from this side; unanswered requests fail. */
  void close() {
    synchronized (this) {
      if (broken == null) {
        requests.onCompleted();
      }
    }
    breakWith(new IllegalStateException("the journal connection was closed"));
  }

  private void breakWith(Throwable cause) {
    synchronized (this) {
      if (broken == null) {
        broken = cause;
      }
    }
    unanswered
        .keySet()
        .forEach(
            id -> {
              CompletableFuture<WriteResponse> answer = unanswered.remove(id);
              if (answer != null) {
                answer.completeExceptionally(broken);
              }
            });
  }
}
