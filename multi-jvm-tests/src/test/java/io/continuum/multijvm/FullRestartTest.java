package io.continuum.multijvm;

import static io.continuum.multijvm.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.PublishResponse;
import io.continuum.gateway.v1.ReadRequest;
import io.continuum.gateway.v1.TopicServiceClient;
import io.continuum.node.local.LocalCluster;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three node processes on the embedded journal: a whole-cluster restart loses nothing. */
class FullRestartTest extends ClusterTest {

  @Test
  @Timeout(600)
  void thousandPublishesSurviveStoppingEveryNode() {
    cluster =
        TestCluster.start(
            Path.of("target", "clusters", "full-restart-" + System.currentTimeMillis()),
            LocalCluster.DEV_TOPOLOGY,
            List.of("edge-a", "edge-b", "cloud"),
            Map.of());
    TopicServiceClient client = cluster.topics(cluster.node("cloud"));
    await(
        client.create(
            CreateTopicRequest.newBuilder().setName("restart").setHomeZone("edge-a").build()));

    List<Pair<Long, String>> acknowledged =
        await(
            Source.range(1, 1000)
                .mapAsyncUnordered(
                    16,
                    i ->
                        client
                            .publish(
                                PublishRequest.newBuilder()
                                    .setTopic("restart")
                                    .setPayload(ByteString.copyFromUtf8("entry-" + i))
                                    .build())
                            .thenApply(
                                (PublishResponse r) -> Pair.create(r.getIndex(), "entry-" + i)))
                .runWith(Sink.seq(), cluster.clientSystem()));
    Map<Long, String> expected = new HashMap<>();
    acknowledged.forEach(p -> expected.put(p.first(), p.second()));
    assertThat(expected.keySet())
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 1000).boxed().toList());

    cluster.restartAll();

    TopicServiceClient after = cluster.topics(cluster.node("edge-b"));
    List<Entry> entries =
        await(
                after.read(
                    ReadRequest.newBuilder()
                        .setTopic("restart")
                        .setFromIndex(1)
                        .setMax(1000)
                        .build()))
            .getEntriesList();
    assertThat(entries).hasSize(1000);
    for (Entry entry : entries) {
      assertThat(entry.getPayload().toStringUtf8()).isEqualTo(expected.get(entry.getIndex()));
    }
    PublishResponse next =
        await(
            after.publish(
                PublishRequest.newBuilder()
                    .setTopic("restart")
                    .setPayload(ByteString.copyFromUtf8("after"))
                    .build()));
    assertThat(next.getIndex()).isEqualTo(1001);
  }
}
