package io.continuum.placement;

import io.continuum.ddata.DurableReplicator;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.DistributedData;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.Replicator;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.pattern.Patterns;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The runtime placement overrides, replicated to every node so that every gateway routes without a
 * central lookup: one Distributed Data {@link LWWMap} from {@code <kind>:<name>} to a {@link
 * PlacementPolicy}, durable on every node (files under {@code <data-dir>/placement}). Reads are
 * local and never block; a change is written to a majority of the nodes before {@link #set}
 * completes, and reaches the others by gossip (every 200 ms) within a fraction of a second.
 */
public final class PlacementDirectory implements PlacementOverrides {

  private static final LWWMapKey<String, PlacementPolicy> KEY =
      new LWWMapKey<>("continuum-placement");

  private final ActorRef replicator;
  private final SelfUniqueAddress self;
  private final Duration timeout;
  private final AtomicReference<Map<String, PlacementPolicy>> overrides =
      new AtomicReference<>(Map.of());

  private PlacementDirectory(ActorRef replicator, SelfUniqueAddress self, Duration timeout) {
    this.replicator = replicator;
    this.self = self;
    this.timeout = timeout;
  }

  /** Starts this node's replica of the directory; it loads what this node stored before. */
  public static PlacementDirectory start(ActorSystem<?> system, Path dataDir, Duration timeout) {
    ActorRef replicator =
        DurableReplicator.start(
            system,
            "continuum-placement",
            null,
            dataDir.resolve("placement").resolve(DurableReplicator.nodeDir(system)),
            false,
            // A handful of small entries: spread and notify often, so that every gateway follows
            // a move within a fraction of a second.
            system.settings().config().getConfig("continuum.placement-directory.replicator"));
    PlacementDirectory directory =
        new PlacementDirectory(
            replicator, DistributedData.get(system.classicSystem()).selfUniqueAddress(), timeout);
    org.apache.pekko.actor.typed.ActorRef<Object> subscriber =
        system.systemActorOf(directory.subscriber(), "continuum-placement-watch", Props.empty());
    replicator.tell(
        new Replicator.Subscribe<>(KEY, Adapter.toClassic(subscriber)), ActorRef.noSender());
    return directory;
  }

  private Behavior<Object> subscriber() {
    return Behaviors.receive(Object.class)
        .onMessage(
            Replicator.Changed.class,
            changed -> {
              @SuppressWarnings("unchecked")
              LWWMap<String, PlacementPolicy> map =
                  (LWWMap<String, PlacementPolicy>) changed.dataValue();
              overrides.set(Map.copyOf(CollectionConverters.asJava(map.entries())));
              return Behaviors.same();
            })
        .build();
  }

  /** The key of a thing in the directory. */
  static String key(PlacementKind kind, String name) {
    return kind.wireName() + ":" + name;
  }

  /** The override of a thing, as this node knows it. */
  @Override
  public Optional<PlacementPolicy> find(PlacementKind kind, String name) {
    return Optional.ofNullable(overrides.get().get(key(kind, name)));
  }

  /** Every override this node knows, by {@code <kind>:<name>}. */
  public Map<String, PlacementPolicy> all() {
    return overrides.get();
  }

  /**
   * Sets (or with {@link PlacementPolicy#NONE}, removes) the override of a thing, on a majority of
   * the nodes; this node sees it at once.
   *
   * @return fails with {@code UNAVAILABLE} when a majority did not confirm in time (the change is
   *     still applied here and spreads when the others are reachable)
   */
  public CompletionStage<Void> set(PlacementKind kind, String name, PlacementPolicy policy) {
    String key = key(kind, name);
    Replicator.Update<LWWMap<String, PlacementPolicy>> update =
        new Replicator.Update<>(
            KEY,
            LWWMap.empty(),
            new Replicator.WriteMajority(timeout),
            map ->
                policy.equals(PlacementPolicy.NONE)
                    ? map.remove(self, key)
                    : map.put(self, key, policy));
    return Patterns.ask(replicator, update, timeout.multipliedBy(2))
        .thenApply(
            reply -> {
              Map<String, PlacementPolicy> next = new java.util.HashMap<>(overrides.get());
              if (policy.equals(PlacementPolicy.NONE)) {
                next.remove(key);
              } else {
                next.put(key, policy);
              }
              overrides.set(Map.copyOf(next));
              if (!(reply instanceof Replicator.UpdateSuccess<?>)) {
                throw new RejectedException(
                    Reason.UNAVAILABLE,
                    "the placement of "
                        + kind.wireName()
                        + " '"
                        + name
                        + "' changed on this node, but a majority of the nodes did not confirm"
                        + " within "
                        + timeout.toMillis()
                        + " ms; it spreads when they are reachable");
              }
              return null;
            });
  }
}
