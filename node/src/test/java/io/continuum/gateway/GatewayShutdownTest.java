package io.continuum.gateway;

import static io.continuum.gateway.GatewayNode.CALL_TIMEOUT;
import static io.continuum.gateway.GatewayNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.ClusterServiceGrpc;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.StatusRequest;
import io.continuum.gateway.v1.SubscribeRequest;
import io.continuum.gateway.v1.TopicServiceGrpc;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the gateway's clients see while its node shuts down: health turns {@code NOT_SERVING}, live
 * subscriptions end with {@code UNAVAILABLE} at once, calls in flight still get their answers
 * within the shutdown grace, and those that take longer end with {@code UNAVAILABLE}. The test
 * stops its node, so it has a node of its own.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GatewayShutdownTest {

  private static final Duration GRACE = Duration.ofSeconds(2);

  @RegisterExtension
  static final GatewayNode node =
      new GatewayNode(Map.of("continuum.gateway.shutdown-grace", GRACE.toMillis() + "ms"));

  private ManagedChannel channel;

  @BeforeEach
  void connect() {
    channel = node.channel();
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void aStoppingNodeTurnsNotServingEndsSubscriptionsAndAnswersCallsInFlightWithinItsGrace()
      throws Exception {
    BlockingQueue<ServingStatus> health = new LinkedBlockingQueue<>();
    Context.CancellableContext watching = Context.current().withCancellation();
    watching.run(
        () ->
            HealthGrpc.newStub(channel)
                .watch(
                    HealthCheckRequest.getDefaultInstance(),
                    observer(response -> health.add(response.getStatus()), ignored -> {})));
    assertThat(next(health)).isEqualTo(ServingStatus.SERVING);

    String topic = "shutdown-tail";
    await(node.topics().create(CreateTopicRequest.newBuilder().setName(topic).build()));
    BlockingQueue<Entry> received = new LinkedBlockingQueue<>();
    CompletableFuture<Status> subscriptionEnd = new CompletableFuture<>();
    TopicServiceGrpc.newStub(channel)
        .subscribe(
            SubscribeRequest.newBuilder().setTopic(topic).setFromIndex(1).build(),
            observer(received::add, subscriptionEnd::complete));
    await(
        node.topics()
            .publish(
                PublishRequest.newBuilder()
                    .setTopic(topic)
                    .setPayload(ByteString.copyFromUtf8("live"))
                    .build()));
    assertThat(next(received).getIndex()).as("the subscription is live").isEqualTo(1);

    ListenableFuture<InvokeResponse> quick = stall("shutdown-quick", GRACE.dividedBy(4));
    ListenableFuture<InvokeResponse> slow = stall("shutdown-slow", GRACE.multipliedBy(3));
    // calls of one channel travel in order on one connection: once a later call is answered, the
    // gateway has started both invocations
    ClusterServiceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance());

    CompletableFuture<?> stopped = node.stopNode().toCompletableFuture();

    assertThat(next(health)).isEqualTo(ServingStatus.NOT_SERVING);
    watching.cancel(null);
    Status end = subscriptionEnd.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(end.getCode())
        .as("end of the subscription: %s", end)
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(end.getDescription()).contains("shutting down", "subscribe again");
    assertThat(
            quick.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getPayload().toStringUtf8())
        .contains("shutdown-quick");
    Status late = failureOf(slow);
    assertThat(late.getCode())
        .as("end of the slow call: %s", late)
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(late.getDescription()).contains("shut down", "retry through another node");
    stopped.get(60, TimeUnit.SECONDS);
  }

  private ListenableFuture<InvokeResponse> stall(String id, Duration duration) {
    return GatewayNode.stall(channel, id, duration);
  }

  /** The status a call fails with. */
  private static Status failureOf(ListenableFuture<?> call) throws Exception {
    try {
      Object value = call.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected the call to fail, but it returned " + value);
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause());
    }
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T next = queue.poll(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(next).as("an element within %s", CALL_TIMEOUT).isNotNull();
    return next;
  }

  /** An observer of a streaming call: each element, then the status the call ended with. */
  private static <T> StreamObserver<T> observer(Consumer<T> onElement, Consumer<Status> onEnd) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        onElement.accept(value);
      }

      @Override
      public void onError(Throwable failure) {
        onEnd.accept(Status.fromThrowable(failure));
      }

      @Override
      public void onCompleted() {
        onEnd.accept(Status.OK);
      }
    };
  }
}
