package io.continuum.multijvm.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.gateway.v1.PlacementInfo;
import io.continuum.gateway.v1.PlacementServiceClient;
import io.continuum.gateway.v1.SetPlacementRequest;
import io.continuum.gateway.v1.ShowPlacementRequest;
import io.continuum.multijvm.TestCluster;
import io.continuum.node.local.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Placement changes at runtime under the load of 8 clients: a busy counter instance moves from
 * cloud to edge-b and back, the busy topic moves from cloud to edge-b and back, the whole counter
 * type moves to edge-a, then one instance's home flips between two zones ten times a second (one
 * change issued every 100 ms, each awaited at the end). Afterwards every acknowledged increment and
 * publish is there exactly once, and the journal shows one writer at a time for every persistence
 * id.
 */
class MigrationTest extends LoadedClusterTest {

  private static final Duration MOVE = Duration.ofSeconds(30);

  @Test
  @Timeout(300)
  void busyInstancesAndTypesMoveWithTheirHistoryWhileCallsFlow() {
    startLoaded(
        "migration",
        List.of("edge-a", "edge-b", "cloud"),
        Map.of(),
        "cloud",
        Duration.ofSeconds(10));
    NodeProcess gateway = cluster.node("edge-a");
    PlacementServiceClient placement = cluster.placement(gateway);
    String busy = Workload.COUNTER + "/" + Workload.counter(0);
    assertThat(show(placement, "instance", busy).getNodeZone()).isEqualTo("cloud");

    long moved = System.nanoTime();
    PlacementInfo toEdge = set(placement, "instance", busy, "edge-b");
    double setSeconds = secondsSince(moved);
    double instancePause = load.awaitServedAgain(Workload.counter(0), moved, MOVE);
    assertThat(toEdge.getSourcesMap()).containsEntry("zone", "runtime: instance override");
    assertThat(show(placement, "instance", busy).getNodeZone()).isEqualTo("edge-b");

    long topicMoved = System.nanoTime();
    PlacementInfo topicToEdge = set(placement, "topic", TOPIC, "edge-b");
    double topicPause = load.awaitServedAgain(TOPIC, topicMoved, MOVE);
    assertThat(topicToEdge.getSourcesMap()).containsEntry("zone", "runtime: topic override");
    cluster.await(
        "the busy topic served from edge-b", MOVE, () -> topicServedFrom(gateway, "edge-b"));

    long typeMoved = System.nanoTime();
    set(placement, "function", Workload.COUNTER, "edge-a");
    double typePause = load.awaitCountersServedAgain(typeMoved, MOVE);
    assertThat(
            show(placement, "instance", Workload.COUNTER + "/" + Workload.counter(3)).getNodeZone())
        .isEqualTo("edge-a");
    assertThat(show(placement, "instance", busy).getNodeZone())
        .as("the instance override wins over the type's")
        .isEqualTo("edge-b");

    String flipping = Workload.COUNTER + "/" + Workload.counter(1);
    long flipsStarted = System.nanoTime();
    List<CompletableFuture<PlacementInfo>> changes = new ArrayList<>();
    for (int change = 0; change < 100; change++) {
      changes.add(
          TestCluster.within(
              placement.set(
                  SetPlacementRequest.newBuilder()
                      .setKind("instance")
                      .setName(flipping)
                      .setZone(change % 2 == 0 ? "cloud" : "edge-b")
                      .build()),
              MOVE));
      long next = flipsStarted + (change + 1) * 100_000_000L;
      TestCluster.pause(Math.max(0, (next - System.nanoTime()) / 1_000_000));
    }
    changes.forEach(CompletableFuture::join);
    double flipSeconds = secondsSince(flipsStarted);
    load.awaitServedAgain(Workload.counter(1), flipsStarted, MOVE);

    reset(placement, "instance", busy);
    reset(placement, "instance", flipping);
    reset(placement, "function", Workload.COUNTER);
    reset(placement, "topic", TOPIC);
    long home = System.nanoTime();
    double homePause = load.awaitCountersServedAgain(home, MOVE);
    assertThat(show(placement, "instance", busy).getNodeZone()).isEqualTo("cloud");
    cluster.await("the busy topic back in cloud", MOVE, () -> topicServedFrom(gateway, "cloud"));

    cluster.figure(
        "migration: set took %.2f s, the busy instance paused %.2f s moving cloud→edge-b; the busy"
            + " topic paused %.2f s moving cloud→edge-b; moving the type to edge-a paused counters"
            + " at most %.2f s; %d policy changes in %.1f s (%.1f/s); back home paused at most %.2f"
            + " s; %s",
        setSeconds,
        instancePause,
        topicPause,
        typePause,
        changes.size(),
        flipSeconds,
        changes.size() / flipSeconds,
        homePause,
        finish(gateway));
    assertThat(load.failedForOneRetryClient())
        .as("calls a client retrying UNAVAILABLE once would have seen fail")
        .isZero();
  }

  private boolean topicServedFrom(NodeProcess observer, String zone) {
    return cluster
        .hostOf(TOPIC, observer)
        .filter(node -> node.spec().zone().equals(zone))
        .isPresent();
  }

  private static PlacementInfo show(PlacementServiceClient placement, String kind, String name) {
    return TestCluster.await(
            placement.show(ShowPlacementRequest.newBuilder().setKind(kind).setName(name).build()))
        .getPlacements(0);
  }

  private static PlacementInfo set(
      PlacementServiceClient placement, String kind, String name, String zone) {
    return TestCluster.await(
        placement.set(
            SetPlacementRequest.newBuilder().setKind(kind).setName(name).setZone(zone).build()));
  }

  private static void reset(PlacementServiceClient placement, String kind, String name) {
    TestCluster.await(
        placement.set(
            SetPlacementRequest.newBuilder().setKind(kind).setName(name).setReset(true).build()));
  }
}
