package io.continuum.multijvm.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.gateway.v1.PlacementInfo;
import io.continuum.gateway.v1.PlacementServiceClient;
import io.continuum.gateway.v1.SetPlacementRequest;
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
 * FaDO's load balancer stalled at one policy change per second. Here placement policies change ten
 * times a second for 60 s while 64 clients publish and invoke: in turn, the routing of the counter
 * type and of two counter instances, and every tenth change a move of a third instance between
 * cloud and edge-b (one move a second). Every change goes through the replicated directory that
 * every gateway routes by. No call may fail for a client that retries {@code UNAVAILABLE} once, and
 * afterwards every acknowledged call is there exactly once. (Moves at ten a second are {@link
 * MigrationTest}'s.)
 */
class PolicyChurnTest extends LoadedClusterTest {

  private static final int CLIENTS = 64;
  private static final int CHANGES = 600;
  private static final long EVERY_NANOS = 100_000_000L;
  private static final List<String> ROUTINGS =
      List.of("least_conn", "random", "nearest", "round_robin");

  @Test
  @Timeout(420)
  void tenPolicyChangesASecondForAMinuteUnder64ClientsFailNoCall() {
    startLoaded(
        "policy-churn",
        List.of("edge-a", "edge-b", "cloud"),
        Map.of(),
        "cloud",
        Duration.ofSeconds(10),
        CLIENTS);
    NodeProcess gateway = cluster.node("edge-a");
    PlacementServiceClient placement = cluster.placement(gateway);
    String first = Workload.COUNTER + "/" + Workload.counter(1);
    String second = Workload.COUNTER + "/" + Workload.counter(2);
    String moving = Workload.COUNTER + "/" + Workload.counter(3);

    long started = System.nanoTime();
    List<CompletableFuture<PlacementInfo>> changes = new ArrayList<>();
    for (int change = 0; change < CHANGES; change++) {
      String routing = ROUTINGS.get((change / 3) % ROUTINGS.size());
      SetPlacementRequest.Builder request =
          change % 10 == 9
              ? instance(moving).setZone(change % 20 == 9 ? "edge-b" : "cloud")
              : switch (change % 3) {
                case 0 -> instance(first).setRouting(routing);
                case 1 ->
                    SetPlacementRequest.newBuilder()
                        .setKind("function")
                        .setName(Workload.COUNTER)
                        .setRouting(routing);
                default -> instance(second).setRouting(routing);
              };
      changes.add(TestCluster.within(placement.set(request.build()), Duration.ofSeconds(30)));
      long next = started + (change + 1) * EVERY_NANOS;
      TestCluster.pause(Math.max(0, (next - System.nanoTime()) / 1_000_000));
    }
    changes.forEach(CompletableFuture::join);
    double seconds = secondsSince(started);
    for (SetPlacementRequest.Builder reset :
        List.of(
            instance(first).setReset(true),
            instance(second).setReset(true),
            instance(moving).setReset(true),
            SetPlacementRequest.newBuilder()
                .setKind("function")
                .setName(Workload.COUNTER)
                .setReset(true))) {
      TestCluster.await(placement.set(reset.build()));
    }

    long failed = load.failedForOneRetryClient();
    cluster.figure(
        "policy-churn: %d policy changes in %.1f s (%.1f/s) under %d clients; calls failed for a"
            + " client retrying UNAVAILABLE once: %d; %s",
        CHANGES, seconds, CHANGES / seconds, CLIENTS, failed, finish(gateway));
    assertThat(failed).as("calls failed for a client retrying UNAVAILABLE once").isZero();
  }

  private static SetPlacementRequest.Builder instance(String name) {
    return SetPlacementRequest.newBuilder().setKind("instance").setName(name);
  }
}
