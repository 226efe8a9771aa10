package io.continuum.topic;

import io.continuum.persistence.PersistenceBackend;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.sharding.ZoneEntityId;
import io.continuum.sharding.ZoneSharding;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;

/**
 * Topics as a service: create, publish, locate and describe, and read and follow through {@link
 * #reads()}, for the gateway and for functions. Every failure a caller can cause or meet completes
 * the stage with a {@link RejectedException} whose {@link Reason} says what to do.
 *
 * <pre>{@code
 * Topics topics = Topics.start(system, zones, PersistenceBackend.of(config), topic -> Optional.empty());
 * topics.create(new TopicRequest("cpu-raw", "edge-a", 10_000L, null, Duration.ofMinutes(5)));
 * long index = topics.publish("cpu-raw", bytes, null, 0).toCompletableFuture().join().index();
 * topics.reads().subscribe("cpu-raw", 1).runForeach(entry -> ..., system);
 * }</pre>
 */
public final class Topics {

  /** A created or existing topic. */
  public record Created(TopicSpec spec, boolean created) {}

  /** Where a topic runs. */
  public record Location(TopicSpec spec, String entityId, String shard, String zone, String node) {}

  private final ZoneSharding zones;
  private final TopicSettings settings;
  private final TopicCatalog catalog;
  private final java.util.function.Function<String, Optional<String>> movedTo;
  private final TopicCalls calls;
  private final TopicReads reads;

  private Topics(
      ActorSystem<?> system,
      ZoneSharding zones,
      TopicSettings settings,
      TopicCatalog catalog,
      CurrentEventsByPersistenceIdQuery journal,
      java.util.function.Function<String, Optional<String>> movedTo) {
    this.zones = zones;
    this.settings = settings;
    this.catalog = catalog;
    this.movedTo = movedTo;
    this.calls = new TopicCalls(system, zones, catalog, this::zoneOf);
    this.reads = new TopicReads(system, settings, journal, calls);
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

  /** Reading and following topics. */
  public TopicReads reads() {
    return reads;
  }

  /**
   * Creates a topic, or accepts an existing one whose options match those the request sets. Fails
   * with {@code ALREADY_EXISTS} naming the differing options otherwise.
   */
  public CompletionStage<Created> create(TopicRequest request) {
    return calls
        .validated(
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
      return TopicCalls.failed(
          Reason.INVALID_ARGUMENT, "producer sequence numbers start at 1, was " + producerSeq);
    }
    // Checked where the call enters: a topic elsewhere refuses it all the same, but its answer
    // could come only once the entry had crossed the cluster.
    return calls
        .<TopicEntity.PublishReply>ask(
            topic,
            spec -> spec.refusalOfEntry(payload.length),
            replyTo -> new TopicEntity.Publish(payload, producerId, producerSeq, replyTo),
            settings.askTimeout(),
            // only an idempotent publish may be sent again when its answer is lost
            producerId != null ? TopicCalls.LOST_AFTER : null,
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

  /** Where the topic runs now: its zone, node and shard. Starts it if it was idle. */
  public CompletionStage<Location> locate(String topic) {
    return catalog
        .find(topic)
        .thenCompose(
            spec ->
                calls
                    .<TopicEntity.LocateReply>askWhereItLives(
                        topic,
                        spec,
                        TopicEntity.Locate::new,
                        System.nanoTime() + settings.askTimeout().toNanos(),
                        TopicCalls.LOST_AFTER)
                    .thenApply(
                        reply -> {
                          if (reply instanceof TopicEntity.Refused refused) {
                            throw refused.rejection().toException();
                          }
                          TopicEntity.Location at = (TopicEntity.Location) reply;
                          ZoneEntityId id = calls.idOf(topic, spec);
                          return new Location(
                              spec.get(), id.toString(), zones.shardOf(id), at.zone(), at.node());
                        }))
        .exceptionallyCompose(error -> calls.mapTimeout(error, "locate topic '" + topic + "'"));
  }

  /** The spec of a topic; {@code NOT_FOUND} when it does not exist. */
  public CompletionStage<TopicSpec> describe(String topic) {
    return calls
        .validated(() -> catalog.find(topic), "look up topic")
        .thenApply(spec -> spec.orElseThrow(() -> TopicCalls.notFound(topic)));
  }
}
