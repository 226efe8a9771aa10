package io.continuum.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.ReadRequest;
import io.continuum.gateway.v1.UpdateObjectRequest;
import io.continuum.node.local.LocalCluster;
import io.continuum.node.local.NodeProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every limit a client can hit is checked where its call enters, on every gateway, even when what
 * it calls lives in another zone: the answer names the limit, and what the gateway accepts always
 * fits in one message between nodes (a 5 MiB publish through another zone's gateway used to be
 * dropped by cluster remoting and answered {@code UNAVAILABLE: retry} at its deadline).
 */
class MessageLimitsTest extends ClusterTest {

  private static final int GATEWAY_LIMIT = 4 * 1024 * 1024;
  private static final int OVERSIZED = 5 * 1024 * 1024;

  @Test
  @Timeout(300)
  void callsThroughAnotherZonesGatewayMeetTheSameLimitsAndTheLargestAcceptedOnesCross() {
    cluster =
        TestCluster.start(
            TestCluster.directory("message-limits"),
            LocalCluster.DEV_TOPOLOGY,
            List.of("edge-a", "cloud"),
            Map.of());
    NodeProcess elsewhere = cluster.node("edge-a");
    create("small-entries", 1024);
    create("large-entries", 1024 * 1024);

    Status overTopic = statusOf(cluster.topics(elsewhere).publish(entry("small-entries", 2048)));
    assertThat(overTopic.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(overTopic.getDescription())
        .isEqualTo(
            "entry of 2048 bytes exceeds the limit of topic 'small-entries': at most 1024 bytes"
                + " per entry");

    Status overGateway =
        statusOf(cluster.topics(elsewhere).publish(entry("small-entries", OVERSIZED)));
    assertThat(overGateway.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(overGateway.getDescription()).contains("limit of " + GATEWAY_LIMIT + " bytes");

    // The largest entry a topic may hold crosses to the topic and back.
    long index =
        TestCluster.await(cluster.topics(elsewhere).publish(entry("large-entries", 1024 * 1024)))
            .getIndex();
    assertThat(
            TestCluster.await(
                    cluster
                        .topics(elsewhere)
                        .read(
                            ReadRequest.newBuilder()
                                .setTopic("large-entries")
                                .setFromIndex(index)
                                .setMax(1)
                                .build()))
                .getEntries(0)
                .getPayload()
                .size())
        .isEqualTo(1024 * 1024);

    // An invocation as large as the gateway accepts reaches an instance in the cloud.
    InvokeResponse reduced =
        TestCluster.await(cluster.functions(elsewhere).invoke(chunkOfAbout(GATEWAY_LIMIT - 4096)));
    assertThat(reduced.getServedByZone()).isEqualTo("cloud");
    assertThat(reduced.getPayload().toStringUtf8()).startsWith("{\"sum\":");

    Status overInvoke = statusOf(cluster.functions(elsewhere).invoke(chunkOfAbout(OVERSIZED)));
    assertThat(overInvoke.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(overInvoke.getDescription()).contains("limit of " + GATEWAY_LIMIT + " bytes");

    Status overUpdate =
        statusOf(
            cluster
                .objects(elsewhere)
                .update(
                    UpdateObjectRequest.newBuilder()
                        .setObject("limits")
                        .setField("n")
                        .setOp("increment")
                        .addArgs("1".repeat(OVERSIZED))
                        .build()));
    assertThat(overUpdate.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(overUpdate.getDescription()).contains("limit of " + GATEWAY_LIMIT + " bytes");

    // The gateway that refused all of that still serves.
    assertThat(
            TestCluster.await(cluster.topics(elsewhere).publish(entry("small-entries", 10)))
                .getIndex())
        .isEqualTo(1);
  }

  private void create(String topic, int maxEntryBytes) {
    TestCluster.await(
        cluster
            .topics(cluster.node("cloud"))
            .create(
                CreateTopicRequest.newBuilder()
                    .setName(topic)
                    .setHomeZone("cloud")
                    .setMaxEntryBytes(maxEntryBytes)
                    .build()));
  }

  private static PublishRequest entry(String topic, int bytes) {
    return PublishRequest.newBuilder()
        .setTopic(topic)
        .setPayload(ByteString.copyFrom(new byte[bytes]))
        .build();
  }

  /** A chunk for the AllReduce example's worker whose JSON is about {@code bytes} long. */
  private static InvokeRequest chunkOfAbout(int bytes) {
    String value = "1000000000000";
    int values = (bytes - 16) / (value.length() + 1);
    String json = "{\"values\":[" + (value + ",").repeat(values - 1) + value + "]}";
    return InvokeRequest.newBuilder()
        .setType("allreduce-worker")
        .setId("limits")
        .setPayload(ByteString.copyFrom(json, StandardCharsets.UTF_8))
        .build();
  }

  private static Status statusOf(CompletionStage<?> call) {
    try {
      call.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(StatusRuntimeException.class);
      return ((StatusRuntimeException) e.getCause()).getStatus();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the call was not answered: " + e, e);
    }
    throw new AssertionError("expected the call to be refused");
  }
}
