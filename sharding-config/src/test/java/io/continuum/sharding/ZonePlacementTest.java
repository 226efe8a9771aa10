package io.continuum.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.sharding.ZonePlacement.Region;
import io.continuum.zone.ZoneTopology;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ZonePlacementTest {

  /** edge-a falls back on edge-b, then cloud; edge-x has no fallback. */
  private static final ZoneTopology TOPOLOGY =
      ZoneTopology.parse("edge-a:edge>edge-b>cloud,edge-b:edge>cloud,cloud:cloud,edge-x:edge");

  private final ZonePlacement placement = new ZonePlacement(TOPOLOGY, 4);

  private static Region<String> live(String node, String zone, String... shards) {
    return new Region<>(node, zone, true, List.of(shards));
  }

  private static Region<String> down(String node, String zone, String... shards) {
    return new Region<>(node, zone, false, List.of(shards));
  }

  /** Shards {@code <zone>|0} to {@code <zone>|count-1}. */
  private static String[] shards(String zone, int count) {
    return IntStream.range(0, count).mapToObj(i -> zone + "|" + i).toArray(String[]::new);
  }

  @Nested
  class Allocation {

    @Test
    void goesToTheLeastLoadedLiveNodeOfTheShardsZone() {
      List<Region<String>> regions =
          List.of(
              live("a1", "edge-a", shards("edge-a", 3)),
              live("a2", "edge-a", "edge-a|7"),
              live("c1", "cloud"));

      assertThat(placement.allocate("edge-a|9", regions)).contains("a2");
    }

    @Test
    void skipsUnavailableNodesOfTheZone() {
      List<Region<String>> regions =
          List.of(down("a1", "edge-a"), live("a2", "edge-a", shards("edge-a", 5)));

      assertThat(placement.allocate("edge-a|9", regions)).contains("a2");
    }

    @Test
    void fallsBackToTheFirstZoneOfTheChainWithALiveNode() {
      List<Region<String>> regions =
          List.of(
              down("a1", "edge-a"), live("b1", "edge-b", shards("edge-b", 6)), live("c1", "cloud"));

      assertThat(placement.allocate("edge-a|9", regions)).contains("b1");
    }

    @Test
    void followsTheChainTransitively() {
      List<Region<String>> regions =
          List.of(
              down("a1", "edge-a"),
              down("b1", "edge-b"),
              live("c1", "cloud", shards("cloud", 6)),
              live("x1", "edge-x"));

      assertThat(placement.allocate("edge-a|9", regions)).contains("c1");
    }

    @Test
    void fallsBackToTheLeastLoadedLiveNodeAnywhereWhenTheChainHasNone() {
      List<Region<String>> regions =
          List.of(
              down("x1", "edge-x"),
              live("a1", "edge-a", shards("edge-a", 2)),
              live("c1", "cloud", "cloud|0"));

      assertThat(placement.allocate("edge-x|3", regions)).contains("c1");
    }

    @Test
    void shardOfAnUndeclaredZoneGoesToTheLeastLoadedLiveNode() {
      List<Region<String>> regions =
          List.of(live("a1", "edge-a", "edge-a|0"), live("c1", "cloud"), down("c2", "cloud"));

      assertThat(placement.allocate("retired|3", regions)).contains("c1");
    }

    @Test
    void usesAnUnavailableNodeWhenNoNodeIsLive() {
      List<Region<String>> regions = List.of(down("a1", "edge-a", "edge-a|0"), down("c1", "cloud"));

      assertThat(placement.allocate("edge-a|3", regions)).contains("c1");
    }

    @Test
    void choosesNothingWithoutRegions() {
      assertThat(placement.allocate("edge-a|3", List.<Region<String>>of())).isEmpty();
    }
  }

  @Nested
  class Rebalance {

    @Test
    void sendsShardsHomeWhenTheirZoneHasALiveNodeAgain() {
      List<Region<String>> regions =
          List.of(live("a1", "edge-a"), live("c1", "cloud", "edge-a|1", "cloud|1", "edge-a|2"));

      assertThat(placement.rebalance(regions, Set.of()))
          .containsExactlyInAnyOrder("edge-a|1", "edge-a|2");
    }

    @Test
    void sendsShardsToABetterZoneOfTheirChainWhenItReturns() {
      List<Region<String>> regions =
          List.of(
              down("a1", "edge-a"),
              live("b1", "edge-b", "edge-a|1"),
              live("c1", "cloud", "edge-a|2"));

      assertThat(placement.rebalance(regions, Set.of())).containsExactly("edge-a|2");
    }

    @Test
    void leavesShardsInTheirFallbackZoneWhileTheHomeZoneIsDown() {
      List<Region<String>> regions =
          List.of(down("a1", "edge-a"), live("c1", "cloud", "edge-a|1", "edge-a|2"));

      assertThat(placement.rebalance(regions, Set.of())).isEmpty();
    }

    @Test
    void leavesShardsAtHomeWhereTheyAre() {
      List<Region<String>> regions =
          List.of(
              live("a1", "edge-a", "edge-a|1", "edge-a|2"),
              live("a2", "edge-a", "edge-a|3"),
              live("c1", "cloud", "cloud|1"));

      assertThat(placement.rebalance(regions, Set.of())).isEmpty();
    }

    @Test
    void movesAtMostTheBudgetMinusShardsInProgress() {
      List<Region<String>> regions =
          List.of(live("a1", "edge-a"), live("c1", "cloud", shards("edge-a", 10)));

      Set<String> moving = placement.rebalance(regions, Set.of("edge-a|0"));

      assertThat(moving).hasSize(3).doesNotContain("edge-a|0");
      assertThat(moving).allMatch(shard -> shard.startsWith("edge-a|"));
    }

    @Test
    void movesNothingWhileShardsInProgressUseTheWholeBudget() {
      List<Region<String>> regions =
          List.of(live("a1", "edge-a"), live("c1", "cloud", shards("edge-a", 10)));

      assertThat(placement.rebalance(regions, Set.of("x|1", "x|2", "x|3", "x|4"))).isEmpty();
    }

    @Test
    void evensOutNodesOfAZoneThatDifferByTwoOrMore() {
      List<Region<String>> regions =
          List.of(live("a1", "edge-a", shards("edge-a", 4)), live("a2", "edge-a"));

      Set<String> moving = placement.rebalance(regions, Set.of());

      assertThat(moving).hasSize(2).isSubsetOf(shards("edge-a", 4));
    }

    @Test
    void movesHalfTheDifferenceBetweenTheFullestAndEmptiestNode() {
      List<Region<String>> regions =
          List.of(
              live("a1", "edge-a", "edge-a|0", "edge-a|1", "edge-a|2"),
              live("a2", "edge-a", shards("edge-a", 7)),
              live("a3", "edge-a", "edge-a|8"));

      assertThat(placement.rebalance(regions, Set.of())).hasSize(3);
    }

    @Test
    void toleratesADifferenceOfOne() {
      List<Region<String>> regions =
          List.of(
              live("a1", "edge-a", "edge-a|0", "edge-a|1", "edge-a|2"),
              live("a2", "edge-a", "edge-a|3", "edge-a|4"));

      assertThat(placement.rebalance(regions, Set.of())).isEmpty();
    }

    @Test
    void balancingMovesOnlyTheZonesOwnShards() {
      List<Region<String>> regions =
          List.of(
              down("x1", "edge-x"),
              live("a1", "edge-a", "edge-x|1", "edge-x|2", "edge-a|1", "edge-x|3"),
              live("a2", "edge-a"));

      assertThat(placement.rebalance(regions, Set.of())).containsExactly("edge-a|1");
    }

    @Test
    void balancingIgnoresUnavailableNodes() {
      List<Region<String>> regions =
          List.of(live("a1", "edge-a", shards("edge-a", 4)), down("a2", "edge-a"));

      assertThat(placement.rebalance(regions, Set.of())).isEmpty();
    }

    @Test
    void homecomingAndBalancingShareOneBudget() {
      List<Region<String>> regions =
          List.of(
              live("c1", "cloud", "edge-a|10", "edge-a|11", "edge-a|12"),
              live("a1", "edge-a", shards("edge-a", 6)),
              live("a2", "edge-a"));

      Set<String> moving = placement.rebalance(regions, Set.of());

      assertThat(moving)
          .hasSize(4)
          .contains("edge-a|10", "edge-a|11", "edge-a|12")
          .containsAnyOf(shards("edge-a", 6));
    }

    @Test
    void leavesAShardOutsideItsChainWhereItIsWhileNoZoneOfTheChainIsLive() {
      // edge-x is down and has no fallback, so its shard serves from the least-loaded live node
      // anywhere. No live zone is better than another for it: moving it would only hand it off
      // for allocation to choose c1 again, every round.
      List<Region<String>> regions =
          List.of(
              down("x1", "edge-x"),
              live("b1", "edge-b", shards("edge-b", 3)),
              live("c1", "cloud", "edge-x|1"));

      assertThat(placement.allocate("edge-x|1", regions)).contains("c1");
      assertThat(placement.rebalance(regions, Set.of())).isEmpty();
    }

    @Test
    void sendsAShardOutsideItsChainHomeWhenTheChainHasALiveNodeAgain() {
      List<Region<String>> regions =
          List.of(live("x1", "edge-x"), live("b1", "edge-b"), live("c1", "cloud", "edge-x|1"));

      assertThat(placement.rebalance(regions, Set.of())).containsExactly("edge-x|1");
    }
  }
}
