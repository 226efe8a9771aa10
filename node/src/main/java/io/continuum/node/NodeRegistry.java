package io.continuum.node;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * Where the management routes and health checks, which Pekko Management instantiates from
 * configuration, find the node running in their actor system.
 */
final class NodeRegistry implements Extension {

  private static final AbstractExtensionId<NodeRegistry> ID =
      new AbstractExtensionId<>() {
        @Override
        public NodeRegistry createExtension(ExtendedActorSystem system) {
          return new NodeRegistry();
        }
      };

  private volatile ContinuumNode node;

  static NodeRegistry get(ActorSystem system) {
    return ID.get(system);
  }

  void register(ContinuumNode node) {
    this.node = node;
  }

  /** The node once it serves its gateway, else {@code null}. */
  ContinuumNode node() {
    return node;
  }
}
