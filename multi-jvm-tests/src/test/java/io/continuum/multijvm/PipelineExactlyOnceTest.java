package io.continuum.multijvm;

import static io.continuum.multijvm.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.FunctionServiceClient;
import io.continuum.gateway.v1.GetStateRequest;
import io.continuum.gateway.v1.LatestRequest;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.TopicServiceClient;
import io.continuum.node.local.LocalCluster;
import io.continuum.node.local.NodeProcess;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The temperature pipeline of the examples under faults: 10,000 readings are published while the
 * cloud node is stopped and restarted and the edge node is killed with SIGKILL and restarted.
 * Afterwards every reading is reflected exactly once in the smoothing state (counts and sums) and
 * in each downstream topic (one entry per reading, no duplicates).
 */
class PipelineExactlyOnceTest extends ClusterTest {

  private static final int READINGS = 10_000;
  private static final int SENSORS = 20;

  /** Each feeder owns two sensors, so every producer publishes its sequence numbers in order. */
  private static final int FEEDERS = 10;

  private static final long BASE_TIME = 1_700_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @Timeout(900)
  void everyReadingIsReflectedExactlyOnceDespiteRestartsAndAKill() throws Exception {
    cluster =
        TestCluster.start(
            Path.of("target", "clusters", "pipeline-" + System.currentTimeMillis()),
            LocalCluster.DEV_TOPOLOGY,
            List.of("edge-a", "edge-b", "cloud"),
            Map.of());
    NodeProcess edge = cluster.node("edge-a");
    NodeProcess cloud = cluster.node("cloud");
    AtomicInteger published = new AtomicInteger();
    AtomicLong retries = new AtomicLong();

    ExecutorService feeders = Executors.newFixedThreadPool(FEEDERS);
    List<CompletableFuture<Void>> feeding = new ArrayList<>();
    for (int feeder = 0; feeder < FEEDERS; feeder++) {
      int owner = feeder;
      feeding.add(
          CompletableFuture.runAsync(
              () -> {
                for (int i = 1; i <= READINGS; i++) {
                  if ((i - 1) % SENSORS % FEEDERS == owner) {
                    publishUntilAcknowledged(i, retries);
                    published.incrementAndGet();
                  }
                }
              },
              feeders));
    }
    // Fails as soon as any feeder fails, so that a refusal ends the test with its cause at once.
    CompletableFuture<Void> publishing = new CompletableFuture<>();
    feeding.forEach(
        f ->
            f.whenComplete(
                (done, failure) -> {
                  if (failure != null) {
                    publishing.completeExceptionally(failure);
                  }
                }));
    CompletableFuture.allOf(feeding.toArray(CompletableFuture[]::new))
        .thenRun(() -> publishing.complete(null));

    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
    progress.scheduleAtFixedRate(
        () ->
            cluster.note(String.format("%d published, %d retries", published.get(), retries.get())),
        5,
        5,
        TimeUnit.SECONDS);
    cluster.await(
        "a quarter published",
        Duration.ofMinutes(3),
        () -> fedUpTo(publishing, published, READINGS / 4));
    long stoppedAt = System.nanoTime();
    cloud.stop(Duration.ofSeconds(30));
    cloud.start();
    cluster.await(
        "half published",
        Duration.ofMinutes(3),
        () -> fedUpTo(publishing, published, READINGS / 2));
    edge.kill();
    long killedAt = System.nanoTime();
    cluster.await(
        "publishing to resume after the kill",
        Duration.ofMinutes(3),
        () -> fedUpTo(publishing, published, READINGS / 2 + 200));
    double resumeSeconds = (System.nanoTime() - killedAt) / 1e9;
    edge.start();
    publishing.get(10, TimeUnit.MINUTES);
    progress.shutdownNow();
    feeders.shutdownNow();
    cluster.awaitReady();

    NodeProcess reader = cluster.node("edge-b");
    TopicServiceClient topics = cluster.topics(reader);
    cluster.await(
        "every reading to reach the prediction topic",
        Duration.ofMinutes(8),
        () -> latest(topics, "prediction") >= READINGS && latest(topics, "cpu-smooth") >= READINGS);

    Map<String, Integer> perSensor = new HashMap<>();
    Map<String, Double> sums = new HashMap<>();
    for (int i = 1; i <= READINGS; i++) {
      String sensor = sensor(i);
      perSensor.merge(sensor, 1, Integer::sum);
      sums.merge(sensor, celsius(i), Double::sum);
    }
    assertExactlyOncePerSensor(cluster.readAll(reader, "cpu-smooth"), perSensor);
    assertExactlyOncePerSensor(cluster.readAll(reader, "prediction"), perSensor);
    assertThat(latest(topics, "cpu-raw")).isEqualTo(READINGS);

    FunctionServiceClient functions = cluster.functions(reader);
    for (Map.Entry<String, Integer> sensor : perSensor.entrySet()) {
      JsonNode state =
          JSON.readTree(
              await(
                      functions.getState(
                          GetStateRequest.newBuilder()
                              .setType("smooth")
                              .setId(sensor.getKey())
                              .build()))
                  .getState()
                  .toStringUtf8());
      assertThat(state.get("count").asLong())
          .as(sensor.getKey())
          .isEqualTo(sensor.getValue().longValue());
      assertThat(state.get("sum").asDouble())
          .as(sensor.getKey())
          .isCloseTo(sums.get(sensor.getKey()), org.assertj.core.data.Offset.offset(1e-6));
    }
    cluster.note(
        String.format(
            "pipeline exactly-once: %d readings, %d publish retries, publishing resumed %.1f s"
                + " after the kill",
            READINGS, retries.get(), resumeSeconds));
    System.out.printf(
        "pipeline exactly-once: %d readings, %d publish retries, publishing resumed %.1f s after"
            + " the kill (cloud stop at %.1f s)%n",
        READINGS, retries.get(), resumeSeconds, (killedAt - stoppedAt) / 1e9);
  }

