package io.continuum.gateway;

import static io.continuum.gateway.GatewayNode.OTHER_ZONE;
import static io.continuum.gateway.GatewayNode.ZONE;
import static io.continuum.gateway.GatewayNode.await;
import static io.continuum.gateway.GatewayNode.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.LatestRequest;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.PublishResponse;
import io.continuum.gateway.v1.ReadRequest;
import io.continuum.gateway.v1.SetPlacementRequest;
import io.grpc.Status;
import io.grpc.Status.Code;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Idempotent publishing through the gateway across what makes a topic recover its memory of
 * producers: a restart of the node, a move to another zone and back; and what a repeat gets once
 * the duplicate window is over. A node of its own, which snapshots topics every {@value
 * #SNAPSHOT_EVERY} entries, so that a restarted topic reads a snapshot and then replays the events
 * after it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicDuplicateWindowGatewayTest {

  private static final int SNAPSHOT_EVERY = 5;

  @RegisterExtension
  static final GatewayNode node =
      new GatewayNode(Map.of("continuum.topics.snapshot-every", SNAPSHOT_EVERY));

  private static final String PRODUCER = "sensor-1";

  private static final AtomicInteger topicCount = new AtomicInteger();

  @Test
  void aRepeatInsideTheWindowReturnsTheOriginalIndexAfterTheNodeRestarts() throws Exception {
    String topic = createTopic("restart", 0);
    for (long seq = 1; seq <= 12; seq++) {
      assertThat(publish(topic, seq)).isEqualTo(response(seq, false));
    }

    // The topic recovers from its snapshot at 10 and replays 11 and 12.
    node.restartNode();

    assertThat(publish(topic, 1)).as("remembered in the snapshot").isEqualTo(response(1, true));
    assertThat(publish(topic, 12))
        .as("remembered from a replayed event")
        .isEqualTo(response(12, true));
    assertThat(publish(topic, 13)).isEqualTo(response(13, false));
    assertThat(latestIndex(topic)).isEqualTo(13);
  }

  @Test
  void aRepeatInsideTheWindowReturnsTheOriginalIndexAfterAMoveToAnotherZoneAndBack() {
    String topic = createTopic("move", 0);
    for (long seq = 1; seq <= 7; seq++) {
      assertThat(publish(topic, seq)).isEqualTo(response(seq, false));
    }

    await(node.placement().set(placement(topic).setZone(OTHER_ZONE).build()));
    PublishResponse inOtherZone = publish(topic, 3);
    PublishResponse nextInOtherZone = publish(topic, 8);
    await(node.placement().set(placement(topic).setReset(true).build()));
    PublishResponse backHome = publish(topic, 8);

    assertThat(inOtherZone).isEqualTo(response(3, true));
    assertThat(nextInOtherZone).isEqualTo(response(8, false));
    assertThat(backHome).isEqualTo(response(8, true));
    assertThat(publish(topic, 1)).isEqualTo(response(1, true));
    assertThat(latestIndex(topic)).isEqualTo(8);
  }

  @Test
  void aRepeatAfterTheWindowIsRefusedSayingWhyAndWhatToDoAndAppendsNothing() {
    String topic = createTopic("window-over", 1000);
    assertThat(publish(topic, 1)).isEqualTo(response(1, false));
    AtomicLong next = new AtomicLong(1);

    // Each later publish makes the topic forget what was published more than a second before it.
    Status refused =
        TestProbe.create(node.clientSystem())
            .awaitAssert(
                Duration.ofSeconds(20),
                () -> {
                  long seq = next.incrementAndGet();
                  assertThat(publish(topic, seq)).isEqualTo(response(seq, false));
                  return statusOf(node.topics().publish(entry(topic, 1)));
                });

    assertThat(refused.getCode()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(refused.getDescription())
        .startsWith("producer '" + PRODUCER + "' sequence 1 is older than what topic '" + topic)
        .contains("published within its duplicate window of 1s.")
        .contains("cannot tell whether this one was published")
        .contains("continue with a higher sequence number");
    List<Entry> entries =
        await(node.topics().read(ReadRequest.newBuilder().setTopic(topic).setFromIndex(1).build()))
            .getEntriesList();
    assertThat(entries).extracting(Entry::getProducerSeq).filteredOn(seq -> seq == 1).hasSize(1);
    assertThat(entries).hasSize((int) next.get());
  }

  /** Creates a topic in the node's zone with a duplicate window ({@code 0}: the default). */
  private static String createTopic(String label, long duplicateWindowMs) {
    String name = label + "-" + topicCount.incrementAndGet();
    await(
        node.topics()
            .create(
                CreateTopicRequest.newBuilder()
                    .setName(name)
                    .setHomeZone(ZONE)
                    .setDuplicateWindowMs(duplicateWindowMs)
                    .build()));
    return name;
  }

  private static PublishRequest entry(String topic, long seq) {
    return PublishRequest.newBuilder()
        .setTopic(topic)
        .setPayload(ByteString.copyFromUtf8("reading-" + seq))
        .setProducerId(PRODUCER)
        .setProducerSeq(seq)
        .build();
  }

  /** Publishes sequence number {@code seq} of the producer, whose entries are one per index. */
  private static PublishResponse publish(String topic, long seq) {
    return await(node.topics().publish(entry(topic, seq)));
  }

  private static PublishResponse response(long index, boolean duplicate) {
    return PublishResponse.newBuilder().setIndex(index).setDuplicate(duplicate).build();
  }

  private static long latestIndex(String topic) {
    return await(node.topics().latest(LatestRequest.newBuilder().setTopic(topic).build()))
        .getIndex();
  }

  private static SetPlacementRequest.Builder placement(String topic) {
    return SetPlacementRequest.newBuilder().setKind("topic").setName(topic);
  }
}
