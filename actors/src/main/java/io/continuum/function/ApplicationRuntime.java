package io.continuum.function;

import io.continuum.object.ReplicatedObjects;
import io.continuum.placement.PlacementConfig;
import io.continuum.placement.PlacementDirectory;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.sdk.model.Application;
import io.continuum.sdk.model.FunctionModel;
import io.continuum.sdk.model.SubscriptionModel;
import io.continuum.sdk.model.TopicModel;
import io.continuum.sharding.ZoneEntityId;
import io.continuum.sharding.ZoneSharding;
import io.continuum.topic.TopicRequest;
import io.continuum.topic.Topics;
import io.continuum.zone.Zone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the applications on a node: checks their declarations against the zones, starts function
 * instances and subscriptions, and once the node is up creates the declared topics and wakes every
 * subscription. Declared topics without a zone go to the cluster's default zone, so every node
 * agrees on where they live.
 */
public final class ApplicationRuntime {

  private static final Logger log = LoggerFactory.getLogger(ApplicationRuntime.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final ActorSystem<?> system;
  private final ZoneSharding zones;
  private final Topics topics;
  private final Application application;
  private final FunctionPlacement placement;
  private final Functions functions;
  private volatile boolean ready;

  private ApplicationRuntime(
      ActorSystem<?> system,
      ZoneSharding zones,
      Topics topics,
      Application application,
      FunctionPlacement placement,
      Functions functions) {
    this.system = system;
    this.zones = zones;
    this.topics = topics;
    this.application = application;
    this.placement = placement;
    this.functions = functions;
  }

  /**
   * Starts the applications' runtime on this node.
   *
   * @throws io.continuum.sdk.model.InvalidApplicationException when a declaration names a zone the
   *     topology does not have
   */
  public static ApplicationRuntime start(
      ActorSystem<?> system,
      ZoneSharding zones,
      Topics topics,
      ReplicatedObjects objects,
      PlacementConfig placementConfig,
      PlacementDirectory directory,
      Application application) {
    application.requireZones(
        zones.topology().zones().stream().map(Zone::name).collect(Collectors.toSet()));
    String defaultZone = FunctionPlacement.defaultZone(zones.topology());
    Map<String, String> topicZones = new HashMap<>();
    application
        .topics()
        .forEach(t -> topicZones.put(t.name(), t.zone() != null ? t.zone() : defaultZone));
    Map<String, String> objectZones = new HashMap<>();
    application
        .objects()
        .forEach(
            o -> objectZones.put(o.id(), o.zones().isEmpty() ? defaultZone : o.zones().get(0)));
    FunctionPlacement placement =
        new FunctionPlacement(
            zones.topology(), topicZones, objectZones, placementConfig, directory);
    Functions functions = Functions.start(system, zones, application, placement, topics, objects);
    MessageCodec codec = new MessageCodec();
    zones.initRemembered(
        TopicSubscription.TYPE_KEY,
        TopicSubscription.Stop.INSTANCE,
        (id, shard) -> {
          int separator = id.key().lastIndexOf('|');
          String topic = id.key().substring(0, separator);
          FunctionModel<?> function =
              application.function(id.key().substring(separator + 1)).orElseThrow();
          SubscriptionModel subscription =
              function.subscriptions().stream()
                  .filter(s -> s.topic().equals(topic))
                  .findFirst()
                  .orElseThrow();
          return TopicSubscription.create(
              function, subscription, topics, zones, placement, codec, functions.settings());
        });
    ApplicationRuntime runtime =
        new ApplicationRuntime(system, zones, topics, application, placement, functions);
    Cluster.get(system.classicSystem()).registerOnMemberUp(runtime::prepare);
    return runtime;
  }

  public Functions functions() {
    return functions;
  }

  /** True once the declared topics exist and the subscriptions run. */
  public boolean isReady() {
    return ready;
  }

  /** Progress and failures of every subscription, for operators. */
  public CompletionStage<List<TopicSubscription.Status>> subscriptions() {
    List<CompletableFuture<TopicSubscription.Status>> statuses = new ArrayList<>();
    forEachSubscription(
        id ->
            statuses.add(
                zones
                    .entityRef(TopicSubscription.TYPE_KEY, id)
                    .<TopicSubscription.Status>ask(
                        TopicSubscription.GetStatus::new, functions.settings().askTimeout())
                    .toCompletableFuture()));
    return CompletableFuture.allOf(statuses.toArray(CompletableFuture[]::new))
        .thenApply(done -> statuses.stream().map(CompletableFuture::join).toList());
  }

  private void prepare() {
    createTopics()
        .whenComplete(
            (done, failure) -> {
              if (failure == null) {
                forEachSubscription(
                    id ->
                        zones
                            .entityRef(TopicSubscription.TYPE_KEY, id)
                            .tell(TopicSubscription.Wake.INSTANCE));
                ready = true;
                log.info(
                    "applications ready: {} topics, {} function types",
                    application.topics().size(),
                    application.functions().size());
                return;
              }
              Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
              if (cause instanceof RejectedException rejected
                  && rejected.reason() != Reason.UNAVAILABLE) {
                log.error("the applications cannot start: {}", rejected.getMessage());
                CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
                return;
              }
              Patterns.after(
                  RETRY,
                  system.classicSystem().scheduler(),
                  system.executionContext(),
                  () -> {
                    prepare();
                    // not null: Patterns.after never completes a stage whose value is null
                    return CompletableFuture.completedFuture(Done.getInstance());
                  });
            });
  }

  private CompletableFuture<Void> createTopics() {
    List<CompletableFuture<?>> created = new ArrayList<>();
    for (TopicModel topic : application.topics()) {
      created.add(
          topics
              .create(
                  new TopicRequest(
                      topic.name(),
                      placement.topicZone(topic.name()),
                      topic.history(),
                      topic.maxEntryBytes(),
                      null))
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(created.toArray(CompletableFuture[]::new));
  }

  private void forEachSubscription(Consumer<ZoneEntityId> action) {
    for (FunctionModel<?> function : application.functions()) {
      for (SubscriptionModel subscription : function.subscriptions()) {
        action.accept(
            new ZoneEntityId(
                placement.topicZone(subscription.topic()),
                subscription.topic() + "|" + function.name()));
      }
    }
  }
}
