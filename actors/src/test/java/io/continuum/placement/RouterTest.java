package io.continuum.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The routing policies, on candidates named by their zone. */
class RouterTest {

  private final Router<String> router = new Router<>();
  private final List<String> nodes = List.of("cloud-1", "cloud-2", "edge-b-1");
  private final Map<String, Integer> distance = Map.of("cloud-1", 1, "cloud-2", 1, "edge-b-1", 0);

  private Map<String, Integer> spread(Routing routing, int calls) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      counts.merge(
          router.pick(routing, "object:o", nodes, distance::get).orElseThrow(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void roundRobinSpreadsEvenlyPerName() {
    assertThat(spread(Routing.ROUND_ROBIN, 300))
        .containsOnly(
            Map.entry("cloud-1", 100), Map.entry("cloud-2", 100), Map.entry("edge-b-1", 100));
  }

  @Test
  void leastConnAvoidsTheCandidateWithCallsInFlight() {
    CompletableFuture<String> slow = new CompletableFuture<>();
    router.call("cloud-1", node -> slow);
    router.call("edge-b-1", node -> slow);

    assertThat(spread(Routing.LEAST_CONN, 10)).containsOnly(Map.entry("cloud-2", 10));
    slow.complete("done");
    assertThat(router.pick(Routing.LEAST_CONN, "object:o", nodes, distance::get))
        .contains("cloud-1");
  }

  @Test
  void nearestPicksTheClosestZoneAndRandomReachesEveryCandidate() {
    assertThat(spread(Routing.NEAREST, 20)).containsOnly(Map.entry("edge-b-1", 20));
    assertThat(spread(Routing.RANDOM, 300).keySet()).containsExactlyInAnyOrderElementsOf(nodes);
    assertThat(router.decisions())
        .containsEntry("nearest", 20L)
        .containsEntry("random", 300L)
        .containsEntry("round_robin", 0L);
  }

  @Test
  void noCandidateIsNoChoice() {
    assertThat(router.pick(Routing.RANDOM, "x", List.of(), distance::get)).isEmpty();
  }
}
