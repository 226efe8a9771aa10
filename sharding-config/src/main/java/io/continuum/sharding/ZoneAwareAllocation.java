package io.continuum.sharding;

import io.continuum.sharding.ZonePlacement.Region;
import io.continuum.zone.ZoneRoles;
import io.continuum.zone.ZoneTopology;
import java.util.ArrayList;
import java.util.HashMap;
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
 * a rebalancing storm. The decisions themselves are made by {@link ZonePlacement}; this class reads
 * the cluster's membership and zones for it.
 *
 * <p>Shard ids must be zone-prefixed, see {@link ZoneEntityId#shardId(int)}.
 */
public final class ZoneAwareAllocation extends ShardCoordinator.AbstractShardAllocationStrategy
    implements ShardCoordinator.ActorSystemDependentAllocationStrategy {

  private final ZonePlacement placement;
  private volatile Cluster cluster;

  /**
   * @param topology the zones and their fallback chains
   * @param maxRebalancePerRound upper bound of shards moved by one rebalance round, in progress
   *     included
   */
  public ZoneAwareAllocation(ZoneTopology topology, int maxRebalancePerRound) {
    this.placement = new ZonePlacement(topology, maxRebalancePerRound);
  }

  @Override
  public void start(ActorSystem system) {
    cluster = Cluster.get(system);
  }

  @Override
  public Future<ActorRef> allocateShard(
      ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> allocations) {
    List<Region<ActorRef>> regions = regions(allocations, cluster.state(), cluster.selfMember());
    return Futures.successful(placement.allocate(shardId, regions).orElse(requester));
  }

  @Override
  public Future<Set<String>> rebalance(
      Map<ActorRef, IndexedSeq<String>> allocations, Set<String> rebalanceInProgress) {
    CurrentClusterState state = cluster.state();
    if (!isQuiet(state)) {
      return Futures.successful(Set.of());
    }
    List<Region<ActorRef>> regions = regions(allocations, state, cluster.selfMember());
    return Futures.successful(placement.rebalance(regions, rebalanceInProgress));
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

  /** The regions the coordinator knows whose node is still a member, with that node's zone. */
  private static List<Region<ActorRef>> regions(
      Map<ActorRef, IndexedSeq<String>> allocations, CurrentClusterState state, Member self) {
    Map<Address, Member> members = new HashMap<>();
    state.getMembers().forEach(m -> members.put(m.address(), m));
    List<Region<ActorRef>> regions = new ArrayList<>();
    allocations.forEach(
        (ref, shards) -> {
          Address address =
              ref.path().address().hasLocalScope() ? self.address() : ref.path().address();
          Optional.ofNullable(members.get(address))
              .ifPresent(
                  member ->
                      regions.add(
                          new Region<>(
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
}
