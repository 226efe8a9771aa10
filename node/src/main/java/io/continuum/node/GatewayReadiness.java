package io.continuum.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/** Readiness: the node's storage is prepared and its gRPC gateway is bound. */
public final class GatewayReadiness implements Supplier<CompletionStage<Boolean>> {

  private final NodeRegistry registry;

  public GatewayReadiness(ActorSystem system) {
    this.registry = NodeRegistry.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(registry.node() != null);
  }
}
