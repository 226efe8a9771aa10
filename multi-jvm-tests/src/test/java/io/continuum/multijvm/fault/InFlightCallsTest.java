package io.continuum.multijvm.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.PublishResponse;
import io.continuum.multijvm.ClusterTest;
import io.continuum.multijvm.TestCluster;
import io.continuum.node.local.LocalCluster;
import io.continuum.node.local.NodeProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls in flight to a node when it crashes: the gateway learns the node is gone from its crash
 * (not from its own timeout) and acts at once. A call it may send twice (an idempotent publish, an
 * invocation with a request id) is sent again and served by the entity's new node; a publish
 * without a producer id, whose outcome nobody can know, is answered {@code UNAVAILABLE} saying so,
 * long before the client's deadline.
 */
class InFlightCallsTest extends ClusterTest {

  private static final String TOPIC = "in-flight";

  @Test
  @Timeout(300)
  void callsInFlightToACrashedNodeAreSentAgainOrAnsweredAtOnce() {
    cluster =
        TestCluster.start(
            TestCluster.directory("in-flight"),
            LocalCluster.DEV_TOPOLOGY,
            List.of("edge-a", "cloud", "cloud"),
            Map.of());
    NodeProcess gateway = cluster.node("edge-a");
    TestCluster.await(
        cluster
            .topics(gateway)
            .create(CreateTopicRequest.newBuilder().setName(TOPIC).setHomeZone("cloud").build()));
    TestCluster.await(cluster.topics(gateway).publish(publish("first", null, 0)));
    cluster.await("the topic to be located", Duration.ofSeconds(30), () -> host().isPresent());
    NodeProcess victim = host().orElseThrow();
    String counter = counterOn(victim, gateway);

    // Frozen, the victim takes the calls and answers none of them; then it crashes.
    victim.freeze();
    CompletableFuture<PublishResponse> plain =
        cluster.topics(gateway).publish(publish("plain", null, 0)).toCompletableFuture();
    CompletableFuture<PublishResponse> idempotent =
        cluster.topics(gateway).publish(publish("idempotent", "producer", 1)).toCompletableFuture();
    CompletableFuture<InvokeResponse> invoked =
        cluster.functions(gateway).invoke(add(counter, "in-flight")).toCompletableFuture();
    // Nothing observable tells that the calls reached the frozen node's socket; they leave the
    // gateway within milliseconds.
    TestCluster.pause(1000);
    assertThat(List.of(plain, idempotent, invoked)).noneMatch(CompletableFuture::isDone);
    long killed = System.nanoTime();
    victim.kill();
    CompletableFuture<Double> refusedAfter = plain.handle((ok, error) -> seconds(killed));
    CompletableFuture<Double> republishedAfter = idempotent.handle((ok, error) -> seconds(killed));
    CompletableFuture<Double> reinvokedAfter = invoked.handle((ok, error) -> seconds(killed));

    assertThatThrownBy(plain::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            error -> {
              Status status = ((StatusRuntimeException) error).getStatus();
              assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(status.getDescription())
                  .contains("crashed while the call was in flight")
                  .contains("retry");
            });
    long index = idempotent.join().getIndex();
    assertThat(index).isGreaterThan(1);
    assertThat(invoked.join().getServedByNode()).doesNotEndWith(":" + victim.spec().remotePort());

    // Sent again, each ran once: the publish kept one index, the counter counted once.
    assertThat(
            TestCluster.await(cluster.topics(gateway).publish(publish("idempotent", "producer", 1)))
                .getIndex())
        .isEqualTo(index);
    assertThat(
            cluster.readAll(gateway, TOPIC).stream()
                .filter(entry -> entry.getPayload().toStringUtf8().equals("idempotent"))
                .count())
        .isEqualTo(1);
    assertThat(
            TestCluster.await(cluster.functions(gateway).invoke(add(counter, "after")))
                .getPayload()
                .toStringUtf8())
        .isEqualTo("{\"total\":3}");
    cluster.figure(
        "in-flight: after the kill -9, a plain publish refused after %.1f s, an idempotent"
            + " publish served after %.1f s, an invocation served after %.1f s (deadlines 20 s)",
        refusedAfter.join(), republishedAfter.join(), reinvokedAfter.join());
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private java.util.Optional<NodeProcess> host() {
    return cluster.hostOf(TOPIC, cluster.node("edge-a"));
  }

  /** A counter instance that lives on {@code node}, counted once. */
  private String counterOn(NodeProcess node, NodeProcess gateway) {
    for (int i = 0; i < 200; i++) {
      String id = "in-flight-" + i;
      InvokeResponse served = TestCluster.await(cluster.functions(gateway).invoke(add(id, "find")));
      if (served.getServedByNode().endsWith(":" + node.spec().remotePort())) {
        return id;
      }
    }
    throw new AssertionError("no counter instance landed on " + node.spec().name());
  }

  private static InvokeRequest add(String counter, String requestId) {
    return InvokeRequest.newBuilder()
        .setType("counter")
        .setId(counter)
        .setPayload(ByteString.copyFromUtf8("{\"add\":1}"))
        .setRequestId(counter + "#" + requestId)
        .build();
  }

  private static PublishRequest publish(String payload, String producer, long seq) {
    PublishRequest.Builder request =
        PublishRequest.newBuilder().setTopic(TOPIC).setPayload(ByteString.copyFromUtf8(payload));
    if (producer != null) {
      request.setProducerId(producer).setProducerSeq(seq);
    }
    return request.build();
  }
}