  /**
   * Publishes reading {@code i} through the nodes in turn until one acknowledges it. Only {@code
   * UNAVAILABLE} and client-side timeouts are retried; any other refusal fails the feeder at once.
   */
  private void publishUntilAcknowledged(int i, AtomicLong retries) {
    PublishRequest request =
        PublishRequest.newBuilder()
            .setTopic("cpu-raw")
            .setPayload(ByteString.copyFromUtf8(reading(i)))
            .setProducerId("feeder-" + sensor(i))
            .setProducerSeq((i - 1) / SENSORS + 1)
            .build();
    for (int attempt = 0; ; attempt++) {
      NodeProcess gateway = cluster.nodes().get((i + attempt) % cluster.nodes().size());
      try {
        cluster.topics(gateway).publish(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        Status.Code code = Status.fromThrowable(e).getCode();
        if (code != Status.Code.UNAVAILABLE
            && code != Status.Code.DEADLINE_EXCEEDED
            && !(e instanceof TimeoutException)) {
          throw new IllegalStateException("reading " + i + " was refused: " + e, e);
        }
        if (retries.incrementAndGet() % 20 == 1) {
          cluster.note(
              "publish of reading " + i + " via " + gateway.spec().name() + " failed: " + e);
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(interrupted);
        }
      }
    }
  }

  /** True once more than {@code count} were published; fails at once if the feeder failed. */
  private static boolean fedUpTo(
      CompletableFuture<Void> publishing, AtomicInteger published, int count) {
    if (publishing.isCompletedExceptionally()) {
      publishing.join();
    }
    return published.get() > count;
  }

  private static String sensor(int i) {
    return "pi-" + ((i - 1) % SENSORS + 1);
  }

  private static double celsius(int i) {
    return 40 + (i % 97) / 10.0;
  }

  private static String reading(int i) {
    long timestamp = BASE_TIME + (long) ((i - 1) / SENSORS) * 60_000L;
    return "{\"sensorId\":\""
        + sensor(i)
        + "\",\"celsius\":"
        + celsius(i)
        + ",\"timestamp\":"
        + timestamp
        + "}";
  }

  private static void assertExactlyOncePerSensor(List<Entry> entries, Map<String, Integer> expected)
      throws IOException {
    Map<String, List<Long>> seen = new HashMap<>();
    for (Entry entry : entries) {
      JsonNode value = JSON.readTree(entry.getPayload().toStringUtf8());
      seen.computeIfAbsent(value.get("sensorId").asText(), s -> new ArrayList<>())
          .add(value.get("readingNo").asLong());
    }
    assertThat(entries).hasSize(expected.values().stream().mapToInt(Integer::intValue).sum());
    for (Map.Entry<String, Integer> sensor : expected.entrySet()) {
      assertThat(seen.get(sensor.getKey()))
          .as("reading numbers of %s", sensor.getKey())
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(1, sensor.getValue()).boxed().toList());
    }
  }

  private static long latest(TopicServiceClient topics, String topic) {
    try {
      return topics
          .latest(LatestRequest.newBuilder().setTopic(topic).build())
          .toCompletableFuture()
          .get(20, TimeUnit.SECONDS)
          .getIndex();
    } catch (Exception e) {
      return -1;
    }
  }
}
