package io.continuum.gateway;

import com.google.protobuf.ByteString;
import io.continuum.function.Functions;
import io.continuum.gateway.v1.FunctionServiceGrpc;
import io.continuum.gateway.v1.GetStateRequest;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.SendRequest;
import io.continuum.gateway.v1.SendResponse;
import io.continuum.gateway.v1.StateResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's {@code continuum.v1.FunctionService}: a thin mapping onto {@link Functions}. Invoke
 * and Send wait for their instance no longer than the call's deadline.
 */
public final class FunctionGrpcService extends FunctionServiceGrpc.FunctionServiceImplBase {

  private final Functions functions;

  public FunctionGrpcService(Functions functions) {
    this.functions = functions;
  }

  @Override
  public void invoke(InvokeRequest in, StreamObserver<InvokeResponse> out) {
    Duration timeout = timeLeft();
    UnaryReply.of(
        out,
        () ->
            functions
                .invoke(
                    in.getType(),
                    in.getId(),
                    in.getPayload().toByteArray(),
                    emptyToNull(in.getMessageType()),
                    emptyToNull(in.getRequestId()),
                    timeout)
                .thenApply(
                    reply -> {
                      InvokeResponse.Builder response =
                          InvokeResponse.newBuilder()
                              .setServedByZone(reply.zone())
                              .setServedByNode(reply.node());
                      if (reply.payload() != null) {
                        response
                            .setHasReply(true)
                            .setPayload(ByteString.copyFrom(reply.payload()))
                            .setMessageType(reply.messageType());
                      }
                      return response.build();
                    }));
  }

  @Override
  public void send(SendRequest in, StreamObserver<SendResponse> out) {
    Duration timeout = timeLeft();
    UnaryReply.of(
        out,
        () ->
            functions
                .send(
                    in.getType(),
                    in.getId(),
                    in.getPayload().toByteArray(),
                    emptyToNull(in.getMessageType()),
                    emptyToNull(in.getMessageId()),
                    timeout)
                .thenApply(id -> SendResponse.newBuilder().setMessageId(id).build()));
  }

  @Override
  public void getState(GetStateRequest in, StreamObserver<StateResponse> out) {
    UnaryReply.of(
        out,
        () ->
            functions
                .state(in.getType(), in.getId())
                .thenApply(
                    state ->
                        StateResponse.newBuilder().setState(ByteString.copyFrom(state)).build()));
  }

  /**
   * The time left before the current call's deadline, or the default ask timeout when its client
   * set none. Read on the thread the call runs on, where its {@link Context} is current.
   */
  private Duration timeLeft() {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      return functions.settings().askTimeout();
    }
    return Duration.ofNanos(Math.max(1, deadline.timeRemaining(TimeUnit.NANOSECONDS)));
  }

  private static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }
}
