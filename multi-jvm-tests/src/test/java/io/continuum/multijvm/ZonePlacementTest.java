package io.continuum.multijvm;

import static io.continuum.multijvm.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.ReadRequest;
import io.continuum.gateway.v1.TopicServiceClient;
import io.continuum.node.local.LocalCluster;
import io.continuum.node.local.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A topic lives on a node of its home zone, and on the fallback zone while its zone is gone. */
class ZonePlacementTest extends ClusterTest {

  @Test
  @Timeout(600)
  void topicHomedInEdgeAMovesToTheFallbackZoneWhenEdgeALeaves() {
    cluster =
        TestCluster.start(
            Path.of("target", "clusters", "placement-" + System.currentTimeMillis()),
            LocalCluster.DEV_TOPOLOGY,
            List.of("edge-a", "edge-b", "cloud"),
            Map.of());
    NodeProcess edgeA = cluster.node("edge-a");
    NodeProcess cloud = cluster.node("cloud");
    TopicServiceClient client = cluster.topics(cloud);
    await(
        client.create(
            CreateTopicRequest.newBuilder().setName("placed").setHomeZone("edge-a").build()));
    for (int i = 1; i <= 3; i++) {
      await(client.publish(publish("before-" + i)));
    }

    JsonNode home = cluster.management(cloud, "/continuum/topics/placed");
    assertThat(home.get("zone").asText()).isEqualTo("edge-a");
    assertThat(home.get("node").asText()).endsWith(":" + edgeA.spec().remotePort());
    assertThat(home.get("shard").asText()).startsWith("edge-a|");

    edgeA.stop(Duration.ofSeconds(30));

    cluster.await(
        "topic 'placed' to be hosted in the fallback zone cloud",
        Duration.ofSeconds(90),
        () -> {
          JsonNode location = cluster.management(cloud, "/continuum/topics/placed");
          return location != null && location.get("zone").asText().equals("cloud");
        });
    JsonNode fallback = cluster.management(cloud, "/continuum/topics/placed");
    assertThat(fallback.get("node").asText()).endsWith(":" + cloud.spec().remotePort());
    assertThat(fallback.get("latestIndex").asLong()).isEqualTo(3);
    assertThat(await(client.publish(publish("after"))).getIndex()).isEqualTo(4);
    assertThat(
            await(
                    client.read(
                        ReadRequest.newBuilder()
                            .setTopic("placed")
                            .setFromIndex(1)
                            .setMax(10)
                            .build()))
                .getEntriesList())
        .extracting(e -> e.getPayload().toStringUtf8())
        .containsExactly("before-1", "before-2", "before-3", "after");
  }

  private static PublishRequest publish(String payload) {
    return PublishRequest.newBuilder()
        .setTopic("placed")
        .setPayload(ByteString.copyFromUtf8(payload))
        .build();
  }
}
