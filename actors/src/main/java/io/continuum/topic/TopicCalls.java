package io.continuum.topic;

import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.reply.Rejection;
import io.continuum.sharding.MemberLosses;
import io.continuum.sharding.ZoneEntityId;
import io.continuum.sharding.ZoneSharding;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.Patterns;

/**
 * Calls a topic's entity where it lives now, looking its spec up in the catalog first, and turns
 * what can go wrong on the way into a {@link RejectedException} a caller can act on.
 */
final class TopicCalls {

  /** The pause before asking a topic again after it answered that it moved. */
  static final Duration MOVED_RETRY = Duration.ofMillis(50);

  /** When an unanswered call that may be repeated is sent again. */
  static final Duration LOST_AFTER = Duration.ofMillis(1500);

  private final ActorSystem<?> system;
  private final ZoneSharding zones;
  private final TopicCatalog catalog;
  private final java.util.function.Function<TopicSpec, String> zoneOf;
  private final MemberLosses losses;

  /**
   * @param zoneOf the zone a topic lives in now
   */
  TopicCalls(
      ActorSystem<?> system,
      ZoneSharding zones,
      TopicCatalog catalog,
      java.util.function.Function<TopicSpec, String> zoneOf) {
    this.system = system;
    this.zones = zones;
    this.catalog = catalog;
    this.zoneOf = zoneOf;
    this.losses = MemberLosses.get(system);
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
  <R> CompletionStage<R> ask(
      String topic,
      Function<ActorRef<R>, TopicEntity.Command> message,
      Duration timeout,
      Duration lostAfter,
      String what) {
    return ask(topic, spec -> Optional.empty(), message, timeout, lostAfter, what);
  }

  /** As above, refused without asking when {@code precheck} finds a reason in the topic's spec. */
  <R> CompletionStage<R> ask(
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

  <R> CompletionStage<R> askWhereItLives(
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
  CompletionStage<Done> after(Duration pause) {
    return Patterns.after(
        pause,
        system.classicSystem().scheduler(),
        system.executionContext(),
        () -> CompletableFuture.completedFuture(Done.getInstance()));
  }

  ZoneEntityId idOf(String topic, Optional<TopicSpec> spec) {
    return new ZoneEntityId(zoneOf.apply(spec.orElseThrow(() -> notFound(topic))), topic);
  }

  static RejectedException notFound(String topic) {
    return new RejectedException(
        Reason.NOT_FOUND, "topic '" + topic + "' does not exist; create it first");
  }

  <T> CompletionStage<T> validated(
      java.util.function.Supplier<CompletionStage<T>> action, String what) {
    try {
      return action.get().exceptionallyCompose(error -> mapTimeout(error, what));
    } catch (IllegalArgumentException e) {
      return failed(Reason.INVALID_ARGUMENT, e.getMessage());
    }
  }

  <T> CompletionStage<T> mapTimeout(Throwable error, String what) {
    Throwable cause = unwrap(error);
    if (cause instanceof TimeoutException) {
      return failed(
          Reason.UNAVAILABLE,
          "could not " + what + " in time: the cluster or its storage did not answer");
    }
    return CompletableFuture.failedFuture(cause);
  }

  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  static <T> CompletionStage<T> failed(Reason reason, String message) {
    return CompletableFuture.failedFuture(new RejectedException(reason, message));
  }
}
