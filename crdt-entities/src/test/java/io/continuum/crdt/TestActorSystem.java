package io.continuum.crdt;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * A local actor system for serialization tests: no cluster, just this module's reference.conf with
 * Pekko's. It is named like {@link TestNodes}' system: Pekko's own replicated data serializer
 * leaves the system name out of node addresses and reads them back with its own.
 */
public final class TestActorSystem {

  private TestActorSystem() {}

  public static ActorSystem start() {
    return ActorSystem.create(TestNodes.SYSTEM);
  }

  public static void stop(ActorSystem system) throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Serializes {@code o} as a remote message would be, and reads it back. */
  public static Object roundTrip(ActorSystem system, Object o) {
    Serialization serialization = SerializationExtension.get(system);
    Serializer serializer = serialization.findSerializerFor(o);
    byte[] bytes = serializer.toBinary(o);
    return serialization
        .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, o))
        .get();
  }

  /** The bytes {@code o} serializes to. */
  public static byte[] bytes(ActorSystem system, Object o) {
    return SerializationExtension.get(system).serialize(o).get();
  }
}
