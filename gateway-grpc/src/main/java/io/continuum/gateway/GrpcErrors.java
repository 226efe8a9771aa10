package io.continuum.gateway;

import io.continuum.reply.RejectedException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.grpc.GrpcServiceException;

/** Turns failures of the services behind the gateway into precise gRPC statuses. */
final class GrpcErrors {

  private GrpcErrors() {}

  /** The gRPC exception for a failure; its status never depends on anything but the failure. */
  static GrpcServiceException toGrpc(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof GrpcServiceException grpc) {
      return grpc;
    }
    if (cause instanceof RejectedException rejected) {
      return new GrpcServiceException(statusOf(rejected).withDescription(rejected.getMessage()));
    }
    if (cause instanceof TimeoutException) {
      return new GrpcServiceException(
          Status.UNAVAILABLE.withDescription(
              "the cluster did not answer in time; nothing was acknowledged, retry"));
    }
    return new GrpcServiceException(
        Status.INTERNAL.withDescription(
            cause.getClass().getSimpleName() + ": " + cause.getMessage()));
  }

  /** A {@code RESOURCE_EXHAUSTED} for a request body larger than the gateway accepts. */
  static GrpcServiceException requestTooLarge(long maxBytes) {
    return new GrpcServiceException(
        Status.RESOURCE_EXHAUSTED.withDescription(
            "request larger than the gateway's limit of "
                + maxBytes
                + " bytes (pekko.http.server.parsing.max-content-length); entries are limited"
                + " by their topic's max_entry_bytes"));
  }

  /** An {@code INVALID_ARGUMENT} with a message saying what to fix. */
  static GrpcServiceException invalid(String message) {
    return new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription(message));
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
