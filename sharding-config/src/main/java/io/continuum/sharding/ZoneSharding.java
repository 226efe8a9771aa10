package io.continuum.sharding;

import io.continuum.zone.Zone;
import io.continuum.zone.ZoneTopology;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.japi.function.Function2;

/**
 * Registers entity types whose instances live in zones and addresses them by {@link ZoneEntityId}.
 * Every zoned entity type shares the node's topology and the zone-aware allocation.
 */
public final class ZoneSharding {

  private final ActorSystem<?> system;
  private final ZoneTopology topology;
  private final Zone selfZone;
  private final int shardsPerZone;
  private final int maxRebalancePerRound;

  private ZoneSharding(ActorSystem<?> system) {
    this.system = system;
    this.topology = ZoneTopology.fromConfig(system.settings().config());
    this.selfZone = topology.require(system.settings().config().getString("continuum.zone"));
    this.shardsPerZone = system.settings().config().getInt("continuum.sharding.shards-per-zone");
    this.maxRebalancePerRound =
        system.settings().config().getInt("continuum.sharding.max-rebalance-per-round");
  }

  /** Reads topology and shard settings of the system's configuration. */
  public static ZoneSharding create(ActorSystem<?> system) {
    return new ZoneSharding(system);
  }

  /**
   * Starts the shard region of a zoned entity type on this node.
   *
   * @param stop what the shard sends an entity to stop it (passivation, hand-off). An event-sourced
   *     entity must take a command here, not the default internal signal: the signal is forgotten
   *     when a failed write restarts the entity, which then never stops while its shard holds every
   *     message for it. A command waits in the entity's stash across that restart.
   * @param factory creates the behavior of one entity from its parsed id and its shard (to
   *     passivate through)
   */
  public <M> void init(
      EntityTypeKey<M> typeKey,
      M stop,
      Function2<ZoneEntityId, ActorRef<ClusterSharding.ShardCommand>, Behavior<M>> factory) {
    start(typeKey, stop, factory, false);
  }

  /**
   * Starts the shard region of a zoned entity type whose entities are remembered: restarted after a
   * crash or a move until they passivate themselves through {@code shard}.
   *
   * @param stop what the shard sends an entity to stop it; see {@link #init}
   * @param factory creates the behavior of one entity from its parsed id and its shard
   */
  public <M> void initRemembered(
      EntityTypeKey<M> typeKey,
      M stop,
      Function2<ZoneEntityId, ActorRef<ClusterSharding.ShardCommand>, Behavior<M>> factory) {
    start(typeKey, stop, factory, true);
  }

  private <M> void start(
      EntityTypeKey<M> typeKey,
      M stop,
      Function2<ZoneEntityId, ActorRef<ClusterSharding.ShardCommand>, Behavior<M>> factory,
      boolean remembered) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    typeKey,
                    context ->
                        factory.apply(
                            ZoneEntityId.parse(context.getEntityId()), context.getShard()))
                .withStopMessage(stop)
                .withMessageExtractor(new ZoneShardingMessageExtractor<M>(shardsPerZone))
                .withAllocationStrategy(new ZoneAwareAllocation(topology, maxRebalancePerRound))
                .withSettings(
                    ClusterShardingSettings.create(system).withRememberEntities(remembered)));
  }

  /** A reference to the entity, wherever it lives now. */
  public <M> EntityRef<M> entityRef(EntityTypeKey<M> typeKey, ZoneEntityId id) {
    return ClusterSharding.get(system).entityRefFor(typeKey, id.toString());
  }

  /** The shard an entity belongs to. */
  public String shardOf(ZoneEntityId id) {
    return id.shardId(shardsPerZone);
  }

  public ZoneTopology topology() {
    return topology;
  }

  /** The zone of this node. */
  public Zone selfZone() {
    return selfZone;
  }
}
