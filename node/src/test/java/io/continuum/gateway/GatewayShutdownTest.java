package io.continuum.gateway;

import static io.continuum.gateway.GatewayNode.CALL_TIMEOUT;
import static io.continuum.gateway.GatewayNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.ClusterServiceGrpc;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.FunctionServiceGrpc;
import io.continuum.gateway.v1.InvokeRequest;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
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
 * subscriptions end with {@code UNAVAILABLE} at once, and calls in flight still get their answers.
 * The test stops its node, so it has a node of its own.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GatewayShutdownTest {

  @RegisterExtension static final GatewayNode node = new GatewayNode();

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
  void aStoppingNodeTurnsNotServingEndsSubscriptionsAndAnswersCallsInFlight() throws Exception {
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

    ListenableFuture<InvokeResponse> inFlight =
        FunctionServiceGrpc.newFutureStub(channel)
            .invoke(
                InvokeRequest.newBuilder()
                    .setType(NotebookApp.TYPE)
                    .setId("shutdown-in-flight")
                    .setPayload(ByteString.copyFromUtf8("{\"millis\":1500,\"text\":\"in flight\"}"))
                    .build());
    // calls of one channel travel in order on one connection: once a later call is answered, the
    // gateway has started the invocation
    ClusterServiceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance());

    CompletableFuture<?> stopped = node.stopNode().toCompletableFuture();

    assertThat(next(health)).isEqualTo(ServingStatus.NOT_SERVING);
    watching.cancel(null);
    Status end = subscriptionEnd.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(end.getCode())
        .as("end of the subscription: %s", end)
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(end.getDescription()).contains("shutting down", "subscribe again");
    InvokeResponse answer = inFlight.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(answer.getPayload().toStringUtf8()).contains("in flight");
    stopped.get(60, TimeUnit.SECONDS);
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
