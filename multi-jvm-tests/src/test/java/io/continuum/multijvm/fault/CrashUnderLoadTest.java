package io.continuum.multijvm.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.node.local.NodeProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 1 of the fault suite: 8 clients publish and invoke counters continuously while the node
 * hosting the busy topic is killed with SIGKILL, then restarted on the same data.
 */
class CrashUnderLoadTest extends LoadedClusterTest {

  @Test
  @Timeout(300)
  void acknowledgedWorkSurvivesKillNineOfTheBusyNode() {
    startLoaded(
        "crash", List.of("edge-a", "cloud", "cloud"), Map.of(), "cloud", Duration.ofSeconds(2));
    NodeProcess observer = cluster.node("edge-a");
    NodeProcess victim = topicHost(observer);
    assertThat(victim.spec().zone()).isEqualTo("cloud");

    long killed = System.nanoTime();
    victim.kill();
    cluster.note("killed " + victim.spec().name());
    double downed = cluster.awaitDowned(victim, observer, killed, SERVE_AGAIN);
    double topic = load.awaitServedAgain(TOPIC, killed, SERVE_AGAIN);
    double counters = load.awaitCountersServedAgain(killed, SERVE_AGAIN);
    NodeProcess newHost = topicHost(observer);
    assertThat(newHost).isNotSameAs(victim);
    assertThat(newHost.spec().zone()).isEqualTo("cloud");

    long restarted = System.nanoTime();
    victim.start();
    cluster.awaitReady(victim);
    double ready = secondsSince(restarted);

    cluster.figure(
        "crash-under-load: kill -9 of %s (host of the busy topic): downed after %.1f s, longest"
            + " publish pause %.1f s, longest counter pause %.1f s; restarted node ready after"
            + " %.1f s; %s",
        victim.spec().name(), downed, topic, counters, ready, finish(observer));
  }
}
