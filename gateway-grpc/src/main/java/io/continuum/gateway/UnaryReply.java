package io.continuum.gateway;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Answers a unary call with the outcome of an asynchronous operation: its value, or its failure as
 * the precise status {@link GrpcErrors} gives it. The response is sent from the thread that
 * completes the operation (a Pekko dispatcher), so the caller's thread is never held.
 */
final class UnaryReply {

  private UnaryReply() {}

  /** Starts {@code operation} and replies to {@code out} when it completes. */
  static <T> void of(StreamObserver<T> out, Supplier<CompletionStage<T>> operation) {
    CompletionStage<T> stage;
    try {
      stage = operation.get();
    } catch (RuntimeException e) {
      out.onError(GrpcErrors.toGrpc(e));
      return;
    }
    stage.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            out.onError(GrpcErrors.toGrpc(failure));
          } else {
            out.onNext(value);
            out.onCompleted();
          }
        });
  }
}
