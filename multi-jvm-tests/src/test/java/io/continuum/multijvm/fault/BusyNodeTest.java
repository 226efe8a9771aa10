package io.continuum.multijvm.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.gateway.v1.GetObjectRequest;
import io.continuum.gateway.v1.ObjectServiceClient;
import io.continuum.gateway.v1.UpdateObjectRequest;
import io.continuum.gateway.v1.UpdateObjectResponse;
import io.continuum.multijvm.TestCluster;
import io.continuum.node.local.LocalCluster;
import io.continuum.node.local.NodeProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A busy node is not a dead node: on a cold cluster, a burst of 1,000 concurrent object updates
 * through one gateway, then steady load while CPU hogs run beside the nodes and one node stalls for
 * 3 s as in a long GC pause. No node may be downed and no call may fail: a crashed process is
 * downed from positive evidence (its port refuses connections), so the heartbeat failure detector
 * can ride out pauses like these.
 */
class BusyNodeTest extends LoadedClusterTest {

  private static final int UPDATES = 1_000;
  private static final Duration STALL = Duration.ofSeconds(3);

  @Test
  @Timeout(400)
  void burstsHogsAndStallsDownNoNodeAndFailNoCall() throws IOException {
    cluster =
        TestCluster.start(
            TestCluster.directory("busy-node"),
            LocalCluster.DEV_TOPOLOGY,
            List.of("edge-a", "edge-b", "cloud"),
            Map.of());

    long burstStarted = System.nanoTime();
    assertThat(allReduce(cluster.objects(cluster.node("cloud")))).isEqualTo(expectedSum());
    double burst = secondsSince(burstStarted);
    assertNoNodeDowned();

    load = Workload.start(cluster, TOPIC, "cloud", CLIENTS, Duration.ofSeconds(30));
    load.awaitProgress("warm-up", 400, SERVE_AGAIN);
    List<Process> hogs = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        hogs.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
      }
      load.awaitProgress("load beside the CPU hogs", 1_000, SERVE_AGAIN);
      NodeProcess stalled = topicHost(cluster.node("edge-a"));
      stalled.freeze();
      TestCluster.pause(STALL.toMillis());
      stalled.thaw();
      load.awaitProgress("load after the stall", 1_000, SERVE_AGAIN);
    } finally {
      hogs.forEach(Process::destroyForcibly);
    }
    assertNoNodeDowned();
    String outcome = finish(cluster.node("edge-a"));
    assertThat(load.failures()).as("failed call attempts").isEmpty();
    assertNoNodeDowned();
    cluster.figure(
        "busy-node: %d concurrent object updates on a cold cluster in %.1f s; then 4 CPU hogs and"
            + " a %d s stall of the busy topic's node: no node downed, no call failed; %s",
        UPDATES, burst, STALL.toSeconds(), outcome);
  }

  /** Adds 1..UPDATES * 1000 in UPDATES concurrent chunks, then reads the sum back. */
  private static String allReduce(ObjectServiceClient objects) {
    List<CompletableFuture<UpdateObjectResponse>> chunks = new ArrayList<>();
    for (int chunk = 0; chunk < UPDATES; chunk++) {
      chunks.add(
          objects
              .update(
                  UpdateObjectRequest.newBuilder()
                      .setObject("busy-allreduce")
                      .setField("sum")
                      .setOp("increment")
                      .addArgs(Long.toString(chunkSum(chunk)))
                      .setType("pncounter")
                      .addZones("cloud")
                      .addZones("edge-a")
                      .build())
              .toCompletableFuture());
    }
    chunks.forEach(CompletableFuture::join);
    return TestCluster.await(
            objects.get(
                GetObjectRequest.newBuilder().setObject("busy-allreduce").setField("sum").build()))
        .getFields(0)
        .getJson();
  }

  private static long chunkSum(int chunk) {
    long sum = 0;
    for (int i = 1; i <= 1_000; i++) {
      sum += (long) chunk * 1_000 + i;
    }
    return sum;
  }

  private static String expectedSum() {
    long n = UPDATES * 1_000L;
    return Long.toString(n * (n + 1) / 2);
  }

  /** Every node is alive and every node counts every other one as a live member. */
  private void assertNoNodeDowned() {
    for (NodeProcess observer : cluster.nodes()) {
      assertThat(observer.isAlive()).as("%s alive", observer.spec().name()).isTrue();
      for (NodeProcess node : cluster.nodes()) {
        assertThat(cluster.isDownedAsSeenBy(observer, node))
            .as("%s downed as %s sees it", node.spec().name(), observer.spec().name())
            .isFalse();
      }
    }
  }
}
