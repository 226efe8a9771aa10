package io.continuum.multijvm.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.continuum.node.local.NodeProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 2 of the fault suite: the busy topic is homed in edge-a; every node of edge-a is killed
 * under load, the topic serves from edge-a's fallback zone (cloud), then edge-a returns and the
 * topic goes home, without losing or duplicating anything acknowledged.
 */
class ZoneLossTest extends LoadedClusterTest {

  @Test
  @Timeout(300)
  void aTopicServesFromTheFallbackZoneAndReturnsHome() {
    startLoaded(
        "zone-loss",
        List.of("edge-a", "edge-b", "cloud"),
        Map.of(),
        "edge-a",
        Duration.ofSeconds(2));
    NodeProcess edgeA = cluster.node("edge-a");
    NodeProcess cloud = cluster.node("cloud");
    assertThat(topicHost(cloud)).isSameAs(edgeA);
    assertThat(location(cloud).get("shard").asText()).startsWith("edge-a|");

    long lost = System.nanoTime();
    edgeA.kill();
    cluster.note("killed every node of edge-a");
    double fallback = load.awaitServedAgain(TOPIC, lost, SERVE_AGAIN);
    assertThat(topicHost(cloud)).isSameAs(cloud);
    assertThat(location(cloud).get("zone").asText()).isEqualTo("cloud");

    long returned = System.nanoTime();
    edgeA.start();
    cluster.awaitReady(edgeA);
    double ready = secondsSince(returned);
    cluster.await(
        "the topic to return to edge-a",
        SERVE_AGAIN,
        () -> cluster.hostOf(TOPIC, cloud).filter(edgeA::equals).isPresent());
    double home = secondsSince(returned);
    load.awaitProgress("load served at home", 200, SERVE_AGAIN);
    double pause = load.longestPause(TOPIC, returned);

    cluster.figure(
        "zone-loss: edge-a killed: longest publish pause until served from the fallback zone %.1f s;"
            + " edge-a back: node ready after %.1f s, topic home after %.1f s, longest publish pause while"
            + " going home %.1f s; %s",
        fallback, ready, home, pause, finish(cloud));
  }

  private JsonNode location(NodeProcess observer) {
    return cluster.management(observer, "/continuum/topics/" + TOPIC);
  }
}
