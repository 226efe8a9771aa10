package io.continuum.node.cli;

import io.continuum.gateway.v1.ClusterServiceGrpc;
import io.continuum.gateway.v1.ClusterServiceGrpc.ClusterServiceBlockingStub;
import io.continuum.gateway.v1.FunctionServiceGrpc;
import io.continuum.gateway.v1.FunctionServiceGrpc.FunctionServiceBlockingStub;
import io.continuum.gateway.v1.ObjectServiceGrpc;
import io.continuum.gateway.v1.ObjectServiceGrpc.ObjectServiceBlockingStub;
import io.continuum.gateway.v1.PlacementServiceGrpc;
import io.continuum.gateway.v1.PlacementServiceGrpc.PlacementServiceBlockingStub;
import io.continuum.gateway.v1.TopicServiceGrpc;
import io.continuum.gateway.v1.TopicServiceGrpc.TopicServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC stubs of one gateway, for the commands of the CLI: grpc-java's blocking stubs over one
 * plain-text OkHttp channel, without an actor system, so that a command starts and ends quickly
 * (OkHttp loads about 1,600 fewer classes than Netty for a call).
 */
final class GatewayClient implements AutoCloseable {

  private final ManagedChannel channel;
  private final Duration deadline;

  /**
   * @param gateway host:port
   * @param deadline per call, or {@code null} for none (streams that run until interrupted)
   */
  GatewayClient(String gateway, Duration deadline) {
    int colon = gateway.lastIndexOf(':');
    if (colon <= 0) {
      throw new CliException("invalid gateway '" + gateway + "': expected host:port");
    }
    String host = gateway.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(gateway.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new CliException("invalid gateway port in '" + gateway + "'");
    }
    this.deadline = deadline;
    this.channel = OkHttpChannelBuilder.forAddress(host, port).usePlaintext().build();
  }

  TopicServiceBlockingStub topics() {
    return withDeadline(TopicServiceGrpc.newBlockingStub(channel));
  }

  ClusterServiceBlockingStub cluster() {
    return withDeadline(ClusterServiceGrpc.newBlockingStub(channel));
  }

  FunctionServiceBlockingStub functions() {
    return withDeadline(FunctionServiceGrpc.newBlockingStub(channel));
  }

  ObjectServiceBlockingStub objects() {
    return withDeadline(ObjectServiceGrpc.newBlockingStub(channel));
  }

  PlacementServiceBlockingStub placement() {
    return withDeadline(PlacementServiceGrpc.newBlockingStub(channel));
  }

  /** The deadline counts from now: take a stub right before its call. */
  private <S extends AbstractStub<S>> S withDeadline(S stub) {
    return deadline == null
        ? stub
        : stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A failure to report to the user, with an exit code; {@link #of} turns a failed call into one
   * that names its status.
   */
  static final class CliException extends RuntimeException {
    CliException(String message) {
      super(message, null, false, false);
    }

    static CliException of(Throwable failure) {
      if (failure instanceof StatusRuntimeException grpc) {
        String description = grpc.getStatus().getDescription();
        String code = grpc.getStatus().getCode().name();
        if (grpc.getStatus().getCode() == Status.Code.UNAVAILABLE
            && (description == null || description.startsWith("io exception"))) {
          return new CliException(
              "UNAVAILABLE: no gateway answers; is the cluster running (bin/continuum dev)? use"
                  + " --gateway host:port to pick another");
        }
        return new CliException(code + (description != null ? ": " + description : ""));
      }
      return new CliException(String.valueOf(failure));
    }
  }
}
