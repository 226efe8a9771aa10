package io.continuum.sharding;

import io.continuum.zone.ZoneRoles;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The members this node sees removed from the cluster after they were downed (crashed, or cut off
 * and downed by the Split Brain Resolver). A message in flight to an entity such a member hosted is
 * lost, and its shard starts on another node: a caller waiting for the entity's answer asks again
 * at once (when its message may be sent twice) or is told at once that the outcome is unknown,
 * instead of waiting for its timeout.
 *
 * <p>Example: {@code MemberLosses.get(system).orLost(ref.ask(question, timeout), zone -> true)}.
 */
public final class MemberLosses implements Extension {

  private static final AbstractExtensionId<MemberLosses> ID =
      new AbstractExtensionId<>() {
        @Override
        public MemberLosses createExtension(ExtendedActorSystem system) {
          return new MemberLosses(Adapter.toTyped(system));
        }
      };

  private final Set<Consumer<String>> watchers = ConcurrentHashMap.newKeySet();

  private MemberLosses(ActorSystem<?> system) {
    system.systemActorOf(
        Behaviors.<ClusterEvent.MemberRemoved>setup(
            context -> {
              Cluster.get(context.getSystem())
                  .subscriptions()
                  .tell(Subscribe.create(context.getSelf(), ClusterEvent.MemberRemoved.class));
              return Behaviors.receiveMessage(
                  removed -> {
                    if (removed.previousStatus() == MemberStatus.down()) {
                      String zone = ZoneRoles.zoneOf(removed.member()).orElse("");
                      watchers.forEach(watcher -> watcher.accept(zone));
                    }
                    return Behaviors.same();
                  });
            }),
        "member-losses",
        Props.empty());
  }

  /** The losses of {@code system}'s cluster, watched from the first call on. */
  public static MemberLosses get(ActorSystem<?> system) {
    return ID.get(Adapter.toClassic(system));
  }

  /**
   * {@code call}'s outcome, or a failure with {@link Lost} as soon as a member whose zone {@code
   * concerns} accepts is removed after it was downed while {@code call} is in flight.
   */
  public <T> CompletableFuture<T> orLost(CompletionStage<T> call, Predicate<String> concerns) {
    CompletableFuture<T> outcome = call.toCompletableFuture().thenApply(result -> result);
    Consumer<String> watcher =
        zone -> {
          if (concerns.test(zone)) {
            outcome.completeExceptionally(new Lost(zone));
          }
        };
    watchers.add(watcher);
    outcome.whenComplete((result, error) -> watchers.remove(watcher));
    return outcome;
  }

  /** A member of {@link #zone()} was lost while a call to it was in flight. */
  public static final class Lost extends RuntimeException {
    private final String zone;

    Lost(String zone) {
      super(
          "a member of zone '" + zone + "' crashed or was cut off while the call was in flight",
          null,
          false,
          false);
      this.zone = zone;
    }

    /** The zone of the member lost ({@code ""} for a member without one). */
    public String zone() {
      return zone;
    }
  }
}
