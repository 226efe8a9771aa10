package io.continuum.function;

import io.continuum.crdt.field.FieldOperation;
import io.continuum.crdt.field.FieldSpec;
import io.continuum.journal.JournalOutage;
import io.continuum.reply.Reason;
import io.continuum.reply.Rejection;
import io.continuum.sdk.Address;
import io.continuum.sdk.ObjectValue;
import io.continuum.sdk.Rejected;
import io.continuum.sdk.model.Application;
import io.continuum.sdk.model.Effects;
import io.continuum.sdk.model.FunctionModel;
import io.continuum.sdk.model.ObjectModel;
import io.continuum.serialization.CborSerializable;
import io.continuum.sharding.ZoneEntityId;
import io.continuum.sharding.ZoneSharding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One instance of a function type: processes one message at a time in arrival order, and records
 * each invocation — the new state, its reply, the messages and publishes it asked for, its delayed
 * messages — as one event. Only after that event is durable does it reply and carry the effects
 * out, from an outbox: at least once, one at a time per destination, with a per-destination
 * sequence number the receiver uses to drop repeats — so each effect happens exactly once.
 *
 * <p>An outbox rather than Pekko's reliable delivery because effects must be atomic with the state
 * change: the outbox is part of the same event, while reliable delivery keeps its own durable queue
 * that a crash between the two writes could leave out of step. A handler that throws changes
 * nothing and emits nothing.
 *
 * <p>While the journal is unreachable ({@link JournalOutage}) invocations are refused with {@code
 * UNAVAILABLE} at once (or answered with their stored reply), and the state is read from the last
 * durable state.
 *
 * <p>Idle instances with nothing to deliver passivate; instances with pending effects or delayed
 * messages stay active, and sharding's remembered entities restart them elsewhere after a crash.
 */
