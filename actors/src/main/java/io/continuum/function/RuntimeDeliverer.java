package io.continuum.function;

import io.continuum.object.ReplicatedObjects;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.reply.Rejection;
import io.continuum.sdk.model.Application;
import io.continuum.sdk.model.Effects;
import io.continuum.sharding.ZoneSharding;
import io.continuum.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Delivers outbox entries in the cluster: messages to instances through sharding, publishes to
 * topics as idempotent producers (the sender is the producer id, the entry's sequence number the
 * producer sequence), so a repeated delivery appends nothing, and object updates as idempotent
 * writers (the same pair), so a repeated delivery applies nothing.
 */
final class RuntimeDeliverer implements Deliverer {

  private final ZoneSharding zones;
  private final Application application;
  private final FunctionPlacement placement;
  private final Topics topics;
  private final ReplicatedObjects objects;
  private final MessageCodec codec;
  private final Duration timeout;

  RuntimeDeliverer(
      ZoneSharding zones,
      Application application,
      FunctionPlacement placement,
      Topics topics,
      ReplicatedObjects objects,
      MessageCodec codec,
      Duration timeout) {
    this.zones = zones;
    this.application = application;
    this.placement = placement;
    this.topics = topics;
    this.objects = objects;
    this.codec = codec;
    this.timeout = timeout;
  }

  @Override
  public CompletionStage<Optional<Rejection>> deliver(String sender, OutboxEntry entry) {
    return switch (entry.kind()) {
      case SEND -> send(sender, entry);
      case PUBLISH -> publish(sender, entry);
      case OBJECT -> update(sender, entry);
    };
  }

  private CompletionStage<Optional<Rejection>> send(String sender, OutboxEntry entry) {
    int separator = entry.target().indexOf('|');
    String type = entry.target().substring(0, separator);
    String id = entry.target().substring(separator + 1);
    return application
        .function(type)
        .<CompletionStage<Optional<Rejection>>>map(
            function ->
                FunctionInstance.deliver(
                        zones,
                        placement.entityId(function, id),
                        sender,
                        entry.seq(),
                        entry.messageType(),
                        entry.payload(),
                        timeout)
                    .thenApply(ack -> Optional.ofNullable(ack.refusal())))
        .orElseGet(
            () ->
                CompletableFuture.completedFuture(
                    Optional.of(
                        new Rejection(Reason.NOT_FOUND, "no function type '" + type + "'"))));
  }

  private CompletionStage<Optional<Rejection>> publish(String sender, OutboxEntry entry) {
    return refusedForGood(
        topics.publish(entry.target(), entry.payload(), sender, entry.seq()).thenApply(p -> null));
  }

  private CompletionStage<Optional<Rejection>> update(String sender, OutboxEntry entry) {
    Effects.ObjectUpdate update = codec.decode(entry.payload(), Effects.ObjectUpdate.class);
    return refusedForGood(
        objects
            .update(
                new ReplicatedObjects.UpdateRequest(
                    update.object(),
                    update.field(),
                    update.operation(),
                    update.args(),
                    null,
                    List.of(),
                    "local"),
                new ReplicatedObjects.Writer(sender, entry.seq()))
            .thenApply(view -> null));
  }

  /**
   * Delivered when {@code delivery} succeeds; a rejection for good when the destination refused it
   * for a reason a retry cannot change; a failed stage (retry) when it was unavailable or aborted.
   */
  private static CompletionStage<Optional<Rejection>> refusedForGood(
      CompletionStage<Void> delivery) {
    return delivery
        .<Optional<Rejection>>thenApply(done -> Optional.empty())
        .exceptionallyCompose(
            error -> {
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof RejectedException rejected
                  && rejected.reason() != Reason.UNAVAILABLE
                  && rejected.reason() != Reason.ABORTED) {
                return CompletableFuture.completedFuture(
                    Optional.of(new Rejection(rejected.reason(), rejected.getMessage())));
              }
              return CompletableFuture.failedFuture(cause);
            });
  }
}
