package io.continuum.gateway;

import com.google.protobuf.ByteString;
import io.continuum.function.Functions;
import io.continuum.gateway.v1.FunctionServicePowerApi;
import io.continuum.gateway.v1.GetStateRequest;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.SendRequest;
import io.continuum.gateway.v1.SendResponse;
import io.continuum.gateway.v1.StateResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.grpc.javadsl.Metadata;

/**
 * The gateway's {@code continuum.v1.FunctionService}: a thin mapping onto {@link Functions}. Invoke
 * and Send wait for their instance no longer than the call's deadline.
 */
public final class FunctionGrpcService implements FunctionServicePowerApi {

  private final Functions functions;

  public FunctionGrpcService(Functions functions) {
    this.functions = functions;
  }

  @Override
  public CompletionStage<InvokeResponse> invoke(InvokeRequest in, Metadata metadata) {
    Duration timeout = Deadlines.of(metadata).orElse(functions.settings().askTimeout());
    return GrpcErrors.mapped(
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
                  InvokeResponse.Builder out =
                      InvokeResponse.newBuilder()
                          .setServedByZone(reply.zone())
                          .setServedByNode(reply.node());
                  if (reply.payload() != null) {
                    out.setHasReply(true)
                        .setPayload(ByteString.copyFrom(reply.payload()))
                        .setMessageType(reply.messageType());
                  }
                  return out.build();
                }));
  }

  @Override
  public CompletionStage<SendResponse> send(SendRequest in, Metadata metadata) {
    Duration timeout = Deadlines.of(metadata).orElse(functions.settings().askTimeout());
    return GrpcErrors.mapped(
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
  public CompletionStage<StateResponse> getState(GetStateRequest in, Metadata metadata) {
    return GrpcErrors.mapped(
        functions
            .state(in.getType(), in.getId())
            .thenApply(
                state -> StateResponse.newBuilder().setState(ByteString.copyFrom(state)).build()));
  }

  private static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }
}
