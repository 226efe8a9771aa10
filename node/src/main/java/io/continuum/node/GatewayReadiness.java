package io.continuum.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Readiness: the node's storage is prepared, its gRPC gateway is bound, its applications' topics
 * and subscriptions run, and it sees the object replicas of every zone that has members.
 */
public final class GatewayReadiness implements Supplier<CompletionStage<Boolean>> {

  private final NodeRegistry registry;

  public GatewayReadiness(ActorSystem system) {
    this.registry = NodeRegistry.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    ContinuumNode node = registry.node();
    return CompletableFuture.completedFuture(
        node != null && node.applications().isReady() && node.objects().isReady());
  }
}
