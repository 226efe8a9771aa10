package io.continuum.topic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Reads snapshots of {@link TopicState} of version 1, which remembered the last 32 sequence numbers
 * of each producer and their indexes, {@code "producers": {"p": {"seqs": [..], "indexes": [..]}}},
 * but not when they were published. They become sequence numbers published at time 0: recognised as
 * before until the next append, which forgets them, leaving each producer's highest as the floor
 * below which a repeat is refused, never appended twice.
 */
public final class TopicStateMigration extends JacksonMigration {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keeps whatever version 1 remembered, whatever the node's bounds. */
  private static final DuplicateWindow EVERYTHING =
      new DuplicateWindow(Duration.ZERO, Integer.MAX_VALUE, Integer.MAX_VALUE);

  private record Version1Entry(String producerId, long seq, long index) {}

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    if (fromVersion >= 2) {
      return json;
    }
    List<Version1Entry> entries = new ArrayList<>();
    json.path("producers")
        .fields()
        .forEachRemaining(
            producer -> {
              JsonNode seqs = producer.getValue().path("seqs");
              JsonNode indexes = producer.getValue().path("indexes");
              for (int i = 0; i < seqs.size(); i++) {
                entries.add(
                    new Version1Entry(
                        producer.getKey(), seqs.get(i).asLong(), indexes.get(i).asLong()));
              }
            });
    entries.sort(Comparator.comparingLong(Version1Entry::index));
    ProducerSequences producers = ProducerSequences.EMPTY;
    for (Version1Entry entry : entries) {
      producers = producers.appended(entry.producerId(), entry.seq(), entry.index(), 0, EVERYTHING);
    }
    ((ObjectNode) json).set("producers", JSON.valueToTree(producers));
    return json;
  }
}
