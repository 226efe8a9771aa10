package io.continuum.multijvm.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.node.local.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 6 of the fault suite: every node is restarted in turn under load (SIGTERM, which leaves
 * the cluster and hands its shards off, then a start on the same data, waiting until it is ready).
 * A client that retries {@code UNAVAILABLE} once, through another gateway, sees no failed call.
 */
class RollingRestartTest extends LoadedClusterTest {

  @Test
  @Timeout(400)
  void aClientRetryingUnavailableOnceSeesNoFailedCall() {
    startLoaded(
        "rolling", List.of("edge-a", "cloud", "cloud"), Map.of(), "cloud", Duration.ofSeconds(10));
    long started = System.nanoTime();
    List<String> restarts = new ArrayList<>();
    for (NodeProcess node : cluster.nodes()) {
      long restart = System.nanoTime();
      cluster.restart(node);
      restarts.add(String.format("%s %.1f s", node.spec().name(), secondsSince(restart)));
      load.awaitProgress("load after restarting " + node.spec().name(), 200, SERVE_AGAIN);
    }
    double pause = load.longestPause(TOPIC, started);
    String outcome = finish(cluster.node("edge-a"));
    long failed = load.failedForOneRetryClient();
    cluster.figure(
        "rolling-restart: restarted %s; longest publish pause %.1f s; calls failed for a client"
            + " retrying UNAVAILABLE once: %d; %s",
        restarts, pause, failed, outcome);
    assertThat(failed).as("calls failed for a client retrying UNAVAILABLE once").isZero();
  }
}
