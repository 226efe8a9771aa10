package io.continuum.topic;

import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Reading topics: an entry, the newest, a range, a long poll, and following a topic live. Recent
 * entries come from the topic's cache, older ones straight from its journal. Every failure a caller
 * can cause or meet completes the stage with a {@link RejectedException} whose {@link Reason} says
 * what to do.
 *
 * <pre>{@code
 * TopicReads reads = topics.reads();
 * reads.read("cpu-raw", 1, 100).thenAccept(range -> ...);
 * reads.subscribe("cpu-raw", 1).runForeach(entry -> ..., system);
 * }</pre>
 */
public final class TopicReads {

  /** Entries a read returns at most. */
  public static final int MAX_READ = 1000;

  /** How long one poll of a tail waits at the topic for new entries. */
  private static final Duration TAIL_WAIT = Duration.ofSeconds(10);

  private static final Duration TAIL_RETRY = Duration.ofMillis(200);

  /** Entries read, with the retained range {@code first..latest} at the time of the read. */
  public record Range(long first, long latest, List<Entry> entries) {}

  private final ActorSystem<?> system;
  private final TopicSettings settings;
  private final CurrentEventsByPersistenceIdQuery journal;
  private final TopicCalls calls;

  TopicReads(
      ActorSystem<?> system,
      TopicSettings settings,
      CurrentEventsByPersistenceIdQuery journal,
      TopicCalls calls) {
    this.system = system;
    this.settings = settings;
    this.journal = journal;
    this.calls = calls;
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
    return calls
        .<TopicEntity.ReadReply>ask(
            topic,
            TopicEntity.ReadLatest::new,
            settings.askTimeout(),
            TopicCalls.LOST_AFTER,
            "read topic '" + topic + "'")
        .thenCompose(reply -> resolve(topic, reply));
  }

  /** Up to {@code max} entries from {@code from} (at most {@link #MAX_READ}). */
  public CompletionStage<Range> read(String topic, long from, int max) {
    if (from < 1) {
      return TopicCalls.failed(Reason.INVALID_ARGUMENT, "indexes start at 1, was " + from);
    }
    if (max < 1) {
      return TopicCalls.failed(Reason.INVALID_ARGUMENT, "max must be positive, was " + max);
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
              Throwable cause = TopicCalls.unwrap(error);
              if (cause instanceof RejectedException rejected
                  && (rejected.reason() == Reason.UNAVAILABLE
                      || rejected.reason() == Reason.ABORTED)) {
                return calls.after(TAIL_RETRY).thenApply(ignored -> List.<Entry>of());
              }
              return CompletableFuture.failedFuture(cause);
            });
  }

  /**
   * Reads up to {@code max} entries from {@code from}; when there are none yet, waits up to {@code
   * wait} for the first to be published (long poll).
   */
  public CompletionStage<Range> readOrWait(String topic, long from, int max, Duration wait) {
    return calls
        .<TopicEntity.ReadReply>ask(
            topic,
            replyTo -> new TopicEntity.Read(from, max, wait.toMillis(), replyTo),
            settings.askTimeout().plus(wait),
            TopicCalls.LOST_AFTER.plus(wait),
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
}