public final class FunctionInstance
    extends EventSourcedBehaviorWithEnforcedReplies<
        FunctionInstance.Command, FunctionInstance.Event, FunctionState> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "Function");

  /** Everything an instance accepts. */
  public sealed interface Command extends CborSerializable
      permits Invoke, Deliver, GetState, Where, Leave, Stop, Delivered, Tick, Idle, ObjectsRead {}

  /**
   * A client's invocation; the reply comes after the invocation is durable.
   *
   * @param messageType class name of the message
   * @param payload the message as JSON
   * @param requestId when set, a retry with the same id gets the stored reply and runs nothing
   * @param deadline when the caller stops waiting (epoch milliseconds, 0 for never): an invocation
   *     that arrives later (one held up while its shard moved) is refused without running, so that
   *     it cannot run after the caller's retry was answered and its request id forgotten
   */
  public record Invoke(
      String messageType,
      byte[] payload,
      String requestId,
      long deadline,
      ActorRef<InvokeReply> replyTo)
      implements Command {}

  /** A message from another instance or a subscription, acknowledged once handled and durable. */
  public record Deliver(
      String sender, long seq, String messageType, byte[] payload, ActorRef<DeliveryAck> replyTo)
      implements Command {}

  /** Asks for the application state, as JSON. */
  public record GetState(ActorRef<StateReply> replyTo) implements Command {}

  /** Asks where the instance runs; it is activated if it was not. */
  public record Where(ActorRef<Here> replyTo) implements Command {}

  /** Reply to {@link Where}: the zone of the instance's entity, and the node and its zone. */
  public record Here(String entityZone, String nodeZone, String node) implements CborSerializable {}

  /**
   * The incarnation of the instance in {@code zone} took over (after a move): this one passivates,
   * so that it cannot write from stale memory if calls come back to its zone later.
   */
  public record Leave(String zone) implements Command {}

  /**
   * Sent by the instance's shard to stop it (passivation, hand-off): it stops once its write in
   * flight, if any, is done, or at once while its journal is unreachable.
   */
  public enum Stop implements Command {
    INSTANCE
  }

  /** An outbox delivery finished. Local only. */
  record Delivered(String channel, long seq, Optional<Rejection> refusal, Throwable failure)
      implements Command {}

  /** The objects the type reads were read (or could not be, {@code failure}). Local only. */
  record ObjectsRead(Map<String, ObjectValue> objects, Throwable failure) implements Command {}

  /** Time to fire due delayed messages or retry deliveries. Local only. */
  enum Tick implements Command {
    INSTANCE
  }

  /** Nothing arrived for a while. Local only. */
  enum Idle implements Command {
    INSTANCE
  }

  /** Reply to {@link Invoke}. */
  public sealed interface InvokeReply extends CborSerializable permits Replied, Refused {}

  /**
   * The handler's reply (type and payload {@code null} when it gave none), with the zone and node
   * that executed it.
   */
  public record Replied(String messageType, byte[] payload, String zone, String node)
      implements InvokeReply {}

  /** The invocation was refused; nothing changed. */
  public record Refused(Rejection rejection) implements InvokeReply {}

  /** Reply to {@link Deliver}: handled (or seen before), or refused by the handler. */
  public record DeliveryAck(long seq, Rejection refusal) implements CborSerializable {}

  /** Reply to {@link GetState}. */
  public record StateReply(byte[] state) implements CborSerializable {}

  /** What an instance's journal holds. */
  public sealed interface Event extends CborSerializable
      permits Handled, Acknowledged, DelayedFired {}

  /**
   * An invocation took effect. Version 1.
   *
   * @param sender the sender of a delivered message, {@code null} for client invocations
   * @param seq the sender's sequence number
   * @param state the new application state as JSON
   * @param outbox effects to carry out, sequence numbers assigned
   * @param delayed messages to send later
   * @param reply the reply kept for a request id, or {@code null}
   * @param zone the zone of the incarnation that wrote it (the zone of its entity id). An
   *     incarnation left behind by a move that writes concurrently with the one in the new zone
   *     conflicts with it on the sequence number in the journal instead of both succeeding, and
   *     when it recovers it finds the new zone here.
   */
  public record Handled(
      String sender,
      long seq,
      byte[] state,
      List<OutboxEntry> outbox,
      List<DelayedMessage> delayed,
      StoredReply reply,
      String zone)
      implements Event {}

  /** The destination took every entry of a channel up to {@code seq}. Version 1. */
  public record Acknowledged(String channel, long seq) implements Event {}

  /** Delayed messages came due and joined the outbox. Version 1. */
  public record DelayedFired(List<Long> ids, List<OutboxEntry> released) implements Event {}

  private final Address address;
  private final String zone;
  private final Supplier<String> homeZone;
  private final Consumer<String> evict;
  private final String servedZone;
  private final String servedNode;
  private final FunctionModel<Object> model;
  private final FunctionHost host;
  private final Application application;
  private final MessageCodec codec;
  private final FunctionSettings settings;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Set<String> inFlight = new HashSet<>();
  private final Set<String> backingOff = new HashSet<>();
  private final byte[] initialState;
  private final JournalOutage<Command> outage = new JournalOutage<>();

  /** Set once this incarnation was moved away or told to leave: it only refuses until it stops. */
  private boolean retired;

  /**
   * The compact form this incarnation started from instead of the journal ({@code null} when it
   * recovered from the journal); see {@link IdleInstances}.
   */
  private final IdleInstances.Compact warm;

  /**
   * Set when this incarnation started from a compact form and found the journal ahead of it: it
   * refuses everything and passivates, so that a fresh incarnation recovers from the journal.
   */
  private boolean stale;

  /** Set when this incarnation passivates because it is idle: it leaves its compact form. */
  private boolean compacting;

  private FunctionState durable;
  private ActorRef<InvokeReply> persisting;
  private byte[] decodedFrom;
  private Object decoded;
  private ObjectsRead objects;
  private long objectsReadAt;
  private boolean readingObjects;

  @SuppressWarnings("unchecked")
  private FunctionInstance(
      Address address,
      String zone,
      Supplier<String> homeZone,
      Consumer<String> evict,
      FunctionModel<?> model,
      FunctionHost host,
      ActorRef<ClusterSharding.ShardCommand> shard,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    // A write that lost to another incarnation (a move) or failed in the journal restarts the
    // instance, which recovers what won; at most 1 s later, so a move pauses calls briefly.
    super(
        persistenceId(address),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.2));
    this.address = address;
    this.zone = zone;
    this.homeZone = homeZone;
    this.evict = evict;
    this.servedZone = host.zone() != null ? host.zone() : zone;
    this.servedNode = host.node();
    this.model = (FunctionModel<Object>) model;
    this.host = host;
    this.application = host.application();
    this.codec = host.codec();
    this.settings = host.settings();
    this.shard = shard;
    this.context = context;
    this.timers = timers;
    this.initialState = host.initialState(model);
    this.warm = host.idle().take(idleKey(), shardActor()).orElse(null);
  }

  /**
   * The behavior of one instance.
   *
   * @param zone the zone of this incarnation's entity id
   * @param homeZone where placement puts the instance now; when it is not {@code zone}, this
   *     incarnation refuses calls as {@code ABORTED} (moved) and passivates
   * @param evict sends {@link Leave} to the incarnation of this instance in a zone: called after
   *     recovery when another zone's incarnation wrote last
   * @param host what the instances of this node share
   */
  public static Behavior<Command> create(
      Address address,
      String zone,
      Supplier<String> homeZone,
      Consumer<String> evict,
      FunctionModel<?> model,
      FunctionHost host,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  context.setReceiveTimeout(host.settings().idleTimeout(), Idle.INSTANCE);
                  FunctionInstance instance =
                      new FunctionInstance(
                          address, zone, homeZone, evict, model, host, shard, context, timers);
                  return instance.outage.guard(
                      Command.class,
                      Invoke.class,
                      Stop.INSTANCE,
                      instance,
                      instance::answerDuringOutage);
                }));
  }

  /** {@code Fn|<type>|<id>}: without the zone, so history survives a move. */
  public static PersistenceId persistenceId(Address address) {
    return PersistenceId.ofUniqueId("Fn|" + address.type() + "|" + address.id());
  }

  /** The sender name of an instance's channel, as its receivers know it. */
  static String senderOf(Address address, String channel) {
    return "fn:" + address.type() + "|" + address.id() + ">" + channel;
  }

  /**
   * The shard actor this incarnation runs in: its parent. (The {@code shard} sharding hands an
   * entity is a delegate shared by every shard of the node, so it does not tell incarnations
   * apart.)
   */
  private org.apache.pekko.actor.ActorRef shardActor() {
    return Adapter.toClassic(context).parent();
  }

  /** The key of the instance's compact form: its entity id, zone included. */
  private String idleKey() {
    return zone + "|" + address.type() + "|" + address.id();
  }

  /** The compact form's state when it starts from one, before the journal's highest number. */
  @Override
  public FunctionState emptyState() {
    return warm != null ? warm.state() : FunctionState.EMPTY;
  }

  /**
   * From a compact form, nothing is read but the journal's highest sequence number, which {@link
   * #recovered} compares with the form's.
   */
  @Override
  public Recovery recovery() {
    return warm != null ? Recovery.disabled() : super.recovery();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, FunctionState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Invoke.class, this::onInvoke)
        .onCommand(Deliver.class, this::onDeliver)
        .onCommand(GetState.class, this::onGetState)
        .onCommand(Leave.class, this::onLeave)
        .onCommand(Stop.class, this::onStop)
        .onCommand(
            Where.class,
            (state, where) ->
                Effect().reply(where.replyTo(), new Here(zone, servedZone, servedNode)))
        .onCommand(Delivered.class, this::onDelivered)
        .onCommand(Tick.class, this::onTick)
        .onCommand(Idle.class, this::onIdle)
        .onCommand(ObjectsRead.class, this::onObjectsRead)
        .build();
  }

  private ReplyEffect<Event, FunctionState> onInvoke(FunctionState state, Invoke invoke) {
    boolean waitedThroughOutage = outage.waitedThrough(invoke);
    Optional<Replied> earlier = storedReply(state, invoke);
    if (earlier.isPresent()) {
      return Effect().reply(invoke.replyTo(), earlier.get());
    }
    if (waitedThroughOutage) {
      return Effect().reply(invoke.replyTo(), new Refused(outageRefusal()));
    }
    if (invoke.deadline() > 0 && System.currentTimeMillis() > invoke.deadline()) {
      return Effect()
          .reply(
              invoke.replyTo(),
              new Refused(
                  new Rejection(
                      Reason.DEADLINE_EXCEEDED,
                      "the invocation arrived after its caller's deadline; it did not run")));
    }
    Optional<Rejection> moved = moved();
    if (moved.isPresent()) {
      return Effect().reply(invoke.replyTo(), new Refused(moved.get()));
    }
    if (objectsStale()) {
      return readObjectsFirst();
    }
    Outcome outcome = run(state, invoke.messageType(), invoke.payload());
    if (outcome.refusal() != null) {
      return Effect().reply(invoke.replyTo(), new Refused(outcome.refusal()));
    }
    Replied reply = outcome.reply();
    StoredReply stored =
        invoke.requestId() == null
            ? null
            : new StoredReply(
                invoke.requestId(),
                reply.messageType(),
                reply.payload(),
                System.currentTimeMillis());
    persisting = invoke.replyTo();
    return Effect()
        .persist(outcome.handled(null, 0, stored, zone))
        .thenRun(this::dispatch)
        .thenReply(invoke.replyTo(), s -> reply);
  }

  /** The reply stored for the invocation's request id, if it ran before. */
  private Optional<Replied> storedReply(FunctionState state, Invoke invoke) {
    return Optional.ofNullable(invoke.requestId())
        .flatMap(state::replyTo)
        .map(
            earlier ->
                new Replied(earlier.messageType(), earlier.payload(), servedZone, servedNode));
  }

  /**
   * Answers what needs no journal while it is unreachable: an invocation gets its stored reply or
   * is refused, the state and the location are read from memory.
   */
  private boolean answerDuringOutage(Command command) {
    if (command instanceof Invoke invoke) {
      invoke
          .replyTo()
          .tell(
              Optional.ofNullable(durable)
                  .flatMap(state -> storedReply(state, invoke))
                  .<InvokeReply>map(replied -> replied)
                  .orElseGet(() -> new Refused(outageRefusal())));
    } else if (command instanceof GetState get && durable != null) {
      get.replyTo().tell(stateOf(durable));
    } else if (command instanceof Where where) {
      where.replyTo().tell(new Here(zone, servedZone, servedNode));
    } else {
      return false;
    }
    return true;
  }

  private Rejection outageRefusal() {
    return outage.refusal(
        "invocation of " + address.type() + "/" + address.id(), "retry with the same request id");
  }

  /**
   * The journal write of an invocation failed, and the instance restarts: the write may or may not
   * have happened, so its caller is told to retry with the same request id ({@code ABORTED}, which
   * the gateway does at once) and gets the stored reply if it did.
   */
  private void writeFailed(FunctionState state) {
    if (persisting != null) {
      persisting.tell(
          new Refused(
              new Rejection(
                  Reason.ABORTED,
                  "the journal write of the invocation of "
                      + address.type()
                      + "/"
                      + address.id()
                      + " failed, so it may or may not have been recorded; retry with the same"
                      + " request id")));
      persisting = null;
    }
  }

  private ReplyEffect<Event, FunctionState> onDeliver(FunctionState state, Deliver deliver) {
    if (state.hasSeen(deliver.sender(), deliver.seq())) {
      return Effect().reply(deliver.replyTo(), new DeliveryAck(deliver.seq(), null));
    }
    Optional<Rejection> moved = moved();
    if (moved.isPresent()) {
      return Effect().reply(deliver.replyTo(), new DeliveryAck(deliver.seq(), moved.get()));
    }
    if (objectsStale()) {
      return readObjectsFirst();
    }
    Outcome outcome = run(state, deliver.messageType(), deliver.payload());
    if (outcome.refusal() != null) {
      return Effect().reply(deliver.replyTo(), new DeliveryAck(deliver.seq(), outcome.refusal()));
    }
    return Effect()
        .persist(outcome.handled(deliver.sender(), deliver.seq(), null, zone))
        .thenRun(this::dispatch)
        .thenReply(deliver.replyTo(), s -> new DeliveryAck(deliver.seq(), null));
  }

  /**
   * A refusal ({@code ABORTED}, to be retried by the caller) when placement has moved the instance
   * to another zone; this incarnation then passivates. Once moved, an incarnation never serves
   * again, even if the instance moves back before it stopped: its memory may miss what the other
   * zone wrote, so a fresh incarnation recovers instead.
   */
  private Optional<Rejection> moved() {
    if (stale) {
      return Optional.of(
          new Rejection(
              Reason.ABORTED,
              "instance "
                  + address.type()
                  + "/"
                  + address.id()
                  + " restarts to read what another incarnation wrote; retry"));
    }
    String home = homeZone.get();
    if (!retired && home.equals(zone)) {
      return Optional.empty();
    }
    retire();
    String instance = address.type() + "/" + address.id();
    return Optional.of(
        new Rejection(
            Reason.ABORTED,
            home.equals(zone)
                ? "instance " + instance + " moved back to zone " + zone + " and restarts; retry"
                : "instance " + instance + " moved from zone " + zone + " to " + home + "; retry"));
  }

  private void retire() {
    retired = true;
    shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
  }

  private ReplyEffect<Event, FunctionState> onLeave(FunctionState state, Leave leave) {
    if (!leave.zone().equals(zone)) {
      context.getLog().info("{} of zone {} leaves: zone {} took over", address, zone, leave.zone());
      retire();
    }
    return Effect().noReply();
  }

  private void recovered(FunctionState state) {
    outage.ended();
    if (warm != null && lastSequenceNumber(context) != warm.sequenceNr()) {
      context
          .getLog()
          .info(
              "{} started from its compact form at event {}, but the journal holds {}: restarts",
              address,
              warm.sequenceNr(),
              lastSequenceNumber(context));
      stale = true;
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
      return;
    }
    if (state.zone() != null && !state.zone().equals(zone)) {
      evict.accept(state.zone());
    }
    dispatch(state);
  }

  /**
   * Delivers a message from {@code sender} (its {@code seq}-th) to an instance through sharding;
   * the stage fails when the instance did not answer in time or has moved (see {@link
   * #unlessMoved}), so that the sender delivers again.
   */
  static CompletionStage<DeliveryAck> deliver(
      ZoneSharding zones,
      ZoneEntityId instance,
      String sender,
      long seq,
      String messageType,
      byte[] payload,
      Duration timeout) {
    return unlessMoved(
        zones
            .entityRef(TYPE_KEY, instance)
            .ask(replyTo -> new Deliver(sender, seq, messageType, payload, replyTo), timeout));
  }

  /**
   * A delivery's acknowledgement, failed with {@code ABORTED} when the incarnation it reached had
   * moved away: senders treat it like an unreachable instance and deliver again (to where placement
   * puts the instance now), without counting it as a refusal of the handler.
   */
  static CompletionStage<DeliveryAck> unlessMoved(CompletionStage<DeliveryAck> delivery) {
    return delivery.thenCompose(
        ack ->
            ack.refusal() != null && ack.refusal().reason() == Reason.ABORTED
                ? CompletableFuture.failedFuture(ack.refusal().toException())
                : CompletableFuture.completedFuture(ack));
  }

  /**
   * True when the type reads objects and the last reading is older than {@code
   * object-read-staleness}: the message waits (stashed, in order) until they are read again.
   */
  private boolean objectsStale() {
    return !model.reads().isEmpty()
        && (objects == null
            || System.nanoTime() - objectsReadAt > settings.objectReadStaleness().toNanos());
  }

  private ReplyEffect<Event, FunctionState> readObjectsFirst() {
    if (!readingObjects) {
      readingObjects = true;
      context.pipeToSelf(host.objectReader().read(model.reads()), ObjectsRead::new);
    }
    return Effect().stash();
  }

  private ReplyEffect<Event, FunctionState> onObjectsRead(FunctionState state, ObjectsRead read) {
    readingObjects = false;
    objects = read;
    objectsReadAt = System.nanoTime();
    if (read.failure() != null) {
      context.getLog().warn("{} could not read {}: {}", address, model.reads(), read.failure());
    }
    // The Java DSL types unstashAll as a plain Effect; every Effect Pekko builds is a ReplyEffect.
    return (ReplyEffect<Event, FunctionState>) Effect().unstashAll();
  }

  private ReplyEffect<Event, FunctionState> onGetState(FunctionState state, GetState get) {
    if (stale) {
      return Effect().noReply(); // the caller asks again, and a fresh incarnation answers
    }
    return Effect().reply(get.replyTo(), stateOf(state));
  }

  private StateReply stateOf(FunctionState state) {
    return new StateReply(state.state() != null ? state.state() : initialState);
  }

  /** The result of running a handler: the event to persist and the reply, or a refusal. */
  private record Outcome(
      Rejection refusal,
      byte[] state,
      List<OutboxEntry> outbox,
      List<DelayedMessage> delayed,
      Replied reply) {

    Handled handled(String sender, long seq, StoredReply stored, String zone) {
      return new Handled(sender, seq, state, outbox, delayed, stored, zone);
    }

    static Outcome refused(Reason reason, String message) {
      return new Outcome(new Rejection(reason, message), null, null, null, null);
    }
  }

  private Outcome run(FunctionState state, String messageType, byte[] payload) {
    Outcome outcome = handle(state, messageType, payload);
    if (outcome.refusal() != null) {
      decodedFrom = null; // the handler may have changed the decoded state in place
    }
    return outcome;
  }

  private Outcome handle(FunctionState state, String messageType, byte[] payload) {
    Optional<Class<?>> type =
        model.handlers().keySet().stream().filter(c -> c.getName().equals(messageType)).findFirst();
    if (type.isEmpty()) {
      return Outcome.refused(
          Reason.INVALID_ARGUMENT,
          "function '"
              + model.name()
              + "' has no handler for "
              + messageType
              + "; it accepts "
              + MessageCodec.acceptedTypes(model));
    }
    Effects effects = new Effects(address, this::readableObject);
    Object next;
    try {
      Object message = codec.decode(payload, type.get());
      next = model.handlerFor(type.get()).orElseThrow().handle(effects, current(state), message);
      if (next == null) {
        return Outcome.refused(
            Reason.INTERNAL, "function '" + model.name() + "' returned no state");
      }
    } catch (Rejected rejected) {
      return Outcome.refused(Reason.FAILED_PRECONDITION, rejected.getMessage());
    } catch (ObjectsUnavailable unavailable) {
      return Outcome.refused(Reason.UNAVAILABLE, unavailable.getMessage());
    } catch (Exception e) {
      context.getLog().warn("{} failed on {}", address, type.get().getSimpleName(), e);
      return Outcome.refused(
          Reason.INTERNAL,
          "function '"
              + model.name()
              + "' failed on "
              + type.get().getSimpleName()
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() != null ? ": " + e.getMessage() : ""));
    }
    return record(state, effects, next);
  }

  /** An object the handler reads, or {@code null} when the type does not declare it. */
  private ObjectValue readableObject(String id) {
    if (!model.reads().contains(id)) {
      return null;
    }
    if (objects.failure() != null) {
      throw new ObjectsUnavailable(
          "function '"
              + model.name()
              + "' could not read object '"
              + id
              + "' ("
              + objects.failure().getMessage()
              + "); nothing changed, retry");
    }
    return objects.objects().get(id);
  }

  /** A declared object could not be read before the handler ran. */
  private static final class ObjectsUnavailable extends RuntimeException {
    ObjectsUnavailable(String message) {
      super(message, null, false, false);
    }
  }

  private Outcome record(FunctionState state, Effects effects, Object next) {
    List<OutboxEntry> outbox = new ArrayList<>();
    List<DelayedMessage> delayed = new ArrayList<>();
    long delayedId = state.nextDelayedId();
    for (Effects.Sent sent : effects.sent()) {
      Optional<String> invalid = checkTarget(sent.to(), sent.message());
      if (invalid.isPresent()) {
        return Outcome.refused(Reason.INTERNAL, invalid.get());
      }
      String target = sent.to().type() + "|" + sent.to().id();
      byte[] json = codec.encode(sent.message());
      if (sent.delay().isZero()) {
        String channel = OutboxEntry.channelOf(OutboxEntry.Kind.SEND, target);
        outbox.add(
            new OutboxEntry(
                channel,
                state.nextSeq(channel, outbox),
                OutboxEntry.Kind.SEND,
                target,
                sent.message().getClass().getName(),
                json));
      } else {
        delayed.add(
            new DelayedMessage(
                delayedId++,
                System.currentTimeMillis() + sent.delay().toMillis(),
                target,
                sent.message().getClass().getName(),
                json));
      }
    }
    for (Effects.Published published : effects.published()) {
      if (application.topic(published.topic()).isEmpty()) {
        return Outcome.refused(
            Reason.INTERNAL,
            "function '"
                + model.name()
                + "' published to topic '"
                + published.topic()
                + "', which the application does not declare");
      }
      String channel = OutboxEntry.channelOf(OutboxEntry.Kind.PUBLISH, published.topic());
      outbox.add(
          new OutboxEntry(
              channel,
              state.nextSeq(channel, outbox),
              OutboxEntry.Kind.PUBLISH,
              published.topic(),
              published.message().getClass().getName(),
              codec.encode(published.message())));
    }
    for (Effects.ObjectUpdate update : effects.updates()) {
      Optional<String> invalid = checkObjectUpdate(update);
      if (invalid.isPresent()) {
        return Outcome.refused(Reason.INTERNAL, invalid.get());
      }
      String channel = OutboxEntry.channelOf(OutboxEntry.Kind.OBJECT, update.object());
      outbox.add(
          new OutboxEntry(
              channel,
              state.nextSeq(channel, outbox),
              OutboxEntry.Kind.OBJECT,
              update.object(),
              Effects.ObjectUpdate.class.getName(),
              codec.encode(update)));
    }
    Replied reply =
        effects
            .reply()
            .map(r -> new Replied(r.getClass().getName(), codec.encode(r), servedZone, servedNode))
            .orElse(new Replied(null, null, servedZone, servedNode));
    Optional<String> oversized =
        OutputLimit.check(model.name(), settings.maxMessageBytes(), outbox, delayed, reply);
    if (oversized.isPresent()) {
      return Outcome.refused(Reason.INTERNAL, oversized.get());
    }
    return new Outcome(null, codec.encode(next), outbox, delayed, reply);
  }

  private Optional<String> checkTarget(Address to, Object message) {
    Optional<FunctionModel<?>> target = application.function(to.type());
    if (target.isEmpty()) {
      return Optional.of(
          "function '" + model.name() + "' sent to unknown function type '" + to.type() + "'");
    }
    if (target.get().handlerFor(message.getClass()).isEmpty()) {
      return Optional.of(
          "function '"
              + model.name()
              + "' sent "
              + message.getClass().getSimpleName()
              + " to '"
              + to.type()
              + "', which has no handler for it");
    }
    return Optional.empty();
  }

  private Optional<String> checkObjectUpdate(Effects.ObjectUpdate update) {
    Optional<ObjectModel> object = application.object(update.object());
    if (object.isEmpty()) {
      return Optional.of(
          "function '"
              + model.name()
              + "' updated object '"
              + update.object()
              + "', which the application does not declare");
    }
    String type = object.get().fields().get(update.field());
    if (type == null) {
      return Optional.of(
          "function '"
              + model.name()
              + "' updated field '"
              + update.field()
              + "' of object '"
              + update.object()
              + "', which has the fields "
              + String.join(", ", object.get().fields().keySet()));
    }
    FieldSpec spec = FieldSpec.parse(type);
    if (spec.operations().stream().noneMatch(o -> o.wireName().equals(update.operation()))) {
      return Optional.of(
          "function '"
              + model.name()
              + "' applied '"
              + update.operation()
              + "' to "
              + spec.wireName()
              + " field '"
              + update.field()
              + "' of object '"
              + update.object()
              + "'; it accepts "
              + spec.operations().stream()
                  .map(FieldOperation::wireName)
                  .collect(java.util.stream.Collectors.joining(", ")));
    }
    return Optional.empty();
  }

  /**
   * The application state, decoded from JSON — the initial state too, so that a handler changing
   * its state in place never touches the model's initial state, which every instance shares.
   */
  private Object current(FunctionState state) {
    byte[] json = state.state() != null ? state.state() : initialState;
    if (json != decodedFrom) {
      decoded = codec.decode(json, model.stateType());
      decodedFrom = json;
    }
    return decoded;
  }

  /**
   * Starts delivering the head entry of every channel that is not busy. {@code state} is durable:
   * this runs after every write and on every state a command sees.
   */
  private void dispatch(FunctionState state) {
    durable = state;
    persisting = null;
    Set<String> started = new HashSet<>();
    for (OutboxEntry entry : state.outbox()) {
      String channel = entry.channel();
      if (inFlight.contains(channel) || backingOff.contains(channel) || !started.add(channel)) {
        continue;
      }
      inFlight.add(channel);
      context.pipeToSelf(
          host.deliverer().deliver(senderOf(address, channel), entry),
          (refusal, failure) -> new Delivered(channel, entry.seq(), refusal, failure));
    }
    scheduleDelayed(state);
  }

  private ReplyEffect<Event, FunctionState> onDelivered(FunctionState state, Delivered done) {
    inFlight.remove(done.channel());
    if (done.failure() != null) {
      backingOff.add(done.channel());
      timers.startSingleTimer(done.channel(), Tick.INSTANCE, settings.retryBackoff());
      return Effect().noReply();
    }
    done.refusal()
        .ifPresent(
            r ->
                context
                    .getLog()
                    .warn("{} could not deliver to {}: {}", address, done.channel(), r.message()));
    return Effect()
        .persist(new Acknowledged(done.channel(), done.seq()))
        .thenRun(this::dispatch)
        .thenNoReply();
  }

  private ReplyEffect<Event, FunctionState> onTick(FunctionState state, Tick tick) {
    backingOff.clear();
    long now = System.currentTimeMillis();
    List<DelayedMessage> due =
        state.delayed().stream()
            .filter(d -> d.dueAt() <= now)
            .sorted(Comparator.comparingLong(DelayedMessage::dueAt))
            .toList();
    if (due.isEmpty()) {
      dispatch(state);
      return Effect().noReply();
    }
    List<OutboxEntry> released = new ArrayList<>();
    for (DelayedMessage message : due) {
      String channel = OutboxEntry.channelOf(OutboxEntry.Kind.SEND, message.target());
      released.add(
          new OutboxEntry(
              channel,
              state.nextSeq(channel, released),
              OutboxEntry.Kind.SEND,
              message.target(),
              message.messageType(),
              message.payload()));
    }
    return Effect()
        .persist(new DelayedFired(due.stream().map(DelayedMessage::id).toList(), released))
        .thenRun(this::dispatch)
        .thenNoReply();
  }

  private void scheduleDelayed(FunctionState state) {
    state.delayed().stream()
        .mapToLong(DelayedMessage::dueAt)
        .min()
        .ifPresent(
            dueAt ->
                timers.startSingleTimer(
                    "delayed",
                    Tick.INSTANCE,
                    Duration.ofMillis(Math.max(0, dueAt - System.currentTimeMillis()))));
  }

  private ReplyEffect<Event, FunctionState> onIdle(FunctionState state, Idle idleness) {
    if (state.isQuiet() && inFlight.isEmpty()) {
      compacting = !retired && !stale;
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
    return Effect().noReply();
  }

  /**
   * Stops; an instance that passivates because it is idle, and still has nothing to deliver, leaves
   * its compact form. Its stored replies younger than {@code reply-retention} stay in it, so that a
   * retried call still gets its reply.
   */
  private ReplyEffect<Event, FunctionState> onStop(FunctionState state, Stop stop) {
    if (compacting && !retired && state.isQuiet() && inFlight.isEmpty()) {
      long replyCutoff = System.currentTimeMillis() - settings.replies().retention().toMillis();
      host.idle()
          .put(
              idleKey(),
              new IdleInstances.Compact(
                  state.compacted(replyCutoff, zone), lastSequenceNumber(context), shardActor()));
    }
    return Effect().stop().thenNoReply();
  }

  @Override
  public EventHandler<FunctionState, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Handled.class, (state, handled) -> state.handled(handled, settings.replies()))
        .onEvent(Acknowledged.class, FunctionState::acknowledged)
        .onEvent(DelayedFired.class, FunctionState::fired)
        .build();
  }

  @Override
  public SignalHandler<FunctionState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::recovered)
        .onSignal(RecoveryFailed.class, (state, failed) -> outage.began(failed.getFailure()))
        .onSignal(PreRestart.instance(), this::writeFailed)
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2)
        .withDeleteEventsOnSnapshot();
  }
}
