package io.continuum.topic;

import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * This node's view of the topic registry: specs are immutable once registered, so each is asked of
 * its {@link TopicRegistry} entity once and then served from memory. A spec without a duplicate
 * window (from a registry entity on a node of the previous version, during a rolling upgrade) gets
 * this node's default, as the registry gives it to the specs it stored before.
 */
public final class TopicCatalog {

  private final ClusterSharding sharding;
  private final Duration timeout;
  private final Duration defaultDuplicateWindow;
  private final ConcurrentMap<String, TopicSpec> known = new ConcurrentHashMap<>();

  public TopicCatalog(ActorSystem<?> system, Duration timeout, Duration defaultDuplicateWindow) {
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
    this.defaultDuplicateWindow = defaultDuplicateWindow;
  }

  /**
   * The spec of a topic, empty when no such topic was created; fails with {@code INVALID_ARGUMENT}
   * when {@code name} is not a valid topic name (checked only for names not known yet).
   */
  public CompletionStage<Optional<TopicSpec>> find(String name) {
    TopicSpec cached = known.get(name);
    if (cached != null) {
      return CompletableFuture.completedFuture(Optional.of(cached));
    }
    try {
      TopicSpec.requireValidName(name);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new RejectedException(Reason.INVALID_ARGUMENT, e.getMessage()));
    }
    return registry(name)
        .ask(TopicRegistry.Find::new, timeout)
        .thenApply(
            lookup -> {
              Optional<TopicSpec> found = lookup.found().map(this::withDefaults);
              found.ifPresent(spec -> known.put(name, spec));
              return found;
            });
  }

  /** Registers a topic with its registry; remembers the spec when accepted. */
  public CompletionStage<TopicRegistry.RegisterReply> register(
      TopicRequest request, TopicSpec ifAbsent) {
    return registry(request.name())
        .<TopicRegistry.RegisterReply>ask(
            replyTo -> new TopicRegistry.Register(request, ifAbsent, replyTo), timeout)
        .thenApply(
            reply -> {
              if (reply instanceof TopicRegistry.Accepted accepted) {
                TopicSpec spec = withDefaults(accepted.spec());
                known.put(request.name(), spec);
                return new TopicRegistry.Accepted(spec, accepted.created());
              }
              return reply;
            });
  }

  private TopicSpec withDefaults(TopicSpec spec) {
    return spec.withDuplicateWindowIfUnset(defaultDuplicateWindow);
  }

  private EntityRef<TopicRegistry.Command> registry(String name) {
    return sharding.entityRefFor(TopicRegistry.TYPE_KEY, name);
  }
}
