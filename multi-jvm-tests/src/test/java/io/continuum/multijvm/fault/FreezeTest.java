package io.continuum.multijvm.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.node.local.NodeProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 3 of the fault suite: the node hosting the busy topic is frozen (SIGSTOP, which its
 * peers cannot tell from a partition) until the Split Brain Resolver has downed it and its entities
 * serve elsewhere, then thawed. The thawed node must not go on serving: it learns it was downed and
 * exits; restarted, it rejoins. The journal shows that no persistence id was written by the old and
 * the new incarnation in turn.
 */
class FreezeTest extends LoadedClusterTest {

  @Test
  @Timeout(300)
  void aFrozenNodeIsDownedAndNeverWritesAgainAfterItThaws() {
    startLoaded(
        "freeze", List.of("edge-a", "cloud", "cloud"), Map.of(), "cloud", Duration.ofSeconds(2));
    NodeProcess observer = cluster.node("edge-a");
    NodeProcess victim = topicHost(observer);

    long frozen = System.nanoTime();
    victim.freeze();
    cluster.note("froze " + victim.spec().name());
    double downed;
    double topic;
    try {
      downed = cluster.awaitDowned(victim, observer, frozen, SERVE_AGAIN);
      topic = load.awaitServedAgain(TOPIC, frozen, SERVE_AGAIN);
      // The new incarnations write while the old ones are frozen with their state in memory.
      load.awaitProgress("load while frozen", 200, SERVE_AGAIN);
    } finally {
      victim.thaw();
    }
    long thawed = System.nanoTime();
    cluster.note("thawed " + victim.spec().name());
    assertThat(victim.awaitExit(Duration.ofSeconds(60)))
        .as("%s exits once it learns it was downed", victim.spec().name())
        .isTrue();
    double exited = secondsSince(thawed);

    victim.start();
    cluster.awaitReady(victim);
    cluster.figure(
        "freeze: %s frozen %.1f s: downed after %.1f s, longest publish pause %.1f s; after"
            + " the thaw it exited in %.1f s and rejoined on restart; %s",
        victim.spec().name(), (thawed - frozen) / 1e9, downed, topic, exited, finish(observer));
  }
}
