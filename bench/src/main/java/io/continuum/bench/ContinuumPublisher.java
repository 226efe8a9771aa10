package io.continuum.bench;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.TopicServiceGrpc;
import io.grpc.Channel;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Publishes to a Continuum topic through the gRPC gateway; slot k publishes key {@code k<k>}. */
final class ContinuumPublisher implements Publisher {

  private final TopicServiceGrpc.TopicServiceStub topics;
  private final PublishRequest[] requests;

  /**
   * @param topic created in {@code zone} unless it exists
   */
  ContinuumPublisher(Channel gateway, String topic, String zone, int slots, int size)
      throws Exception {
    topics = TopicServiceGrpc.newStub(gateway);
    GrpcChannels.unary(
            topics::create,
            CreateTopicRequest.newBuilder().setName(topic).setHomeZone(zone).build())
        .get(30, TimeUnit.SECONDS);
    requests = new PublishRequest[slots];
    for (int slot = 0; slot < slots; slot++) {
      requests[slot] =
          PublishRequest.newBuilder()
              .setTopic(topic)
              .setPayload(ByteString.copyFrom(Payloads.json("k" + slot, size)))
              .build();
    }
  }

  @Override
  public CompletionStage<?> call(int slot, long seq) {
    return GrpcChannels.unary(topics::publish, requests[slot]);
  }

  @Override
  public void close() {
    // the channel is the scenario's
  }
}
