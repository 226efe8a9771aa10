package io.continuum.object;

import io.continuum.crdt.CausalMap;
import io.continuum.crdt.CausalMapKey;
import io.continuum.ddata.DurableReplicator;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.zone.ZoneRoles;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.Replicator;
import org.apache.pekko.pattern.Patterns;

/**
 * This node's Replicator of its zone: started with role {@code zone:<zone>}, so that it replicates
 * only among the nodes of the zone, under {@code /system/continuum-objects-<zone>}, with every key
 * durable (in files, or LMDB) under {@code <durable-dir>/<node>/<zone>}. One key per object.
 */
final class ZoneReplicator {

  /** What an update did: the new local state, and whether the consistency asked for was met. */
  record Outcome(CausalMap<ReplicatedData> state, boolean confirmed) {}

  private final String zone;
  private final ActorRef replicator;
  private final Duration askTimeout;

  private ZoneReplicator(String zone, ActorRef replicator, Duration askTimeout) {
    this.zone = zone;
    this.replicator = replicator;
    this.askTimeout = askTimeout;
  }

  static ZoneReplicator start(ActorSystem<?> system, String zone, ObjectSettings settings) {
    ActorRef replicator =
        DurableReplicator.start(
            system,
            "continuum-objects-" + zone,
            ZoneRoles.zoneRole(zone),
            settings.durableDir().resolve(DurableReplicator.nodeDir(system)).resolve(zone),
            settings.lmdb(),
            com.typesafe.config.ConfigFactory.empty());
    return new ZoneReplicator(
        zone, replicator, settings.askTimeout().plus(settings.consistencyTimeout()));
  }

  String zone() {
    return zone;
  }

  static CausalMapKey<ReplicatedData> key(String object) {
    return new CausalMapKey<>("object:" + object);
  }

  /** The object's state as {@code consistency} reads it; empty if it was never written. */
  CompletionStage<Optional<CausalMap<ReplicatedData>>> get(
      String object, Replicator.ReadConsistency consistency) {
    CausalMapKey<ReplicatedData> key = key(object);
    return Patterns.ask(replicator, new Replicator.Get<>(key, consistency), askTimeout)
        .thenApply(
            reply -> {
              if (reply instanceof Replicator.GetSuccess<?> success) {
                @SuppressWarnings("unchecked")
                CausalMap<ReplicatedData> data = (CausalMap<ReplicatedData>) success.dataValue();
                return Optional.of(data);
              }
              if (reply instanceof Replicator.NotFound<?>
                  || reply instanceof Replicator.GetDataDeleted<?>) {
                return Optional.empty();
              }
              throw new RejectedException(
                  Reason.UNAVAILABLE,
                  "too few replicas of object '"
                      + object
                      + "' in zone "
                      + zone
                      + " answered in time for a "
                      + describe(consistency)
                      + " read; retry, or read with consistency local");
            });
  }

  /**
   * Applies {@code modify} to the local replica and replicates it with {@code consistency}. An
   * {@link IllegalArgumentException} from {@code modify} fails the stage with {@code
   * INVALID_ARGUMENT} and changes nothing.
   */
  CompletionStage<Outcome> update(
      String object,
      Replicator.WriteConsistency consistency,
      UnaryOperator<CausalMap<ReplicatedData>> modify) {
    AtomicReference<CausalMap<ReplicatedData>> result = new AtomicReference<>();
    Replicator.Update<CausalMap<ReplicatedData>> update =
        new Replicator.Update<>(
            key(object),
            CausalMap.empty(),
            consistency,
            current -> {
              CausalMap<ReplicatedData> next = modify.apply(current);
              result.set(next);
              return next;
            });
    return Patterns.ask(replicator, update, askTimeout)
        .thenApply(
            reply -> {
              if (reply instanceof Replicator.UpdateSuccess<?>) {
                return new Outcome(result.get(), true);
              }
              if (reply instanceof Replicator.UpdateTimeout<?>) {
                return new Outcome(result.get(), false);
              }
              if (reply instanceof Replicator.ModifyFailure<?> failure) {
                if (failure.cause() instanceof IllegalArgumentException invalid) {
                  throw new RejectedException(Reason.INVALID_ARGUMENT, invalid.getMessage());
                }
                throw new RejectedException(
                    Reason.INTERNAL,
                    "updating object '" + object + "' failed: " + failure.errorMessage());
              }
              if (reply instanceof Replicator.StoreFailure<?>) {
                throw new RejectedException(
                    Reason.UNAVAILABLE,
                    "object '"
                        + object
                        + "' could not be stored durably on this node; nothing was"
                        + " acknowledged, retry");
              }
              throw new RejectedException(
                  Reason.INTERNAL, "unexpected reply to an update of '" + object + "': " + reply);
            });
  }

  private static String describe(Replicator.ReadConsistency consistency) {
    return consistency instanceof Replicator.ReadAll ? "all" : "majority";
  }
}
