package io.continuum.gateway;

import static io.continuum.gateway.GatewayNode.CALL_TIMEOUT;
import static io.continuum.gateway.GatewayNode.stall;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.continuum.gateway.v1.ClusterServiceGrpc;
import io.continuum.gateway.v1.ClusterStatus;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.StatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A gateway serving its limit of calls refuses the next one at once, with {@code UNAVAILABLE} that
 * says the call was not started, instead of queueing more work than its node can serve; it serves
 * again as soon as calls finish. The test's node allows two calls at once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GatewayOverloadTest {

  @RegisterExtension
  static final GatewayNode node =
      new GatewayNode(Map.of("continuum.gateway.max-calls-in-flight", 2));

  @Test
  void aGatewayAtItsLimitRefusesTheNextCallAtOnceAndServesAgainWhenCallsFinish() throws Exception {
    ManagedChannel channel = node.channel();
    try {
      // connected first: calls a channel starts before it connects may reach the gateway in any
      // order, once connected they travel in order on one connection
      ClusterServiceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance());
      ListenableFuture<InvokeResponse> first = stall(channel, "overload-1", Duration.ofSeconds(2));
      ListenableFuture<InvokeResponse> second = stall(channel, "overload-2", Duration.ofSeconds(2));
      // so this one arrives after both invocations started
      ListenableFuture<ClusterStatus> third =
          ClusterServiceGrpc.newFutureStub(channel).status(StatusRequest.getDefaultInstance());
      Status refused;
      try {
        third.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        throw new AssertionError("expected the third call to be refused");
      } catch (ExecutionException e) {
        refused = Status.fromThrowable(e.getCause());
      }
      assertThat(first.isDone()).as("refused while the first call runs").isFalse();
      assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(refused.getDescription())
          .contains("limit of 2 calls", "max-calls-in-flight", "not started", "retry");

      assertThat(
              first.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getPayload().toStringUtf8())
          .contains("overload-1");
      assertThat(
              second
                  .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                  .getPayload()
                  .toStringUtf8())
          .contains("overload-2");
      assertThat(
              ClusterServiceGrpc.newBlockingStub(channel)
                  .status(StatusRequest.getDefaultInstance())
                  .getZonesCount())
          .isPositive();
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
