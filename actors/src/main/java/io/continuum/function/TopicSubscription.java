package io.continuum.function;

import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.reply.Rejection;
import io.continuum.sdk.model.FunctionModel;
import io.continuum.sdk.model.SubscriptionModel;
import io.continuum.serialization.CborSerializable;
import io.continuum.sharding.ZoneSharding;
import io.continuum.topic.Entry;
import io.continuum.topic.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Feeds a topic to a function type: reads entries after they are durable, picks each entry's
 * instance with the subscription's key, and delivers it with the entry's index as sequence number,
 * so the instance drops repeats. Entries for one instance go one at a time in index order; other
 * instances proceed meanwhile, so an instance that keeps failing blocks no one else: after {@code
 * max-attempts} its entry is recorded as failed and skipped. The position — every entry up to it is
 * done — is durable, so a restart resumes where it stopped.
 */
public final class TopicSubscription
    extends EventSourcedBehaviorWithEnforcedReplies<
        TopicSubscription.Command, TopicSubscription.Event, SubscriptionState> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "Subscription");

  private static final int READ_BATCH = 256;
  private static final Duration POLL_WAIT = Duration.ofSeconds(10);
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

  /** What a subscription accepts. */
  public sealed interface Command extends CborSerializable
      permits Wake, GetStatus, Stop, Polled, Evicted, Acked, Retry, Commit {}

  /** Starts the subscription if it is not running. */
  public enum Wake implements Command {
    INSTANCE
  }

  /**
   * Sent by the subscription's shard to stop it (hand-off): it stops once its write in flight, if
   * any, is done.
   */
  public enum Stop implements Command {
    INSTANCE
  }

  /** Asks for progress and failures. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** Progress of a subscription, for operators. */
  public record Status(
      String topic,
      String function,
      long position,
      int inFlight,
      long failedTotal,
      List<SubscriptionState.FailedEntry> failed)
      implements CborSerializable {}

  record Polled(List<Entry> entries, long firstRetained, Throwable failure) implements Command {}

  record Evicted(long firstRetained) implements Command {}

  record Acked(long index, String instance, Optional<Rejection> refusal, Throwable failure)
      implements Command {}

  record Retry(long index, String instance) implements Command {}

  enum Commit implements Command {
    INSTANCE
  }

  /** What a subscription's journal holds. */
  public sealed interface Event extends CborSerializable permits Advanced, EntryFailed {}

  /** Every entry up to {@code position} is done. Version 1. */
  public record Advanced(long position) implements Event {}

  /** An entry was given up on. Version 1. */
  public record EntryFailed(SubscriptionState.FailedEntry entry) implements Event {}

  private record Pending(Entry entry, String instance, int attempts) {}

  private final String topic;
  private final FunctionModel<?> function;
  private final SubscriptionModel subscription;
  private final Topics topics;
  private final ZoneSharding zones;
  private final FunctionPlacement placement;
  private final MessageCodec codec;
  private final FunctionSettings functionSettings;
  private final int maxInFlight;
  private final int maxAttempts;
  private final int rememberedFailures;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final String sender;

  private final Map<String, ArrayDeque<Pending>> queues = new HashMap<>();
  private final Map<String, Pending> inFlight = new HashMap<>();
  private final TreeSet<Long> done = new TreeSet<>();
  private long nextRead;
  private long skippedTo;
  private long buffered;
  private boolean polling;
  private boolean started;

  private TopicSubscription(
      FunctionModel<?> function,
      SubscriptionModel subscription,
      Topics topics,
      ZoneSharding zones,
      FunctionPlacement placement,
      MessageCodec codec,
      FunctionSettings functionSettings,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(
        persistenceId(subscription.topic(), function.name()),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.topic = subscription.topic();
    this.function = function;
    this.subscription = subscription;
    this.topics = topics;
    this.zones = zones;
    this.placement = placement;
    this.codec = codec;
    this.functionSettings = functionSettings;
    var config = context.getSystem().settings().config().getConfig("continuum.subscriptions");
    this.maxInFlight = config.getInt("max-in-flight");
    this.maxAttempts = config.getInt("max-attempts");
    this.rememberedFailures = config.getInt("remembered-failures");
    this.context = context;
    this.timers = timers;
    this.sender = "sub:" + topic;
  }

  /** The behavior of the subscription of {@code function} to {@code subscription.topic()}. */
  public static Behavior<Command> create(
      FunctionModel<?> function,
      SubscriptionModel subscription,
      Topics topics,
      ZoneSharding zones,
      FunctionPlacement placement,
      MessageCodec codec,
      FunctionSettings functionSettings) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new TopicSubscription(
                        function,
                        subscription,
                        topics,
                        zones,
                        placement,
                        codec,
                        functionSettings,
                        context,
                        timers)));
  }

  /** {@code Sub|<topic>|<function>}. */
  public static PersistenceId persistenceId(String topic, String function) {
    return PersistenceId.ofUniqueId("Sub|" + topic + "|" + function);
  }

  @Override
  public SubscriptionState emptyState() {
    return SubscriptionState.START;
  }

  @Override
  public CommandHandlerWithReply<Command, Event, SubscriptionState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Wake.class, (state, wake) -> Effect().noReply())
        .onCommand(GetStatus.class, this::onGetStatus)
        .onCommand(Stop.class, stop -> Effect().stop().thenNoReply())
        .onCommand(Polled.class, this::onPolled)
        .onCommand(Evicted.class, this::onEvicted)
        .onCommand(Acked.class, this::onAcked)
        .onCommand(Retry.class, this::onRetry)
        .onCommand(Commit.class, this::onCommit)
        .build();
  }

  private void start(SubscriptionState state) {
    if (!started) {
      started = true;
      nextRead = state.position() + 1;
      timers.startTimerWithFixedDelay(Commit.INSTANCE, COMMIT_INTERVAL);
      poll();
    }
  }

  private void poll() {
    if (polling || buffered >= (long) maxInFlight * 4) {
      return;
    }
    polling = true;
    context.pipeToSelf(
        topics.reads().readOrWait(topic, nextRead, READ_BATCH, POLL_WAIT),
        (range, failure) ->
            failure == null
                ? new Polled(range.entries(), range.first(), null)
                : new Polled(List.of(), 0, failure));
  }

  private ReplyEffect<Event, SubscriptionState> onPolled(SubscriptionState state, Polled polled) {
    polling = false;
    if (polled.failure() != null) {
      Throwable cause =
          polled.failure() instanceof CompletionException c ? c.getCause() : polled.failure();
      if (cause instanceof RejectedException rejected && rejected.reason() == Reason.OUT_OF_RANGE) {
        return skipEvicted(state);
      }
      timers.startSingleTimer("poll", new Polled(List.of(), 0, null), POLL_WAIT.dividedBy(10));
      polling = true;
      return Effect().noReply();
    }
    List<Event> undecodable = new ArrayList<>();
    for (Entry entry : polled.entries()) {
      nextRead = entry.index() + 1;
      String instance;
      try {
        instance =
            subscription.key().apply(codec.decode(entry.payload(), subscription.messageType()));
        if (instance == null || instance.isEmpty()) {
          throw new IllegalArgumentException("the key of the entry is empty");
        }
      } catch (RuntimeException e) {
        complete(entry.index());
        undecodable.add(failure(entry.index(), null, "cannot decode entry: " + e.getMessage()));
        continue;
      }
      queues
          .computeIfAbsent(instance, k -> new ArrayDeque<>())
          .add(new Pending(entry, instance, 0));
      buffered++;
    }
    if (!undecodable.isEmpty()) {
      return Effect().persist(undecodable).thenRun(this::resume).thenNoReply();
    }
    resume(state);
    return Effect().noReply();
  }

  /** Dispatches what can go and reads on. */
  private void resume(SubscriptionState state) {
    queues.keySet().stream().toList().forEach(this::dispatch);
    poll();
  }

  /**
   * The subscription fell behind the topic's eviction: the lost range is recorded as one failure
   * and reading goes on from the oldest retained entry.
   */
  private ReplyEffect<Event, SubscriptionState> skipEvicted(SubscriptionState state) {
    polling = true;
    context.pipeToSelf(
        topics.reads().latest(topic),
        (range, failure) ->
            failure == null ? new Evicted(range.first()) : new Polled(List.of(), 0, failure));
    return Effect().noReply();
  }

  private ReplyEffect<Event, SubscriptionState> onEvicted(
      SubscriptionState state, Evicted evicted) {
    polling = false;
    long from = nextRead;
    long to = evicted.firstRetained() - 1;
    if (to < from) {
      poll();
      return Effect().noReply();
    }
    skippedTo = Math.max(skippedTo, to);
    nextRead = evicted.firstRetained();
    return giveUp(
        state,
        from,
        null,
        "entries " + from + ".." + to + " were evicted from the topic before they were delivered");
  }

  private void dispatch(String instance) {
    ArrayDeque<Pending> queue = queues.get(instance);
    if (inFlight.containsKey(instance)
        || queue == null
        || queue.isEmpty()
        || inFlight.size() >= maxInFlight) {
      return;
    }
    Pending next = queue.poll();
    if (queue.isEmpty()) {
      queues.remove(instance);
    }
    inFlight.put(instance, next);
    Entry entry = next.entry();
    context.pipeToSelf(
        FunctionInstance.deliver(
            zones,
            placement.entityId(function, instance),
            sender,
            entry.index(),
            subscription.messageType().getName(),
            entry.payload(),
            functionSettings.deliveryTimeout()),
        (ack, failure) ->
            new Acked(
                entry.index(),
                instance,
                ack == null ? Optional.empty() : Optional.ofNullable(ack.refusal()),
                failure));
  }

  private ReplyEffect<Event, SubscriptionState> onAcked(SubscriptionState state, Acked acked) {
    Pending pending = inFlight.get(acked.instance());
    if (pending == null || pending.entry().index() != acked.index()) {
      return Effect().noReply();
    }
    if (acked.failure() != null) {
      // unreachable, or the instance moved: deliver again (to where it is now), uncounted
      timers.startSingleTimer(
          "retry-" + acked.instance(),
          new Retry(acked.index(), acked.instance()),
          functionSettings.retryBackoff());
      return Effect().noReply();
    }
    if (acked.refusal().isPresent()) {
      int attempts = pending.attempts() + 1;
      if (attempts < maxAttempts) {
        inFlight.put(acked.instance(), new Pending(pending.entry(), acked.instance(), attempts));
        timers.startSingleTimer(
            "retry-" + acked.instance(),
            new Retry(acked.index(), acked.instance()),
            functionSettings.retryBackoff().multipliedBy(attempts));
        return Effect().noReply();
      }
      inFlight.remove(acked.instance());
      buffered--;
      return giveUp(state, acked.index(), acked.instance(), acked.refusal().get().message());
    }
    inFlight.remove(acked.instance());
    buffered--;
    complete(acked.index());
    resume(state);
    return Effect().noReply();
  }

  private ReplyEffect<Event, SubscriptionState> onRetry(SubscriptionState state, Retry retry) {
    Pending pending = inFlight.remove(retry.instance());
    if (pending != null && pending.entry().index() == retry.index()) {
      queues.computeIfAbsent(retry.instance(), k -> new ArrayDeque<>()).addFirst(pending);
      dispatch(retry.instance());
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, SubscriptionState> giveUp(
      SubscriptionState state, long index, String instance, String error) {
    complete(index);
    return Effect().persist(failure(index, instance, error)).thenRun(this::resume).thenNoReply();
  }

  private EntryFailed failure(long index, String instance, String error) {
    context
        .getLog()
        .warn(
            "subscription of {} to {}: entry {} failed for good: {}",
            function.name(),
            topic,
            index,
            error);
    return new EntryFailed(
        new SubscriptionState.FailedEntry(index, instance, error, System.currentTimeMillis()));
  }

  private void complete(long index) {
    done.add(index);
  }

  private ReplyEffect<Event, SubscriptionState> onCommit(SubscriptionState state, Commit commit) {
    long position = state.position();
    while (done.remove(position + 1) || position + 1 <= skippedTo) {
      position++;
    }
    if (position == state.position()) {
      return Effect().noReply();
    }
    return Effect().persist(new Advanced(position)).thenNoReply();
  }

  private ReplyEffect<Event, SubscriptionState> onGetStatus(
      SubscriptionState state, GetStatus get) {
    return Effect()
        .reply(
            get.replyTo(),
            new Status(
                topic,
                function.name(),
                state.position(),
                inFlight.size(),
                state.failedTotal(),
                state.failed()));
  }

  @Override
  public EventHandler<SubscriptionState, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Advanced.class, (state, advanced) -> state.advanced(advanced.position()))
        .onEvent(
            EntryFailed.class,
            (state, failed) -> state.withFailure(failed.entry(), rememberedFailures))
        .build();
  }

  @Override
  public SignalHandler<SubscriptionState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::start).build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2).withDeleteEventsOnSnapshot();
  }
}
