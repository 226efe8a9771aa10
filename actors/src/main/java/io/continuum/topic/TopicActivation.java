package io.continuum.topic;

import io.continuum.reply.Reason;
import io.continuum.reply.Rejection;
import io.continuum.sharding.ZoneEntityId;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Starts a sharded topic entity: looks up the topic's spec (its history decides the retention of
 * the journal, so it is needed before the event-sourced behavior exists), holding commands until it
 * is known. Commands for a topic that was never created are refused and the entity stops. Commands
 * for a topic that lives in another zone now (it moved, and this node may learn of it later than
 * the gateway that routed here) are refused with {@code ABORTED} until it lives here, and the
 * entity passivates after {@link #NOT_HOME_FOR} without commands.
 */
final class TopicActivation {

  private static final int STASH_CAPACITY = 10_000;

  private static final Duration NOT_HOME_FOR = Duration.ofSeconds(2);

  /** The spec lookup finished. Local only. */
  record SpecResolved(Optional<TopicSpec> spec, Throwable failure) implements TopicEntity.Command {
    @Override
    public void reject(Rejection rejection) {}
  }

  /** Nothing arrived for {@link #NOT_HOME_FOR} while the topic lived elsewhere. Local only. */
  enum NotHome implements TopicEntity.Command {
    INSTANCE;

    @Override
    public void reject(Rejection rejection) {}
  }

  /**
   * What a topic's entity needs besides its spec.
   *
   * @param zoneOf the zone a topic lives in now (its home zone, or where it was moved to)
   * @param evict sends {@link TopicEntity.Leave} to the topic's entity in a zone
   * @param shard the entity's shard, to passivate through
   */
  record Placement(
      ZoneEntityId id,
      TopicSettings settings,
      Function<TopicSpec, String> zoneOf,
      Consumer<String> evict,
      ActorRef<ClusterSharding.ShardCommand> shard) {}

  private TopicActivation() {}

  static Behavior<TopicEntity.Command> start(TopicCatalog catalog, Placement placement) {
    ZoneEntityId id = placement.id();
    return Behaviors.withStash(
        STASH_CAPACITY,
        stash ->
            Behaviors.setup(
                context -> {
                  context.pipeToSelf(
                      catalog.find(id.key()), (spec, failure) -> new SpecResolved(spec, failure));
                  return Behaviors.receive(TopicEntity.Command.class)
                      .onMessage(
                          SpecResolved.class, resolved -> activate(resolved, stash, placement))
                      .onMessageEquals(
                          TopicEntity.Stop.INSTANCE,
                          () -> {
                            Rejection stopping =
                                new Rejection(
                                    Reason.ABORTED,
                                    "topic '" + id.key() + "' stopped while starting; retry");
                            stash.forEach(command -> command.reject(stopping));
                            return Behaviors.stopped();
                          })
                      .onAnyMessage(
                          command -> {
                            if (stash.isFull()) {
                              command.reject(
                                  new Rejection(
                                      Reason.UNAVAILABLE,
                                      "topic '" + id.key() + "' is starting; retry shortly"));
                            } else {
                              stash.stash(command);
                            }
                            return Behaviors.same();
                          })
                      .build();
                }));
  }

  private static Behavior<TopicEntity.Command> activate(
      SpecResolved resolved, StashBuffer<TopicEntity.Command> stash, Placement placement) {
    String topic = placement.id().key();
    Rejection refusal;
    if (resolved.failure() != null) {
      refusal =
          new Rejection(
              Reason.UNAVAILABLE,
              "topic '" + topic + "' could not be looked up: " + resolved.failure().getMessage());
    } else if (resolved.spec().isEmpty()) {
      refusal = new Rejection(Reason.NOT_FOUND, "topic '" + topic + "' does not exist");
    } else {
      TopicSpec spec = resolved.spec().get();
      return Behaviors.setup(
          context -> {
            context.setReceiveTimeout(NOT_HOME_FOR, NotHome.INSTANCE);
            return homeOrRefusing(spec, stash, placement);
          });
    }
    stash.forEach(command -> command.reject(refusal));
    stash.clear();
    return Behaviors.stopped();
  }

  /**
   * The topic's entity when the topic lives in this zone; otherwise refuses every command with
   * {@code ABORTED} until it does, and passivates when nothing arrived for {@link #NOT_HOME_FOR}.
   */
  private static Behavior<TopicEntity.Command> homeOrRefusing(
      TopicSpec spec, StashBuffer<TopicEntity.Command> stash, Placement placement) {
    ZoneEntityId id = placement.id();
    String home = placement.zoneOf().apply(spec);
    if (home.equals(id.zone())) {
      return Behaviors.setup(
          context -> {
            context.cancelReceiveTimeout();
            return stash.unstashAll(
                TopicEntity.create(
                    spec,
                    placement.settings(),
                    id.zone(),
                    () -> placement.zoneOf().apply(spec),
                    placement.evict(),
                    placement.shard()));
          });
    }
    Rejection elsewhere =
        new Rejection(
            Reason.ABORTED,
            "topic '" + id.key() + "' lives in zone " + home + ", not " + id.zone() + "; retry");
    stash.forEach(command -> command.reject(elsewhere));
    stash.clear();
    return Behaviors.setup(
        context ->
            Behaviors.receive(TopicEntity.Command.class)
                .onMessageEquals(
                    NotHome.INSTANCE,
                    () -> {
                      placement.shard().tell(new ClusterSharding.Passivate<>(context.getSelf()));
                      return Behaviors.same();
                    })
                .onMessageEquals(TopicEntity.Stop.INSTANCE, Behaviors::stopped)
                .onAnyMessage(
                    command -> {
                      stash.stash(command);
                      return homeOrRefusing(spec, stash, placement);
                    })
                .build());
  }
}
