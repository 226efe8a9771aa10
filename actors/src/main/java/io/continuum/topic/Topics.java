package io.continuum.topic;

import io.continuum.persistence.PersistenceBackend;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.reply.Rejection;
import io.continuum.sharding.MemberLosses;
import io.continuum.sharding.ZoneEntityId;
import io.continuum.sharding.ZoneSharding;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Topics as a service: create, publish, read and follow, for the gateway and for functions. Every
 * failure a caller can cause or meet completes the stage with a {@link RejectedException} whose
 * {@link Reason} says what to do.
 *
 * <pre>{@code
 * Topics topics = Topics.start(system, zones, PersistenceBackend.of(config), topic -> Optional.empty());
 * topics.create(new TopicRequest("cpu-raw", "edge-a", 10_000L, null, Duration.ofMinutes(5)));
 * long index = topics.publish("cpu-raw", bytes, null, 0).toCompletableFuture().join().index();
 * topics.subscribe("cpu-raw", 1).runForeach(entry -> ..., system);
 * }</pre>
 */
public final class Topics {

  /** Entries a read returns at most. */
  public static final int MAX_READ = 1000;

  /** How long one poll of a tail waits at the topic for new entries. */
  private static final Duration TAIL_WAIT = Duration.ofSeconds(10);

  private static final Duration TAIL_RETRY = Duration.ofMillis(200);

  /** The pause before asking a topic again after it answered that it moved. */
  private static final Duration MOVED_RETRY = Duration.ofMillis(50);

  /** When an unanswered call that may be repeated is sent again. */
  private static final Duration LOST_AFTER = Duration.ofMillis(1500);

  /** A created or existing topic. */
  public record Created(TopicSpec spec, boolean created) {}

  /** Entries read, with the retained range {@code first..latest} at the time of the read. */
  public record Range(long first, long latest, List<Entry> entries) {}

  /** Where a topic runs. */
  public record Location(TopicSpec spec, String entityId, String shard, String zone, String node) {}

  private final ActorSystem<?> system;
  private final ZoneSharding zones;
  private final TopicSettings settings;
  private final TopicCatalog catalog;
  private final CurrentEventsByPersistenceIdQuery journal;
  private final java.util.function.Function<String, Optional<String>> movedTo;
  private final MemberLosses losses;

  private Topics(
      ActorSystem<?> system,
      ZoneSharding zones,
      TopicSettings settings,
      TopicCatalog catalog,
      CurrentEventsByPersistenceIdQuery journal,
      java.util.function.Function<String, Optional<String>> movedTo) {
    this.system = system;
    this.zones = zones;
    this.settings = settings;
    this.catalog = catalog;
    this.journal = journal;
    this.movedTo = movedTo;
    this.losses = MemberLosses.get(system);
  }

