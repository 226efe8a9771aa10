package io.continuum.sharding;

import io.continuum.zone.ZoneTopology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The decisions of {@link ZoneAwareAllocation}, free of cluster state and side effects: given the
 * shard regions as they are now, which region a new shard goes to and which shards a rebalance
 * round moves. {@link ZoneAwareAllocation} reads the cluster and hands the result to Pekko.
 */
final class ZonePlacement {

  /**
   * A shard region as placement sees it.
   *
   * @param ref the region's handle, returned by {@link #allocate}
   * @param zone the zone of the region's node, empty when the node has no zone role
   * @param available its node is up (or weakly up) and reachable
   * @param shards the shards it holds, in the coordinator's order
   * @param <R> the type of the handle ({@code ActorRef} in production)
   */
  record Region<R>(R ref, String zone, boolean available, List<String> shards) {}

  private final ZoneTopology topology;
  private final int maxRebalancePerRound;

  /**
   * @param topology the zones and their fallback chains
   * @param maxRebalancePerRound upper bound of shards moved by one rebalance round, in progress
   *     included
   */
  ZonePlacement(ZoneTopology topology, int maxRebalancePerRound) {
    this.topology = topology;
    this.maxRebalancePerRound = maxRebalancePerRound;
  }

  /**
   * The least-loaded of the {@linkplain #preferredRegions preferred regions} of the shard's zone;
   * empty only when there is no region at all.
   */
  <R> Optional<R> allocate(String shardId, List<Region<R>> regions) {
    return preferredRegions(ZoneEntityId.zoneOfShard(shardId), regions).stream()
        .min(leastLoaded())
        .map(Region::ref);
  }

  /**
   * The shards one rebalance round moves: first shards that are away from the best zone that has a
   * live node (homecoming), then shards evening out a zone's nodes; never a shard already in
   * progress, and no more than {@code maxRebalancePerRound} minus the shards in progress.
   */
  <R> Set<String> rebalance(List<Region<R>> regions, Set<String> inProgress) {
    int budget = maxRebalancePerRound - inProgress.size();
    if (budget <= 0) {
      return Set.of();
    }
    Set<String> moving = new HashSet<>();
    collectHomecomings(regions, inProgress, budget, moving);
    collectZoneImbalance(regions, inProgress, budget, moving);
    return moving;
  }

  /**
   * Shards living outside the best zone that currently has a live node go back to it. A shard whose
   * chain has no live node is where it should be on any preferred (live) node: moving it would only
   * bounce it between zones.
   */
  private <R> void collectHomecomings(
      List<Region<R>> regions, Set<String> inProgress, int budget, Set<String> moving) {
    for (Region<R> region : regions) {
      for (String shard : region.shards()) {
        if (moving.size() >= budget) {
          return;
        }
        List<Region<R>> preferred = preferredRegions(ZoneEntityId.zoneOfShard(shard), regions);
        boolean misplaced = preferred.stream().noneMatch(r -> r.zone().equals(region.zone()));
        if (misplaced && !inProgress.contains(shard)) {
          moving.add(shard);
        }
      }
    }
  }

  /** Within one zone, moves shards off a node holding at least two more than the emptiest. */
  private <R> void collectZoneImbalance(
      List<Region<R>> regions, Set<String> inProgress, int budget, Set<String> moving) {
    Map<String, List<Region<R>>> byZone = new HashMap<>();
    regions.stream()
        .filter(Region::available)
        .forEach(r -> byZone.computeIfAbsent(r.zone(), z -> new ArrayList<>()).add(r));
    for (List<Region<R>> zoneRegions : byZone.values()) {
      Region<R> most = zoneRegions.stream().max(leastLoaded()).orElseThrow();
      Region<R> least = zoneRegions.stream().min(leastLoaded()).orElseThrow();
      int excess = (most.shards().size() - least.shards().size()) / 2;
      for (String shard : most.shards()) {
        if (excess <= 0 || moving.size() >= budget) {
          break;
        }
        if (ZoneEntityId.zoneOfShard(shard).equals(most.zone())
            && !inProgress.contains(shard)
            && moving.add(shard)) {
          excess--;
        }
      }
    }
  }

  /**
   * The live regions of the first zone in the placement chain that has any; else every live region;
   * else every region.
   */
  private <R> List<Region<R>> preferredRegions(String zone, List<Region<R>> regions) {
    for (String candidate : topology.placementChain(zone)) {
      List<Region<R>> inZone =
          regions.stream().filter(r -> r.available() && r.zone().equals(candidate)).toList();
      if (!inZone.isEmpty()) {
        return inZone;
      }
    }
    List<Region<R>> live = regions.stream().filter(Region::available).toList();
    return live.isEmpty() ? regions : live;
  }

  private static <R> Comparator<Region<R>> leastLoaded() {
    return Comparator.comparingInt(r -> r.shards().size());
  }
}
