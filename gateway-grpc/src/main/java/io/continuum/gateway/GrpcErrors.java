package io.continuum.gateway;

import io.continuum.reply.RejectedException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** Turns failures of the services behind the gateway into precise gRPC statuses. */
final class GrpcErrors {

  private GrpcErrors() {}

  /** The gRPC exception for a failure; its status never depends on anything but the failure. */
  static StatusRuntimeException toGrpc(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StatusRuntimeException grpc) {
      return grpc;
    }
    if (cause instanceof StatusException grpc) {
      return grpc.getStatus().asRuntimeException(grpc.getTrailers());
    }
    if (cause instanceof RejectedException rejected) {
      return statusOf(rejected).withDescription(rejected.getMessage()).asRuntimeException();
    }
    if (cause instanceof TimeoutException) {
      return Status.UNAVAILABLE
          .withDescription("the cluster did not answer in time; nothing was acknowledged, retry")
          .asRuntimeException();
    }
    return Status.INTERNAL
        .withDescription(cause.getClass().getSimpleName() + ": " + cause.getMessage())
        .asRuntimeException();
  }

  /** The {@code RESOURCE_EXHAUSTED} status of a request message larger than the gateway accepts. */
  static Status requestTooLarge(long maxBytes) {
    return Status.RESOURCE_EXHAUSTED.withDescription(
        "request larger than the gateway's limit of "
            + maxBytes
            + " bytes (continuum.gateway.max-request-bytes); entries are limited"
            + " by their topic's max_entry_bytes");
  }

  /** The {@code UNAVAILABLE} status of a call refused because the gateway serves its limit. */
  static Status overloaded(int maxCalls) {
    return Status.UNAVAILABLE.withDescription(
        "this gateway is serving its limit of "
            + maxCalls
            + " calls at once (continuum.gateway.max-calls-in-flight); the call was not started:"
            + " retry after a short backoff or through another node");
  }

  /** An {@code INVALID_ARGUMENT} with a message saying what to fix. */
  static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  private static Status statusOf(RejectedException rejected) {
    return switch (rejected.reason()) {
      case NOT_FOUND -> Status.NOT_FOUND;
      case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
      case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
      case OUT_OF_RANGE -> Status.OUT_OF_RANGE;
      case ABORTED -> Status.ABORTED;
      case UNAVAILABLE -> Status.UNAVAILABLE;
      case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
      case INTERNAL -> Status.INTERNAL;
    };
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
