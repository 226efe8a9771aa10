package io.continuum.multijvm.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.gateway.v1.GetStateRequest;
import io.continuum.gateway.v1.LatestRequest;
import io.continuum.multijvm.TestCluster;
import io.continuum.node.local.NodeProcess;
import io.continuum.testkit.CassandraServer;
import io.grpc.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 5 of the fault suite, and the suite's configuration on a real Cassandra: Cassandra is
 * stopped for 20 s under load. Writes are refused with {@code UNAVAILABLE} (so never acknowledged),
 * reads of state the nodes hold in memory go on, and once Cassandra is back the same node processes
 * serve again and nothing acknowledged is lost.
 */
class StorageOutageTest extends LoadedClusterTest {

  private static final Duration OUTAGE = Duration.ofSeconds(20);

  private CassandraServer cassandra;

  @AfterEach
  void stopCassandra() {
    if (cassandra != null) {
      cassandra.close();
    }
  }

  @Test
  @Timeout(480)
  void writesAreRefusedDuringACassandraOutageAndNothingAcknowledgedIsLost() throws IOException {
    cassandra = CassandraServer.start(TestCluster.directory("cassandra"));
    startLoaded(
        "storage-outage",
        List.of("edge-a", "cloud", "cloud"),
        Map.of(
            "CONTINUUM_PERSISTENCE", "cassandra",
            "CONTINUUM_CASSANDRA_CONTACT_POINTS", cassandra.contactPoint(),
            "CONTINUUM_CASSANDRA_DATACENTER", cassandra.localDatacenter()),
        "cloud",
        Duration.ofSeconds(10));
    NodeProcess reader = cluster.node("edge-a");
    List<Long> pids = cluster.nodes().stream().map(NodeProcess::pid).toList();
    Map<Status.Code, Long> failuresBefore = load.failures();

    long stopped = System.nanoTime();
    cassandra.stop();
    cluster.note("Cassandra stopped");
    long ackedAtStop = load.acknowledged();
    int[] reads = new int[2];
    cluster.await(
        "the outage to last " + OUTAGE.toSeconds() + " s",
        OUTAGE.plusSeconds(10),
        () -> {
          reads[readInMemoryState(reader) ? 0 : 1]++;
          return secondsSince(stopped) >= OUTAGE.toSeconds();
        });
    long ackedDuringOutage = load.acknowledged() - ackedAtStop;
    Map<Status.Code, Long> failuresDuring = load.failures();
    failuresBefore.forEach((code, n) -> failuresDuring.merge(code, -n, Long::sum));

    long restarted = System.nanoTime();
    cassandra.restart();
    double cassandraUp = secondsSince(restarted);
    double served = load.awaitServedAgain(TOPIC, restarted, SERVE_AGAIN);
    double counters = load.awaitCountersServedAgain(restarted, SERVE_AGAIN);
    assertThat(cluster.nodes()).allMatch(NodeProcess::isAlive);
    assertThat(cluster.nodes().stream().map(NodeProcess::pid).toList())
        .as("the same node processes serve after the outage")
        .isEqualTo(pids);

    cluster.figure(
        "storage-outage (Cassandra): stopped %.1f s + %.1f s to restart; during it %d calls"
            + " acknowledged (in flight at the stop), failed attempts %s, in-memory reads %d ok /"
            + " %d failed; longest pause of publishes %.1f s and of a counter %.1f s in all, no"
            + " node restarted; %s",
        OUTAGE.toSeconds() * 1.0,
        cassandraUp,
        ackedDuringOutage,
        failuresDuring,
        reads[0],
        reads[1],
        served,
        counters,
        finish(reader));
    long unavailable = failuresDuring.getOrDefault(Status.Code.UNAVAILABLE, 0L);
    assertThat(unavailable)
        .as("writes refused with UNAVAILABLE during the outage: %s", failuresDuring)
        .isPositive()
        // Only calls already inside an entity when its write failed may wait out their deadline.
        .isGreaterThan(10 * failuresDuring.getOrDefault(Status.Code.DEADLINE_EXCEEDED, 0L));
    assertThat(reads[0]).as("in-memory reads served during the outage").isPositive();
    // A read fails only if it reaches the topic or the counter in the moment between its failed
    // write and its failed recovery, before it knows of the outage: at most once each.
    assertThat(reads[1]).as("in-memory reads that failed during the outage").isLessThanOrEqualTo(2);
  }

  /** The topic's latest index and a counter's state, which the nodes hold in memory. */
  private boolean readInMemoryState(NodeProcess reader) {
    return succeeds(
            cluster.topics(reader).latest(LatestRequest.newBuilder().setTopic(TOPIC).build()))
        && succeeds(
            cluster
                .functions(reader)
                .getState(
                    GetStateRequest.newBuilder()
                        .setType(Workload.COUNTER)
                        .setId(Workload.counter(0))
                        .build()));
  }

  private static boolean succeeds(CompletionStage<?> call) {
    try {
      TestCluster.within(call, Duration.ofSeconds(2)).get(3, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
