package io.continuum.bench;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.TopicServiceClient;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Publishes to a Continuum topic through the gRPC gateway; slot k publishes key {@code k<k>}. */
final class ContinuumPublisher implements Publisher {

  private final String system;
  private final String setting;
  private final TopicServiceClient client;
  private final PublishRequest[] requests;

  /**
   * @param topic created in {@code zone} unless it exists
   */
  ContinuumPublisher(
      BenchClients clients,
      String gateway,
      String topic,
      String zone,
      int slots,
      int size,
      String system,
      String setting)
      throws Exception {
    this.system = system;
    this.setting = setting;
    client = TopicServiceClient.create(clients.settings(gateway), clients.system);
    client
        .create(CreateTopicRequest.newBuilder().setName(topic).setHomeZone(zone).build())
        .toCompletableFuture()
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
    return client.publish(requests[slot]);
  }

  @Override
  public String system() {
    return system;
  }

  @Override
  public String setting() {
    return setting;
  }

  @Override
  public void close() throws Exception {
    client.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
