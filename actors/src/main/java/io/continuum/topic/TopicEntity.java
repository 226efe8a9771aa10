package io.continuum.topic;

import io.continuum.journal.JournalOutage;
import io.continuum.reply.Reason;
import io.continuum.reply.Rejection;
import io.continuum.serialization.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A topic: a durable, append-only log. Each publish is persisted as one {@link Appended} event
 * before it is acknowledged; the journal holds nothing else, so an entry's index is its sequence
 * number and old entries are read straight from the journal by index, never kept in memory.
 *
 * <p>Publishes that arrive while a write is in flight are written together in the next write (one
 * journal round trip for the batch), each acknowledged once the batch is durable.
 *
 * <p>History is bounded: reads before {@code latest - history + 1} are refused as evicted, and a
 * snapshot every {@code max(history, snapshot-every)} entries deletes the events older than one
 * history length (so the journal holds at most about twice the history). Recent entries are cached;
 * a read of entries not yet published waits (long-poll) until they are or its wait ends, which is
 * how tails follow the topic live.
 *
 * <p>A publish with a producer id and sequence number is idempotent: a repeat of a sequence number
 * appended within the topic's {@link DuplicateWindow} returns the original index, and one the topic
 * has forgotten is refused with {@code FAILED_PRECONDITION}, never appended twice (see {@link
 * ProducerSequences}).
 *
 * <p>While the journal is unreachable ({@link JournalOutage}) publishes are refused with {@code
 * UNAVAILABLE} at once, and reads are served from the last durable state and the cache.
 */
