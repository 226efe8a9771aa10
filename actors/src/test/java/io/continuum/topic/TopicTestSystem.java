package io.continuum.topic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.SerializationExtension;

/** The actor system configuration shared by the entity tests of this package. */
final class TopicTestSystem {

  private TopicTestSystem() {}

  /**
   * The persistence test kit's in-memory journal and snapshot store over the application's own
   * configuration, so that commands, events, state and replies go through the Jackson CBOR binding
   * of {@code CborSerializable}. A cluster provider (bound to a free loopback port, never joined)
   * lets a topic answer {@code Locate}.
   */
  static Config config() {
    return ConfigFactory.parseString(
            """
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
            continuum.zone = edge-a
            """)
        .withFallback(EventSourcedBehaviorTestKit.config())
        .withFallback(ConfigFactory.load());
  }

  /**
   * What the node reads from the journal or snapshot store when an earlier version stored {@code
   * json} (a tree of maps and lists) as a {@code type}: the bytes and manifest the Jackson CBOR
   * binding wrote before {@code type} had a migration (no version in the manifest).
   */
  static Object readStored(ActorSystem<?> system, Class<?> type, Object json)
      throws JsonProcessingException {
    byte[] bytes = new CBORMapper().writeValueAsBytes(json);
    return SerializationExtension.get(system.classicSystem())
        .deserialize(bytes, JACKSON_CBOR, type.getName())
        .get();
  }

  /** The serializer id of Pekko's {@code jackson-cbor}, which {@code CborSerializable} binds. */
  private static final int JACKSON_CBOR = 33;

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> payloads(List<Entry> entries) {
    return entries.stream().map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
  }

  static List<Long> indexes(List<Entry> entries) {
    return entries.stream().map(Entry::index).toList();
  }
}