  /**
   * Starts the topic registry and topic shard regions on this node.
   *
   * @param movedTo the zone a topic was moved to at runtime (its placement override), if any; a
   *     topic lives there instead of its home zone, and its entity in any other zone refuses calls
   *     with {@code ABORTED} and stops
   */
  public static Topics start(
      ActorSystem<?> system,
      ZoneSharding zones,
      PersistenceBackend backend,
      java.util.function.Function<String, Optional<String>> movedTo) {
    TopicSettings settings = TopicSettings.fromConfig(system.settings().config());
    TopicCatalog catalog =
        new TopicCatalog(system, settings.askTimeout(), settings.defaultDuplicateWindow());
    TopicRegistry.init(system, settings.defaultDuplicateWindow());
    CurrentEventsByPersistenceIdQuery journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, backend.readJournalId());
    Topics topics = new Topics(system, zones, settings, catalog, journal, movedTo);
    zones.init(
        TopicEntity.TYPE_KEY,
        TopicEntity.Stop.INSTANCE,
        (id, shard) ->
            TopicActivation.start(
                catalog,
                new TopicActivation.Placement(
                    id,
                    settings,
                    topics::zoneOf,
                    previous ->
                        zones
                            .entityRef(TopicEntity.TYPE_KEY, new ZoneEntityId(previous, id.key()))
                            .tell(new TopicEntity.Leave(id.zone())),
                    shard)));
    return topics;
  }

  /** The zone a topic lives in now: where it was moved to, else its home zone. */
  public String zoneOf(TopicSpec spec) {
    return movedTo.apply(spec.name()).orElse(spec.homeZone());
  }

  public TopicSettings settings() {
    return settings;
  }

  /**
   * Creates a topic, or accepts an existing one whose options match those the request sets. Fails
   * with {@code ALREADY_EXISTS} naming the differing options otherwise.
   */
  public CompletionStage<Created> create(TopicRequest request) {
    return validated(
            () -> {
              TopicSpec.requireValidName(request.name());
              if (request.homeZone() != null) {
                zones.topology().require(request.homeZone());
              }
              if (request.historyLength() != null
                  && (request.historyLength() < 1 || request.historyLength() > 1_000_000_000L)) {
                throw new IllegalArgumentException(
                    "history must be between 1 and 1000000000 entries, was "
                        + request.historyLength());
              }
              if (request.maxEntryBytes() != null
                  && (request.maxEntryBytes() < 1
                      || request.maxEntryBytes() > settings.entryBytesLimit())) {
                throw new IllegalArgumentException(
                    "max entry bytes must be between 1 and "
                        + settings.entryBytesLimit()
                        + ", was "
                        + request.maxEntryBytes());
              }
              if (request.duplicateWindow() != null
                  && (request.duplicateWindow().toMillis() < 1
                      || request.duplicateWindow().compareTo(settings.duplicateWindowLimit())
                          > 0)) {
                throw new IllegalArgumentException(
                    "duplicate window must be between 1ms and "
                        + DuplicateWindow.text(settings.duplicateWindowLimit())
                        + " (continuum.topics.duplicate-window-limit of this node), was "
                        + DuplicateWindow.text(request.duplicateWindow()));
              }
              TopicSpec ifAbsent =
                  request.withDefaults(
                      zones.selfZone().name(),
                      settings.defaultHistory(),
                      settings.defaultMaxEntryBytes(),
                      settings.defaultDuplicateWindow());
              return catalog.register(request, ifAbsent);
            },
            "create topic '" + request.name() + "'")
        .thenApply(
            reply -> {
              if (reply instanceof TopicRegistry.Conflict conflict) {
                throw new RejectedException(
                    Reason.ALREADY_EXISTS,
                    "topic '"
                        + request.name()
                        + "' exists with "
                        + String.join(", ", conflict.differences()));
              }
              TopicRegistry.Accepted accepted = (TopicRegistry.Accepted) reply;
              return new Created(accepted.spec(), accepted.created());
            });
  }

  /**
   * Publishes a payload; the stage completes once it is durable. With a producer id, a repeated
   * {@code producerSeq} returns the original index and appends nothing within the topic's duplicate
   * window, and fails with {@code FAILED_PRECONDITION} once the topic forgot it (see {@link
   * ProducerSequences}).
   */
  public CompletionStage<TopicEntity.Published> publish(
      String topic, byte[] payload, String producerId, long producerSeq) {
    if (producerId != null && producerSeq < 1) {
      return failed(
          Reason.INVALID_ARGUMENT, "producer sequence numbers start at 1, was " + producerSeq);
    }
    // Checked where the call enters: a topic elsewhere refuses it all the same, but its answer
    // could come only once the entry had crossed the cluster.
    return this.<TopicEntity.PublishReply>ask(
            topic,
            spec -> spec.refusalOfEntry(payload.length),
            replyTo -> new TopicEntity.Publish(payload, producerId, producerSeq, replyTo),
            settings.askTimeout(),
            // only an idempotent publish may be sent again when its answer is lost
            producerId != null ? LOST_AFTER : null,
            "publish to topic '"
                + topic
                + "' (not acknowledged: retry"
                + (producerId != null ? " with the same producer id and sequence)" : ")"))
        .thenApply(
            reply -> {
              if (reply instanceof TopicEntity.Refused refused) {
                throw refused.rejection().toException();
              }
              return (TopicEntity.Published) reply;
            });
  }

  /** The entry at {@code index}; {@code NOT_FOUND} when not yet published. */
  public CompletionStage<Entry> get(String topic, long index) {
    return read(topic, index, 1)
        .thenApply(
            range -> {
              if (range.entries().isEmpty()) {
                throw new RejectedException(
                    Reason.NOT_FOUND,
                    "topic '"
                        + topic
                        + "' has no entry "
                        + index
                        + " yet: the latest is "
                        + range.latest());
              }
              return range.entries().get(0);
            });
  }

  /** The newest entry, if any, with the retained range. */
  public CompletionStage<Range> latest(String topic) {
    return this.<TopicEntity.ReadReply>ask(
            topic,
            TopicEntity.ReadLatest::new,
            settings.askTimeout(),
            LOST_AFTER,
            "read topic '" + topic + "'")
        .thenCompose(reply -> resolve(topic, reply));
  }

  /** Up to {@code max} entries from {@code from} (at most {@link #MAX_READ}). */
  public CompletionStage<Range> read(String topic, long from, int max) {
    if (from < 1) {
      return failed(Reason.INVALID_ARGUMENT, "indexes start at 1, was " + from);
    }
    if (max < 1) {
      return failed(Reason.INVALID_ARGUMENT, "max must be positive, was " + max);
    }
    return readOrWait(topic, from, Math.min(max, MAX_READ), Duration.ZERO);
  }

  /**
   * Every entry from {@code from} (or from the oldest retained when {@code from} is 0), in index
   * order without gaps or duplicates, then each new entry as it is published. The source keeps
   * following the topic through restarts and moves; it fails with {@code OUT_OF_RANGE} if it falls
   * behind the topic's eviction and with {@code NOT_FOUND} if the topic does not exist.
   */
  public Source<Entry, NotUsed> subscribe(String topic, long from) {
    if (from < 0) {
      return Source.failed(
          new RejectedException(Reason.INVALID_ARGUMENT, "indexes start at 1, was " + from));
    }
    CompletionStage<Long> start =
        from > 0 ? CompletableFuture.completedFuture(from) : latest(topic).thenApply(Range::first);
    return Source.completionStage(start)
        .flatMapConcat(
            first ->
                Source.unfoldAsync(
                    first,
                    next ->
                        tailPoll(topic, next)
                            .thenApply(
                                entries ->
                                    Optional.of(
                                        Pair.create(
                                            entries.isEmpty()
                                                ? next
                                                : entries.get(entries.size() - 1).index() + 1,
                                            entries)))))
        .mapConcat(entries -> entries);
  }

  private CompletionStage<List<Entry>> tailPoll(String topic, long next) {
    return readOrWait(topic, next, MAX_READ, TAIL_WAIT)
        .thenApply(Range::entries)
        .exceptionallyCompose(
            error -> {
              Throwable cause = unwrap(error);
              if (cause instanceof RejectedException rejected
                  && (rejected.reason() == Reason.UNAVAILABLE
                      || rejected.reason() == Reason.ABORTED)) {
                return after(TAIL_RETRY).thenApply(ignored -> List.<Entry>of());
              }
              return CompletableFuture.failedFuture(cause);
            });
  }

  /**
   * Reads up to {@code max} entries from {@code from}; when there are none yet, waits up to {@code
   * wait} for the first to be published (long poll).
   */
  public CompletionStage<Range> readOrWait(String topic, long from, int max, Duration wait) {
    return this.<TopicEntity.ReadReply>ask(
            topic,
            replyTo -> new TopicEntity.Read(from, max, wait.toMillis(), replyTo),
            settings.askTimeout().plus(wait),
            LOST_AFTER.plus(wait),
            "read topic '" + topic + "'")
        .thenCompose(reply -> resolve(topic, reply));
  }

  private CompletionStage<Range> resolve(String topic, TopicEntity.ReadReply reply) {
    if (reply instanceof TopicEntity.Refused refused) {
      return CompletableFuture.failedFuture(refused.rejection().toException());
    }
    if (reply instanceof TopicEntity.Served served) {
      return CompletableFuture.completedFuture(
          new Range(served.first(), served.latest(), served.entries()));
    }
    TopicEntity.InJournal inJournal = (TopicEntity.InJournal) reply;
    AtomicLong budget = new AtomicLong(settings.readBatchBytes());
    return journal
        .currentEventsByPersistenceId(
            TopicEntity.persistenceId(topic).id(), inJournal.from(), inJournal.to())
        .map(envelope -> ((TopicEntity.Appended) envelope.event()).toEntry())
        .takeWhile(
            entry ->
                budget.addAndGet(-entry.payload().length) >= 0 || entry.index() == inJournal.from())
        .runWith(Sink.seq(), system)
        .thenApply(
            entries -> {
              if (entries.isEmpty() || entries.get(0).index() != inJournal.from()) {
                throw new RejectedException(
                    Reason.OUT_OF_RANGE,
                    "entry "
                        + inJournal.from()
                        + " of topic '"
                        + topic
                        + "' was evicted while it was read; the oldest retained entry is now"
                        + " later than "
                        + inJournal.first());
              }
              return new Range(inJournal.first(), inJournal.latest(), entries);
            });
  }

  /** Where the topic runs now: its zone, node and shard. Starts it if it was idle. */
  public CompletionStage<Location> locate(String topic) {
    return catalog
        .find(topic)
        .thenCompose(
            spec ->
                this.<TopicEntity.LocateReply>askWhereItLives(
                        topic,
                        spec,
                        TopicEntity.Locate::new,
                        System.nanoTime() + settings.askTimeout().toNanos(),
                        LOST_AFTER)
                    .thenApply(
                        reply -> {
                          if (reply instanceof TopicEntity.Refused refused) {
                            throw refused.rejection().toException();
                          }
                          TopicEntity.Location at = (TopicEntity.Location) reply;
                          ZoneEntityId id = idOf(topic, spec);
                          return new Location(
                              spec.get(), id.toString(), zones.shardOf(id), at.zone(), at.node());
                        }))
        .exceptionallyCompose(error -> mapTimeout(error, "locate topic '" + topic + "'"));
  }

  /** The spec of a topic; {@code NOT_FOUND} when it does not exist. */
  public CompletionStage<TopicSpec> describe(String topic) {
    return validated(() -> catalog.find(topic), "look up topic")
        .thenApply(spec -> spec.orElseThrow(() -> notFound(topic)));
  }

  /**
   * Asks the topic's entity in the zone it lives in now, within {@code timeout}: again {@link
   * #MOVED_RETRY} later when the entity answers that the topic moved (until this node's placement
   * directory knows where to), and again when an attempt got no answer within {@code lostAfter}
   * (its message was lost while the entity moved or passivated) or when a node crashed while it was
   * in flight ({@link MemberLosses}); a call that must not be sent twice is then refused at once
   * with {@code UNAVAILABLE}, its outcome unknown.
   *
   * @param lostAfter {@code null} when the message must not be sent twice
   */
  private <R> CompletionStage<R> ask(
      String topic,
      Function<ActorRef<R>, TopicEntity.Command> message,
      Duration timeout,
      Duration lostAfter,
      String what) {
    return ask(topic, spec -> Optional.empty(), message, timeout, lostAfter, what);
  }

  /** As above, refused without asking when {@code precheck} finds a reason in the topic's spec. */
  private <R> CompletionStage<R> ask(
      String topic,
      java.util.function.Function<TopicSpec, Optional<Rejection>> precheck,
      Function<ActorRef<R>, TopicEntity.Command> message,
      Duration timeout,
      Duration lostAfter,
      String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return validated(() -> catalog.find(topic), what)
        .thenCompose(
            spec -> {
              Optional<Rejection> refusal =
                  spec.isPresent() ? precheck.apply(spec.get()) : Optional.empty();
              return refusal.isPresent()
                  ? CompletableFuture.<R>failedFuture(refusal.get().toException())
                  : askWhereItLives(topic, spec, message, deadline, lostAfter);
            })
        .exceptionallyCompose(error -> mapTimeout(error, what));
  }

  private <R> CompletionStage<R> askWhereItLives(
      String topic,
      Optional<TopicSpec> spec,
      Function<ActorRef<R>, TopicEntity.Command> message,
      long deadline,
      Duration lostAfter) {
    long left = Math.max(1, deadline - System.nanoTime());
    boolean mayRepeat = lostAfter != null && lostAfter.toNanos() < left;
    Duration attempt = Duration.ofNanos(mayRepeat ? lostAfter.toNanos() : left);
    // Always after a pause: an ask that fails at once (a region shutting down) must not loop
    // without one.
    Supplier<CompletionStage<R>> again =
        () ->
            after(MOVED_RETRY)
                .thenCompose(ignored -> askWhereItLives(topic, spec, message, deadline, lostAfter));
    ZoneEntityId id = idOf(topic, spec);
    CompletionStage<R> asked = zones.entityRef(TopicEntity.TYPE_KEY, id).ask(message, attempt);
    // A node that crashed took the message with it: ask again at once, or say so at once.
    CompletableFuture<R> answered =
        losses.orLost(asked, zone -> mayRepeat || zone.equals(id.zone()));
    return answered
        .exceptionallyCompose(
            error -> {
              Throwable cause = unwrap(error);
              if (mayRepeat
                  && (cause instanceof TimeoutException || cause instanceof MemberLosses.Lost)) {
                return again.get();
              }
              return CompletableFuture.failedFuture(
                  cause instanceof MemberLosses.Lost lost
                      ? new RejectedException(
                          Reason.UNAVAILABLE,
                          "a node of zone '"
                              + lost.zone()
                              + "' that serves topic '"
                              + topic
                              + "' crashed while the call was in flight: its outcome is unknown;"
                              + " retry (a publish with a producer id and sequence number is"
                              + " retried safely)")
                      : error);
            })
        .thenCompose(
            reply -> {
              boolean moved =
                  reply instanceof TopicEntity.Refused refused
                      && refused.rejection().reason() == Reason.ABORTED;
              return moved && System.nanoTime() + 2 * MOVED_RETRY.toNanos() < deadline
                  ? again.get()
                  : CompletableFuture.completedFuture(reply);
            });
  }

  /**
   * Completes after {@code pause}, on the scheduler: the pause before asking again. It completes
   * with {@link Done}, not {@code null}: Pekko's {@code Patterns.after} never completes a stage
   * whose value is {@code null}, which left every retry after a move hanging until the caller's
   * deadline.
   */
  private CompletionStage<Done> after(Duration pause) {
    return Patterns.after(
        pause,
        system.classicSystem().scheduler(),
        system.executionContext(),
        () -> CompletableFuture.completedFuture(Done.getInstance()));
  }

  private ZoneEntityId idOf(String topic, Optional<TopicSpec> spec) {
    return new ZoneEntityId(zoneOf(spec.orElseThrow(() -> notFound(topic))), topic);
  }

  private static RejectedException notFound(String topic) {
    return new RejectedException(
        Reason.NOT_FOUND, "topic '" + topic + "' does not exist; create it first");
  }

  private <T> CompletionStage<T> validated(
      java.util.function.Supplier<CompletionStage<T>> action, String what) {
    try {
      return action.get().exceptionallyCompose(error -> mapTimeout(error, what));
    } catch (IllegalArgumentException e) {
      return failed(Reason.INVALID_ARGUMENT, e.getMessage());
    }
  }

  private <T> CompletionStage<T> mapTimeout(Throwable error, String what) {
    Throwable cause = unwrap(error);
    if (cause instanceof TimeoutException) {
      return failed(
          Reason.UNAVAILABLE,
          "could not " + what + " in time: the cluster or its storage did not answer");
    }
    return CompletableFuture.failedFuture(cause);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private static <T> CompletionStage<T> failed(Reason reason, String message) {
    return CompletableFuture.failedFuture(new RejectedException(reason, message));
  }
}