public final class TopicEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        TopicEntity.Command, TopicEntity.Appended, TopicState> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "Topic");

  private static final Duration WAIT_CHECK = Duration.ofMillis(250);

  /** How long an entity left behind by a move refuses calls before it stops. */
  private static final Duration LINGER = Duration.ofSeconds(2);

  private static final String LINGER_KEY = "linger";

  /** Everything a topic accepts. */
  public sealed interface Command extends CborSerializable
      permits Publish,
          Read,
          ReadLatest,
          Locate,
          Leave,
          Stop,
          Flush,
          ExpireWaits,
          TopicActivation.SpecResolved,
          TopicActivation.NotHome {
    /** Answers this command with a refusal instead of its normal reply. */
    void reject(Rejection rejection);
  }

  /** Appends a payload; idempotent when a producer id and sequence number are given. */
  public record Publish(
      byte[] payload, String producerId, long producerSeq, ActorRef<PublishReply> replyTo)
      implements Command {
    @Override
    public void reject(Rejection rejection) {
      replyTo.tell(new Refused(rejection));
    }
  }

  /**
   * Reads up to {@code max} entries from {@code from}. When {@code from} is beyond the newest
   * entry, waits up to {@code waitMillis} for it to be published.
   */
  public record Read(long from, int max, long waitMillis, ActorRef<ReadReply> replyTo)
      implements Command {
    @Override
    public void reject(Rejection rejection) {
      replyTo.tell(new Refused(rejection));
    }
  }

  /** Reads the newest entry. */
  public record ReadLatest(ActorRef<ReadReply> replyTo) implements Command {
    @Override
    public void reject(Rejection rejection) {
      replyTo.tell(new Refused(rejection));
    }
  }

  /** Asks where the topic runs. */
  public record Locate(ActorRef<LocateReply> replyTo) implements Command {
    @Override
    public void reject(Rejection rejection) {
      replyTo.tell(new Refused(rejection));
    }
  }

  /**
   * The entity of the topic in {@code zone} took over (after a move): this one stops, so that it
   * cannot write from stale memory if calls come back to its zone later.
   */
  public record Leave(String zone) implements Command {
    @Override
    public void reject(Rejection rejection) {}
  }

  /**
   * Sent by the topic's shard to stop it (passivation, hand-off): it stops once its write in
   * flight, if any, is done, or at once while its journal is unreachable.
   */
  public enum Stop implements Command {
    INSTANCE;

    @Override
    public void reject(Rejection rejection) {}
  }

  /** Writes the publishes accepted since the last write as one batch. Sent to itself. */
  enum Flush implements Command {
    INSTANCE;

    @Override
    public void reject(Rejection rejection) {}
  }

  enum ExpireWaits implements Command {
    INSTANCE;

    @Override
    public void reject(Rejection rejection) {}
  }

  /** Reply to {@link Publish}. */
  public sealed interface PublishReply extends CborSerializable permits Published, Refused {}

  /** Reply to {@link Read} and {@link ReadLatest}. */
  public sealed interface ReadReply extends CborSerializable permits Served, InJournal, Refused {}

  /** Reply to {@link Locate}. */
  public sealed interface LocateReply extends CborSerializable permits Location, Refused {}

  /** The entry is durable at {@code index}; {@code duplicate} when it was a retried publish. */
  public record Published(long index, boolean duplicate) implements PublishReply {}

  /** Entries served from memory, with the retained range at the time. */
  public record Served(long first, long latest, List<Entry> entries) implements ReadReply {}

  /** The entries {@code from..to} exist and are to be read from the journal by the caller. */
  public record InJournal(long first, long latest, long from, long to) implements ReadReply {}

  /** The zone and node the topic runs on. */
  public record Location(String zone, String node) implements LocateReply {}

  /** The request was refused. */
  public record Refused(Rejection rejection) implements PublishReply, ReadReply, LocateReply {}

  /**
   * An entry became durable: the only event of a topic's journal. Version 2: {@code zone}, the zone
   * of the entity that wrote it, is {@code null} in events of version 1. An entity left behind by a
   * move that writes concurrently with the one in the new zone conflicts with it on the sequence
   * number instead of both succeeding, and an entity that recovers and finds another zone's write
   * last tells that zone's entity to {@link Leave}.
   */
  public record Appended(
      long index,
      byte[] payload,
      String producerId,
      long producerSeq,
      long publishedAt,
      String zone)
      implements CborSerializable {
    Entry toEntry() {
      return new Entry(index, payload, producerId, producerSeq, publishedAt);
    }
  }

  private record Waiter(Read read, long deadlineNanos) {}

  /** A publish accepted for the next write: a new entry, or a repeat of one in the same batch. */
  private record Pending(Publish publish, Appended appended, long duplicateOf) {}

  private final TopicSpec spec;
  private final String zone;
  private final Supplier<String> home;
  private final Consumer<String> evict;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final TopicSettings settings;
  private final DuplicateWindow window;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final EntryCache cache;
  private final List<Waiter> waiters = new ArrayList<>();
  private final List<Pending> pending = new ArrayList<>();
  private final JournalOutage<Command> outage = new JournalOutage<>();

  /** Set once the topic moved away from this entity: it only refuses until it stops. */
  private boolean retired;

  private List<Pending> writing = List.of();
  private TopicState durable;

  private TopicEntity(
      TopicSpec spec,
      String zone,
      Supplier<String> home,
      Consumer<String> evict,
      ActorRef<ClusterSharding.ShardCommand> shard,
      TopicSettings settings,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(
        persistenceId(spec.name()),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.spec = spec;
    this.zone = zone;
    this.home = home;
    this.evict = evict;
    this.shard = shard;
    this.settings = settings;
    this.window = DuplicateWindow.of(spec, settings);
    this.context = context;
    this.timers = timers;
    this.cache = new EntryCache(settings.cachedEntries(), settings.cachedBytes());
  }

  /** The behavior of the topic described by {@code spec}, in its home zone for good. */
  public static Behavior<Command> create(TopicSpec spec, TopicSettings settings) {
    return Behaviors.setup(
        context ->
            create(
                spec,
                settings,
                spec.homeZone(),
                spec::homeZone,
                zone -> {},
                context.getSystem().ignoreRef()));
  }

  /**
   * The behavior of the topic described by {@code spec}, as its entity in {@code zone}.
   *
   * @param home the zone the topic lives in now; once that is another zone (the topic was moved),
   *     this entity refuses publishes and reads with {@code ABORTED} and stops
   * @param evict sends {@link Leave} to the topic's entity in a zone: called after recovery when
   *     another zone's entity wrote last
   * @param shard the entity's shard, which it asks to passivate it when it leaves
   */
  public static Behavior<Command> create(
      TopicSpec spec,
      TopicSettings settings,
      String zone,
      Supplier<String> home,
      Consumer<String> evict,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  TopicEntity topic =
                      new TopicEntity(spec, zone, home, evict, shard, settings, context, timers);
                  return topic.outage.guard(
                      Command.class,
                      Publish.class,
                      Stop.INSTANCE,
                      topic,
                      topic::answerDuringOutage);
                }));
  }

  /** The journal identity of a topic; it does not carry the zone, so history survives a move. */
  public static PersistenceId persistenceId(String topic) {
    return PersistenceId.of("Topic", topic);
  }

  @Override
  public TopicState emptyState() {
    return TopicState.EMPTY;
  }

  @Override
  public CommandHandlerWithReply<Command, Appended, TopicState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Publish.class, this::onPublish)
        .onCommand(Read.class, this::onRead)
        .onCommand(ReadLatest.class, this::onReadLatest)
        .onCommand(Locate.class, this::onLocate)
        .onCommand(Leave.class, this::onLeave)
        .onCommand(Stop.class, stop -> Effect().stop().thenNoReply())
        // a receive timeout of the activation that was already queued when the topic came home
        .onCommand(TopicActivation.NotHome.class, (state, late) -> Effect().noReply())
        .onCommand(Flush.class, this::onFlush)
        .onCommand(ExpireWaits.class, this::onExpireWaits)
        .build();
  }

  private ReplyEffect<Appended, TopicState> onPublish(TopicState state, Publish publish) {
    boolean waitedThroughOutage = outage.waitedThrough(publish);
    Optional<Rejection> moved = moved();
    if (moved.isPresent()) {
      return Effect().reply(publish.replyTo(), new Refused(moved.get()));
    }
    if (waitedThroughOutage) {
      return Effect().reply(publish.replyTo(), new Refused(outageRefusal(publish)));
    }
    Optional<Rejection> oversized = spec.refusalOfEntry(publish.payload().length);
    if (oversized.isPresent()) {
      return Effect().reply(publish.replyTo(), new Refused(oversized.get()));
    }
    String producer = publish.producerId();
    if (producer != null) {
      OptionalLong original = state.producers().indexOf(producer, publish.producerSeq());
      if (original.isPresent()) {
        return Effect().reply(publish.replyTo(), new Published(original.getAsLong(), true));
      }
      OptionalLong inBatch = pendingIndexOf(producer, publish.producerSeq());
      if (inBatch.isPresent()) {
        return accept(new Pending(publish, null, inBatch.getAsLong()));
      }
      if (state.producers().isForgotten(producer, publish.producerSeq())) {
        return Effect()
            .reply(
                publish.replyTo(),
                refused(
                    Reason.FAILED_PRECONDITION,
                    window.forgotten(
                        spec.name(),
                        publish.producerId(),
                        publish.producerSeq(),
                        state.producers().size())));
      }
    }
    long index = state.latest() + pending.stream().filter(p -> p.appended() != null).count() + 1;
    return accept(
        new Pending(
            publish,
            new Appended(
                index,
                publish.payload(),
                producer,
                producer == null ? 0 : publish.producerSeq(),
                System.currentTimeMillis(),
                zone),
            0));
  }

  private OptionalLong pendingIndexOf(String producer, long seq) {
    return pending.stream()
        .filter(p -> p.appended() != null && producer.equals(p.appended().producerId()))
        .filter(p -> p.appended().producerSeq() == seq)
        .mapToLong(p -> p.appended().index())
        .findFirst();
  }

  private ReplyEffect<Appended, TopicState> accept(Pending publish) {
    if (pending.isEmpty()) {
      context.getSelf().tell(Flush.INSTANCE);
    }
    pending.add(publish);
    return Effect().noReply();
  }

  private ReplyEffect<Appended, TopicState> onFlush(TopicState state, Flush flush) {
    if (pending.isEmpty() || moved().isPresent()) {
      return Effect().noReply();
    }
    List<Pending> batch = List.copyOf(pending);
    pending.clear();
    writing = batch;
    List<Appended> events = batch.stream().map(Pending::appended).filter(a -> a != null).toList();
    return Effect()
        .persist(events)
        .thenRun(
            (TopicState persisted) -> {
              durable = persisted;
              writing = List.of();
              for (Pending p : batch) {
                p.publish()
                    .replyTo()
                    .tell(
                        p.appended() != null
                            ? new Published(p.appended().index(), false)
                            : new Published(p.duplicateOf(), true));
              }
              wakeWaiters(persisted);
            })
        .thenNoReply();
  }

  private ReplyEffect<Appended, TopicState> onRead(TopicState state, Read read) {
    Optional<Rejection> moved = moved();
    if (moved.isPresent()) {
      return Effect().reply(read.replyTo(), new Refused(moved.get()));
    }
    Optional<ReadReply> now = readNow(state, read);
    if (now.isPresent()) {
      return Effect().reply(read.replyTo(), now.get());
    }
    waiters.add(new Waiter(read, System.nanoTime() + read.waitMillis() * 1_000_000));
    if (!timers.isTimerActive(ExpireWaits.INSTANCE)) {
      timers.startTimerWithFixedDelay(ExpireWaits.INSTANCE, WAIT_CHECK);
    }
    return Effect().noReply();
  }

  /** The reply to a read, or empty when it is to wait for entries not yet published. */
  private Optional<ReadReply> readNow(TopicState state, Read read) {
    long first = spec.firstRetained(state.latest());
    if (read.from() < first) {
      return Optional.of(
          refused(
              Reason.OUT_OF_RANGE,
              "entry "
                  + read.from()
                  + " of topic '"
                  + spec.name()
                  + "' was evicted: the oldest retained entry is "
                  + first
                  + " (history "
                  + spec.historyLength()
                  + ")"));
    }
    if (read.from() > state.latest() && read.waitMillis() > 0) {
      return Optional.empty();
    }
    return Optional.of(serve(state, read.from(), read.max()));
  }

  private ReplyEffect<Appended, TopicState> onReadLatest(TopicState state, ReadLatest read) {
    Optional<Rejection> moved = moved();
    if (moved.isPresent()) {
      return Effect().reply(read.replyTo(), new Refused(moved.get()));
    }
    return Effect().reply(read.replyTo(), latest(state));
  }

  /**
   * {@code ABORTED} (retried by {@link Topics}) when the topic now lives in another zone: this
   * entity refuses every call while that lasts and stops {@link #LINGER} later (or when the entity
   * in the new zone tells it to {@link Leave}), so that it never writes after that entity took
   * over. Calls that gateways still send here meanwhile get the refusal instead of being lost with
   * a stopped entity. Writes it accepted but has not written yet are refused as it stops.
   */
  private Optional<Rejection> moved() {
    String now = home.get();
    if (!retired && now.equals(zone)) {
      return Optional.empty();
    }
    if (!retired) {
      retired = true;
      context
          .getLog()
          .info("topic '{}' of zone {} stops: it moved to zone {}", spec.name(), zone, now);
      timers.startSingleTimer(LINGER_KEY, new Leave(now), LINGER);
    } else if (now.equals(zone)) {
      // Moved back before this entity stopped: its memory may miss what the other zone wrote, so
      // it makes room for a fresh entity that recovers.
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
    String what =
        now.equals(zone)
            ? "moved back to zone " + zone + " and restarts"
            : "moved from zone " + zone + " to " + now;
    Rejection elsewhere =
        new Rejection(Reason.ABORTED, "topic '" + spec.name() + "' " + what + "; retry");
    // Publishes accepted but not yet written go to the new zone instead (the gateway retries).
    pending.forEach(p -> p.publish().replyTo().tell(new Refused(elsewhere)));
    pending.clear();
    return Optional.of(elsewhere);
  }

  private ReadReply latest(TopicState state) {
    return state.latest() == 0 ? new Served(1, 0, List.of()) : serve(state, state.latest(), 1);
  }

  private ReplyEffect<Appended, TopicState> onLeave(TopicState state, Leave leave) {
    if (leave.zone().equals(zone)) {
      return Effect().noReply();
    }
    retired = true;
    context
        .getLog()
        .info("topic '{}' of zone {} leaves: zone {} took over", spec.name(), zone, leave.zone());
    shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    return Effect().noReply();
  }

  private ReplyEffect<Appended, TopicState> onLocate(TopicState state, Locate locate) {
    return Effect().reply(locate.replyTo(), location());
  }

  private Location location() {
    return new Location(
        context.getSystem().settings().config().getString("continuum.zone"),
        Cluster.get(context.getSystem()).selfMember().address().toString());
  }

  /**
   * Answers what needs no journal while it is unreachable: a publish is refused (or, if its
   * producer sequence number is durable already, answered with its index), reads are served from
   * the last durable state — without waiting for new entries, which cannot come.
   */
  private boolean answerDuringOutage(Command command) {
    if (command instanceof Publish publish) {
      OptionalLong original =
          durable == null || publish.producerId() == null
              ? OptionalLong.empty()
              : durable.producers().indexOf(publish.producerId(), publish.producerSeq());
      publish
          .replyTo()
          .tell(
              original.isPresent()
                  ? new Published(original.getAsLong(), true)
                  : new Refused(outageRefusal(publish)));
    } else if (command instanceof Read || command instanceof ReadLatest) {
      if (durable == null) {
        command.reject(outage.refusal("read of topic '" + spec.name() + "'", "retry"));
      } else if (command instanceof Read read) {
        read.replyTo()
            .tell(
                readNow(durable, read)
                    .orElseGet(
                        () ->
                            new Served(
                                spec.firstRetained(durable.latest()),
                                durable.latest(),
                                List.of())));
      } else {
        ((ReadLatest) command).replyTo().tell(latest(durable));
      }
    } else if (command instanceof Locate locate) {
      locate.replyTo().tell(location());
    } else {
      return false;
    }
    return true;
  }

  private Rejection outageRefusal(Publish publish) {
    return outage.refusal(
        "publish to topic '" + spec.name() + "'",
        publish.producerId() != null
            ? "retry with the same producer id and sequence number"
            : "retry");
  }

  private ReplyEffect<Appended, TopicState> onExpireWaits(TopicState state, ExpireWaits tick) {
    long now = System.nanoTime();
    waiters.removeIf(
        waiter -> {
          boolean expired = now - waiter.deadlineNanos() >= 0;
          if (expired) {
            waiter.read().replyTo().tell(serve(state, waiter.read().from(), 0));
          }
          return expired;
        });
    if (waiters.isEmpty()) {
      timers.cancel(ExpireWaits.INSTANCE);
    }
    return Effect().noReply();
  }

  private void wakeWaiters(TopicState state) {
    waiters.removeIf(
        waiter -> {
          boolean ready = waiter.read().from() <= state.latest();
          if (ready) {
            waiter.read().replyTo().tell(serve(state, waiter.read().from(), waiter.read().max()));
          }
          return ready;
        });
  }

  private ReadReply serve(TopicState state, long from, int max) {
    long first = spec.firstRetained(state.latest());
    if (from > state.latest() || max <= 0) {
      return new Served(first, state.latest(), List.of());
    }
    if (cache.covers(from)) {
      return new Served(first, state.latest(), cache.range(from, max, settings.readBatchBytes()));
    }
    return new InJournal(first, state.latest(), from, Math.min(state.latest(), from + max - 1));
  }

  private static Refused refused(Reason reason, String message) {
    return new Refused(new Rejection(reason, message));
  }

  @Override
  public EventHandler<TopicState, Appended> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Appended.class,
            (state, appended) -> {
              cache.add(appended.toEntry());
              return state.apply(appended, window);
            })
        .build();
  }

  @Override
  public SignalHandler<TopicState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              durable = state;
              outage.ended();
              if (state.zone() != null && !state.zone().equals(zone)) {
                evict.accept(state.zone());
              }
              // A failed write restarts the topic in place, keeping this cache, which may still
              // hold the entry whose event was applied but never became durable.
              cache.dropAfter(state.latest());
            })
        .onSignal(RecoveryFailed.class, (state, failed) -> outage.began(failed.getFailure()))
        .onSignal(PostStop.instance(), this::releaseCallers)
        .onSignal(PreRestart.instance(), this::releaseCallers)
        .build();
  }

  /**
   * When the topic stops or restarts after a failed write: waiting readers poll again and find the
   * topic wherever it runs next; publishes not yet written, or whose write failed, are refused,
   * never acknowledged.
   */
  private void releaseCallers(TopicState state) {
    TopicState known = durable != null ? durable : state;
    waiters.forEach(w -> w.read().replyTo().tell(serve(known, w.read().from(), 0)));
    waiters.clear();
    if (durable != null) {
      cache.dropAfter(durable.latest());
    }
    Refused unwritten =
        refused(
            Reason.UNAVAILABLE,
            "topic '" + spec.name() + "' stopped before the entry was written; retry");
    pending.forEach(p -> p.publish().replyTo().tell(unwritten));
    pending.clear();
    writing.forEach(p -> p.publish().replyTo().tell(writeFailed(p.publish())));
    writing = List.of();
  }

  /** The answer to a publish whose journal write failed: it may or may not have been written. */
  private Refused writeFailed(Publish publish) {
    return refused(
        Reason.UNAVAILABLE,
        "the journal write of topic '"
            + spec.name()
            + "' failed, so the entry may or may not be in the topic; "
            + (publish.producerId() != null
                ? "retry with the same producer id and sequence number to publish it exactly once"
                : "a retry may publish it twice (publish with a producer id to make retries"
                    + " safe)"));
  }

  @Override
  public boolean shouldSnapshot(TopicState state, Appended event, long sequenceNr) {
    return sequenceNr % settings.snapshotEvery() == 0;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    int every =
        (int) Math.min(Integer.MAX_VALUE, Math.max(spec.historyLength(), settings.snapshotEvery()));
    return RetentionCriteria.snapshotEvery(every, 1).withDeleteEventsOnSnapshot();
  }
}
