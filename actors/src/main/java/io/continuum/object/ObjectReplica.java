package io.continuum.object;

import io.continuum.crdt.CausalMap;
import io.continuum.crdt.field.FieldSpec;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.reply.Rejection;
import io.continuum.serialization.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.pattern.Patterns;

/**
 * A node's replica of the objects of its zone: serves calls against its zone's {@link
 * ZoneReplicator} and bridges each write it applies to the object's other zones.
 *
 * <p><b>Bridging.</b> An operation is applied once, here; the resulting state is then merged into a
 * replica of every other zone of the object ({@link Merge}). Merges are idempotent, so a bridge is
 * resent until acknowledged (every {@code bridge-retry}) and the zones converge once they can reach
 * each other. With {@code majority}/{@code all} the call waits for those merges, each made with the
 * same consistency in its zone.
 *
 * <p><b>First touch.</b> The first call for an object on this node since it started reads with
 * majority within the zone before answering, so a node that just joined (or lost its disk) does not
 * answer from an empty replica while its peers have the object.
 */
public final class ObjectReplica extends AbstractBehavior<ObjectReplica.Command> {

  /** Messages of the object protocol; all but the timer tick cross nodes. */
  public sealed interface Command extends CborSerializable {}

  /**
   * Applies {@code operation} to {@code field}, creating the object in {@code zones}; once per
   * sequence number of {@code writer} when it is set.
   */
  public record Update(
      String object,
      String field,
      String operation,
      List<String> args,
      String type,
      List<String> zones,
      Consistency consistency,
      ReplicatedObjects.Writer writer,
      ActorRef<Reply> replyTo)
      implements Command {}

  /** Removes every field of the object in {@code zones}. */
  public record Delete(
      String object, List<String> zones, Consistency consistency, ActorRef<Reply> replyTo)
      implements Command {}

  /** Reads the object; with {@code after}, once this replica has seen that version. */
  public record Read(String object, Consistency consistency, String after, ActorRef<Reply> replyTo)
      implements Command {}

  /** Reads this node's replica only, for operators: no first-touch read, no waiting. */
  public record ReadLocal(String object, ActorRef<Reply> replyTo) implements Command {}

  /** Merges another zone's state of the object into this zone. */
  public record Merge(
      String object, ObjectSnapshot snapshot, Consistency consistency, ActorRef<Reply> replyTo)
      implements Command {}

  private record RetryBridges() implements Command {}

  /** Replies of the object protocol. */
  public sealed interface Reply extends CborSerializable {}

  /**
   * A write was applied; {@code version} identifies it for read-your-writes. {@code zone} and
   * {@code node} (its full address) name the replica that applied it.
   */
  public record Applied(String version, ObjectSnapshot snapshot, String zone, String node)
      implements Reply {}

  /** The object as the replica in {@code zone} on {@code node} holds it. */
  public record Found(ObjectSnapshot snapshot, String zone, String node) implements Reply {}

  public record Absent(String zone) implements Reply {}

  public record Merged(String zone) implements Reply {}

  public record Refused(Rejection rejection) implements Reply {}

  private static final Duration POLL = Duration.ofMillis(100);

  private final String zone;
  private final String node;
  private final ZoneReplicator replicator;
  private final ZoneReplicas replicas;
  private final ObjectSettings settings;
  private final SelfUniqueAddress self;
  private final ActorSystem<?> system;

  /** Objects touched since start: their first call read with majority in the zone. */
  private final Set<String> touched = ConcurrentHashMap.newKeySet();

  /** Object to the zones a write of it still has to reach. */
  private final Map<String, Set<String>> pendingBridges = new ConcurrentHashMap<>();

  /** {@code <object>|<zone>}: a background bridge of the object to the zone is in flight. */
  private final Set<String> bridging = ConcurrentHashMap.newKeySet();

  /** {@code <object>|<zone>}: written again while its bridge was in flight; bridge again after. */
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();

