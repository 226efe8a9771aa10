package io.continuum.sharding;

import io.continuum.zone.ZoneRoles;
import io.continuum.zone.ZoneTopology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Places every shard of a zone on the least-loaded live node of that zone. When the zone has no
 * live node, the shard goes to the first zone of its fallback chain that has one; when no zone of
 * the chain has one, to the least-loaded live node anywhere (serving beats waiting). Each rebalance
 * round sends home shards that sit outside their preferred zone and evens out shard counts within a
 * zone, moving at most {@code maxRebalancePerRound} shards so that a returning zone never triggers
 * a rebalancing storm.
 *
 * <p>Shard ids must be zone-prefixed, see {@link ZoneEntityId#shardId(int)}.
 */
public final class ZoneAwareAllocation extends ShardCoordinator.AbstractShardAllocationStrategy
    implements ShardCoordinator.ActorSystemDependentAllocationStrategy {

  private final ZoneTopology topology;
  private final int maxRebalancePerRound;
  private volatile Cluster cluster;

  /**
   * @param topology the zones and their fallback chains
   * @param maxRebalancePerRound upper bound of shards moved by one rebalance round, in progress
   *     included
   */
  public ZoneAwareAllocation(ZoneTopology topology, int maxRebalancePerRound) {
    this.topology = topology;
    this.maxRebalancePerRound = maxRebalancePerRound;
  }

  @Override
  public void start(ActorSystem system) {
    cluster = Cluster.get(system);
  }

  @Override
  public Future<ActorRef> allocateShard(
      ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> allocations) {
    List<Region> regions = regions(allocations, cluster.state(), cluster.selfMember());
    return Futures.successful(
        preferredRegions(ZoneEntityId.zoneOfShard(shardId), regions).stream()
            .min(Region.LEAST_LOADED)
            .map(Region::ref)
            .orElse(requester));
  }

  @Override
  public Future<Set<String>> rebalance(
      Map<ActorRef, IndexedSeq<String>> allocations, Set<String> rebalanceInProgress) {
    CurrentClusterState state = cluster.state();
    List<Region> regions = regions(allocations, state, cluster.selfMember());
    int budget = maxRebalancePerRound - rebalanceInProgress.size();
    if (budget <= 0 || !isQuiet(state)) {
      return Futures.successful(Set.of());
    }
    Set<String> moving = new HashSet<>();
    collectHomecomings(regions, rebalanceInProgress, budget, moving);
    collectZoneImbalance(regions, rebalanceInProgress, budget, moving);
    return Futures.successful(moving);
  }

  /** Shards living outside the best zone that currently has a live node go back to it. */
  private void collectHomecomings(
      List<Region> regions, Set<String> inProgress, int budget, Set<String> moving) {
    for (Region region : regions) {
      for (String shard : region.shards()) {
        if (moving.size() >= budget) {
          return;
        }
        List<Region> preferred = preferredRegions(ZoneEntityId.zoneOfShard(shard), regions);
        boolean misplaced = !preferred.isEmpty() && !preferred.get(0).zone().equals(region.zone());
        if (misplaced && !inProgress.contains(shard)) {
          moving.add(shard);
        }
      }
    }
  }

  /** Within one zone, moves shards off a node holding at least two more than the emptiest. */
  private void collectZoneImbalance(
      List<Region> regions, Set<String> inProgress, int budget, Set<String> moving) {
    Map<String, List<Region>> byZone = new HashMap<>();
    regions.stream()
        .filter(Region::available)
        .forEach(r -> byZone.computeIfAbsent(r.zone(), z -> new ArrayList<>()).add(r));
    for (List<Region> zoneRegions : byZone.values()) {
      Region most = zoneRegions.stream().max(Region.LEAST_LOADED).orElseThrow();
      Region least = zoneRegions.stream().min(Region.LEAST_LOADED).orElseThrow();
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
  private List<Region> preferredRegions(String zone, List<Region> regions) {
    for (String candidate : topology.placementChain(zone)) {
      List<Region> inZone =
          regions.stream().filter(r -> r.available() && r.zone().equals(candidate)).toList();
      if (!inZone.isEmpty()) {
        return inZone;
      }
    }
    List<Region> live = regions.stream().filter(Region::available).toList();
    return live.isEmpty() ? regions : live;
  }

  /** No member unreachable and none joining: a rebalance started now can complete. */
  private static boolean isQuiet(CurrentClusterState state) {
    for (Member member : state.getMembers()) {
      if (state.getUnreachable().contains(member)
          || member.status() == MemberStatus.joining()
          || member.status() == MemberStatus.weaklyUp()) {
        return false;
      }
    }
    return true;
  }

  private static List<Region> regions(
      Map<ActorRef, IndexedSeq<String>> allocations, CurrentClusterState state, Member self) {
    Map<Address, Member> members = new HashMap<>();
    state.getMembers().forEach(m -> members.put(m.address(), m));
    List<Region> regions = new ArrayList<>();
    allocations.forEach(
        (ref, shards) -> {
          Address address =
              ref.path().address().hasLocalScope() ? self.address() : ref.path().address();
          Optional.ofNullable(members.get(address))
              .ifPresent(
                  member ->
                      regions.add(
                          new Region(
                              ref,
                              ZoneRoles.zoneOf(member).orElse(""),
                              isAvailable(member, state),
                              CollectionConverters.asJava(shards))));
        });
    return regions;
  }

  private static boolean isAvailable(Member member, CurrentClusterState state) {
    MemberStatus status = member.status();
    return (status == MemberStatus.up() || status == MemberStatus.weaklyUp())
        && !state.getUnreachable().contains(member);
  }

  private record Region(ActorRef ref, String zone, boolean available, List<String> shards) {
    static final Comparator<Region> LEAST_LOADED = Comparator.comparingInt(r -> r.shards().size());
  }
}
