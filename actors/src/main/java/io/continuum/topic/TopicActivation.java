package io.continuum.topic;

import io.continuum.reply.Reason;
import io.continuum.reply.Rejection;
import io.continuum.sharding.ZoneEntityId;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;

/**
 * Starts a sharded topic entity: looks up the topic's spec (its history decides the retention of
 * the journal, so it is needed before the event-sourced behavior exists), holding commands until it
 * is known. Commands for a topic that was never created, or addressed to the wrong zone, are
 * refused and the entity stops.
 */
final class TopicActivation {

  private static final int STASH_CAPACITY = 10_000;

  /** The spec lookup finished. Local only. */
  record SpecResolved(Optional<TopicSpec> spec, Throwable failure) implements TopicEntity.Command {
    @Override
    public void reject(Rejection rejection) {}
  }

  private TopicActivation() {}

  /**
   * @param zoneOf the zone a topic lives in now (its home zone, or where it was moved to)
   * @param evict sends {@link TopicEntity.Leave} to the topic's entity in a zone
   */
  static Behavior<TopicEntity.Command> start(
      ZoneEntityId id,
      TopicCatalog catalog,
      TopicSettings settings,
      Function<TopicSpec, String> zoneOf,
      Consumer<String> evict) {
    return Behaviors.withStash(
        STASH_CAPACITY,
        stash ->
            Behaviors.setup(
                context -> {
                  context.pipeToSelf(
                      catalog.find(id.key()), (spec, failure) -> new SpecResolved(spec, failure));
                  return Behaviors.receive(TopicEntity.Command.class)
                      .onMessage(
                          SpecResolved.class,
                          resolved -> activate(id, resolved, stash, settings, zoneOf, evict))
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
      ZoneEntityId id,
      SpecResolved resolved,
      StashBuffer<TopicEntity.Command> stash,
      TopicSettings settings,
      Function<TopicSpec, String> zoneOf,
      Consumer<String> evict) {
    Rejection refusal;
    if (resolved.failure() != null) {
      refusal =
          new Rejection(
              Reason.UNAVAILABLE,
              "topic '"
                  + id.key()
                  + "' could not be looked up: "
                  + resolved.failure().getMessage());
    } else if (resolved.spec().isEmpty()) {
      refusal = new Rejection(Reason.NOT_FOUND, "topic '" + id.key() + "' does not exist");
    } else if (!zoneOf.apply(resolved.spec().get()).equals(id.zone())) {
      refusal =
          new Rejection(
              Reason.ABORTED,
              "topic '"
                  + id.key()
                  + "' lives in zone "
                  + zoneOf.apply(resolved.spec().get())
                  + ", not "
                  + id.zone()
                  + "; retry");
    } else {
      TopicSpec spec = resolved.spec().get();
      return stash.unstashAll(
          TopicEntity.create(spec, settings, id.zone(), () -> zoneOf.apply(spec), evict));
    }
    stash.forEach(command -> command.reject(refusal));
    stash.clear();
    return Behaviors.stopped();
  }
}