  static Behavior<Command> create(
      String zone, ZoneReplicator replicator, ZoneReplicas replicas, ObjectSettings settings) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(new RetryBridges(), settings.bridgeRetry());
                  context
                      .getSystem()
                      .receptionist()
                      .tell(
                          Receptionist.register(ZoneReplicas.serviceKey(zone), context.getSelf()));
                  return new ObjectReplica(context, zone, replicator, replicas, settings);
                }));
  }

  private ObjectReplica(
      ActorContext<Command> context,
      String zone,
      ZoneReplicator replicator,
      ZoneReplicas replicas,
      ObjectSettings settings) {
    super(context);
    this.zone = zone;
    this.node = context.getSystem().address().toString();
    this.replicator = replicator;
    this.replicas = replicas;
    this.settings = settings;
    this.system = context.getSystem();
    UniqueAddress address = Cluster.get(context.getSystem().classicSystem()).selfUniqueAddress();
    this.self = new SelfUniqueAddress(address);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Update.class, this::onUpdate)
        .onMessage(Delete.class, this::onDelete)
        .onMessage(Read.class, this::onRead)
        .onMessage(ReadLocal.class, this::onReadLocal)
        .onMessage(Merge.class, this::onMerge)
        .onMessage(RetryBridges.class, this::onRetryBridges)
        .build();
  }

  private Behavior<Command> onUpdate(Update update) {
    reply(
        update.replyTo(),
        () -> {
          Optional<FieldSpec> type = Optional.ofNullable(update.type()).map(FieldSpec::parse);
          return firstTouch(update.object())
              .thenCompose(
                  ignored ->
                      replicator.update(
                          update.object(),
                          update.consistency().write(settings.consistencyTimeout()),
                          state ->
                              ObjectState.update(
                                  state,
                                  self,
                                  update.object(),
                                  update.field(),
                                  update.operation(),
                                  update.args(),
                                  type,
                                  update.zones(),
                                  Optional.ofNullable(update.writer()))))
              .thenCompose(
                  outcome ->
                      bridged(update.object(), update.zones(), update.consistency(), outcome));
        });
    return this;
  }

  private Behavior<Command> onDelete(Delete delete) {
    reply(
        delete.replyTo(),
        () ->
            firstTouch(delete.object())
                .thenCompose(
                    ignored ->
                        replicator.update(
                            delete.object(),
                            delete.consistency().write(settings.consistencyTimeout()),
                            ObjectState::delete))
                .thenCompose(
                    outcome ->
                        bridged(delete.object(), delete.zones(), delete.consistency(), outcome)));
    return this;
  }

  private Behavior<Command> onRead(Read read) {
    reply(
        read.replyTo(),
        () -> {
          Optional<VersionToken> after = Optional.ofNullable(read.after()).map(VersionToken::parse);
          return readFirstTouch(read.object(), read.consistency())
              .thenCompose(
                  state -> {
                    if (state.isEmpty() || !ObjectState.exists(state.get())) {
                      return done(new Absent(zone));
                    }
                    if (after.isEmpty() || after.get().seenBy(state.get())) {
                      return done(found(state.get()));
                    }
                    return awaitVersion(
                        read.object(),
                        after.get(),
                        System.nanoTime() + settings.readYourWritesWait().toNanos());
                  });
        });
    return this;
  }

  private Behavior<Command> onReadLocal(ReadLocal read) {
    reply(
        read.replyTo(),
        () ->
            replicator
                .get(read.object(), Consistency.LOCAL.read(settings.consistencyTimeout()))
                .thenApply(
                    state ->
                        state
                            .filter(ObjectState::exists)
                            .<Reply>map(this::found)
                            .orElse(new Absent(zone))));
    return this;
  }

  private Behavior<Command> onMerge(Merge merge) {
    reply(
        merge.replyTo(),
        () -> {
          CausalMap<ReplicatedData> theirs = merge.snapshot().state(system);
          return replicator
              .update(
                  merge.object(),
                  merge.consistency().write(settings.consistencyTimeout()),
                  mine -> mine.mergeData(theirs))
              .thenApply(
                  outcome -> {
                    if (!outcome.confirmed()) {
                      throw new RejectedException(
                          Reason.UNAVAILABLE, "merged locally, not by " + merge.consistency());
                    }
                    return new Merged(zone);
                  });
        });
    return this;
  }

  private Behavior<Command> onRetryBridges(RetryBridges tick) {
    pendingBridges.forEach(
        (object, zones) -> {
          for (String target : List.copyOf(zones)) {
            zones.remove(target);
            bridgeInBackground(object, target);
          }
        });
    pendingBridges.entrySet().removeIf(e -> e.getValue().isEmpty());
    return this;
  }

  /**
   * Sends the written state to the object's other zones: in the background for {@code local}, and
   * waiting for each zone's acknowledgement for {@code majority}/{@code all}.
   */
  private CompletionStage<Reply> bridged(
      String object, List<String> zones, Consistency consistency, ZoneReplicator.Outcome outcome) {
    String version = VersionToken.of(outcome.state(), self.uniqueAddress()).toString();
    ObjectSnapshot snapshot = ObjectSnapshot.of(system, outcome.state());
    List<String> others = zones.stream().filter(z -> !z.equals(zone)).toList();
    Applied applied = new Applied(version, snapshot, zone, node);
    if (consistency == Consistency.LOCAL) {
      others.forEach(target -> bridgeInBackground(object, target));
      return done(applied);
    }
    List<CompletableFuture<String>> confirmations = new ArrayList<>();
    for (String target : others) {
      confirmations.add(
          sendMerge(object, target, snapshot, consistency)
              .thenApply(
                  ok -> {
                    if (!ok) {
                      pendingBridges
                          .computeIfAbsent(object, k -> ConcurrentHashMap.newKeySet())
                          .add(target);
                    }
                    return ok ? null : target;
                  })
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              List<String> missing = new ArrayList<>();
              if (!outcome.confirmed()) {
                missing.add(zone);
              }
              confirmations.stream()
                  .map(CompletableFuture::join)
                  .filter(z -> z != null)
                  .forEach(missing::add);
              if (!missing.isEmpty()) {
                throw new RejectedException(
                    Reason.UNAVAILABLE,
                    "the write to object '"
                        + object
                        + "' was applied locally in zone "
                        + zone
                        + " (version "
                        + version
                        + "), but "
                        + consistency
                        + " of the replicas in zone(s) "
                        + String.join(", ", missing)
                        + " did not confirm it within "
                        + settings.consistencyTimeout().toMillis()
                        + " ms; it replicates when they are reachable (do not repeat a non-idempotent"
                        + " operation)");
              }
              return applied;
            });
  }

  /**
   * Bridges a local write to another zone in the background, coalescing: while one bridge of the
   * object to that zone is in flight, further writes only mark it dirty, and when it completes the
   * latest state goes in one more bridge (a state includes every write before it). Under many
   * concurrent writes of one object this sends a handful of states instead of one per write.
   */
  private void bridgeInBackground(String object, String target) {
    String key = object + "|" + target;
    dirty.add(key);
    if (bridging.add(key)) {
      flushBridge(object, target, key);
    }
  }

  /**
   * Sends the object's current state to the zone. The dirty mark is cleared before the state is
   * read, so every write that marked it is in the state sent, and a later one marks it again.
   */
  private void flushBridge(String object, String target, String key) {
    dirty.remove(key);
    replicator
        .get(object, Consistency.LOCAL.read(settings.consistencyTimeout()))
        .thenCompose(
            state ->
                state.isEmpty()
                    ? done(true)
                    : sendMerge(
                        object, target, ObjectSnapshot.of(system, state.get()), Consistency.LOCAL))
        .whenComplete(
            (ok, error) -> {
              if (ok == null || !ok) {
                pendingBridges
                    .computeIfAbsent(object, k -> ConcurrentHashMap.newKeySet())
                    .add(target);
              }
              bridging.remove(key);
              if (dirty.contains(key) && bridging.add(key)) {
                flushBridge(object, target, key);
              }
            });
  }

  private CompletionStage<Boolean> sendMerge(
      String object, String target, ObjectSnapshot snapshot, Consistency consistency) {
    Optional<ActorRef<Command>> replica = replicas.pick(target);
    if (replica.isEmpty()) {
      return done(false);
    }
    return AskPattern.<Command, Reply>ask(
            replica.get(),
            replyTo -> new Merge(object, snapshot, consistency, replyTo),
            settings.consistencyTimeout().plus(settings.askTimeout()),
            system.scheduler())
        .handle((reply, error) -> reply instanceof Merged);
  }

  private CompletionStage<Void> firstTouch(String object) {
    if (touched.contains(object)) {
      return done(null);
    }
    return readFirstTouch(object, Consistency.LOCAL).handle((state, error) -> null);
  }

  /** Reads with {@code consistency}; the first read of an object since start at least majority. */
  private CompletionStage<Optional<CausalMap<ReplicatedData>>> readFirstTouch(
      String object, Consistency consistency) {
    if (consistency != Consistency.LOCAL || touched.contains(object)) {
      return replicator
          .get(object, consistency.read(settings.consistencyTimeout()))
          .thenApply(state -> remembered(object, state, consistency != Consistency.LOCAL));
    }
    return replicator
        .get(object, Consistency.MAJORITY.read(settings.consistencyTimeout()))
        .thenApply(state -> remembered(object, state, true))
        .exceptionallyCompose(
            error -> replicator.get(object, consistency.read(settings.consistencyTimeout())));
  }

  /**
   * Marks the object touched when a read {@code beyondThisNode} found it. An object not found stays
   * untouched, so the next read asks the zone again: it may have just been created on another node.
   */
  private Optional<CausalMap<ReplicatedData>> remembered(
      String object, Optional<CausalMap<ReplicatedData>> state, boolean beyondThisNode) {
    if (beyondThisNode && state.filter(ObjectState::exists).isPresent()) {
      touched.add(object);
    }
    return state;
  }

  private CompletionStage<Reply> awaitVersion(String object, VersionToken after, long deadline) {
    if (System.nanoTime() > deadline) {
      return CompletableFuture.failedFuture(
          new RejectedException(
              Reason.UNAVAILABLE,
              "zone "
                  + zone
                  + " has not seen version "
                  + after
                  + " of object '"
                  + object
                  + "' within "
                  + settings.readYourWritesWait().toMillis()
                  + " ms: the zone that took the write is not reachable; retry later"));
    }
    return Patterns.after(
        POLL,
        system.classicSystem().scheduler(),
        system.executionContext(),
        () ->
            replicator
                .get(object, Consistency.LOCAL.read(settings.consistencyTimeout()))
                .thenCompose(
                    state ->
                        state.isPresent() && after.seenBy(state.get())
                            ? done(found(state.get()))
                            : awaitVersion(object, after, deadline)));
  }

  private Reply found(CausalMap<ReplicatedData> state) {
    return new Found(ObjectSnapshot.of(system, state), zone, node);
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** Runs {@code action} and replies with its result, or with the refusal it failed with. */
  private static void reply(
      ActorRef<Reply> replyTo, java.util.function.Supplier<CompletionStage<Reply>> action) {
    CompletionStage<Reply> stage;
    try {
      stage = action.get();
    } catch (IllegalArgumentException e) {
      stage =
          CompletableFuture.failedFuture(
              new RejectedException(Reason.INVALID_ARGUMENT, e.getMessage()));
    }
    stage.whenComplete((reply, error) -> replyTo.tell(error == null ? reply : refusal(error)));
  }

  private static Reply refusal(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof RejectedException rejected) {
      return new Refused(new Rejection(rejected.reason(), rejected.getMessage()));
    }
    if (cause instanceof IllegalArgumentException invalid) {
      return new Refused(new Rejection(Reason.INVALID_ARGUMENT, invalid.getMessage()));
    }
    if (cause instanceof TimeoutException) {
      return new Refused(
          new Rejection(Reason.UNAVAILABLE, "the zone's replicator did not answer in time"));
    }
    return new Refused(new Rejection(Reason.INTERNAL, String.valueOf(cause)));
  }
}
