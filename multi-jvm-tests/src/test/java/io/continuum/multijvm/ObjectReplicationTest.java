package io.continuum.multijvm;

import static io.continuum.multijvm.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.continuum.gateway.v1.GetObjectRequest;
import io.continuum.gateway.v1.ObjectServiceClient;
import io.continuum.gateway.v1.UpdateObjectRequest;
import io.continuum.gateway.v1.UpdateObjectResponse;
import io.continuum.node.local.LocalCluster;
import io.continuum.node.local.NodeProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replicated objects across three node processes, one per zone (edge-a, edge-b, cloud), checked on
 * each node's own replica through {@code /continuum/objects/{id}/local}. The tests share one
 * cluster and use objects of their own; the full restart runs last only because it is the slowest.
 * The Split Brain Resolver waits 30 s here so that a frozen node is cut off, not downed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObjectReplicationTest {

  private static final Duration CONVERGE = Duration.ofSeconds(60);

  private TestCluster cluster;

  @RegisterExtension ClusterLogsOnFailure logs = new ClusterLogsOnFailure(() -> cluster);

  @BeforeAll
  void start() {
    cluster =
        TestCluster.start(
            Path.of("target", "clusters", "objects-" + System.currentTimeMillis()),
            LocalCluster.DEV_TOPOLOGY,
            List.of("edge-a", "edge-b", "cloud"),
            Map.of("JAVA_TOOL_OPTIONS", "-Dpekko.cluster.split-brain-resolver.stable-after=30s"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  @Timeout(180)
  void anObjectLivesOnTheNodesOfItsZonesOnly() {
    UpdateObjectResponse updated =
        await(
            objects("edge-b")
                .update(
                    update("farm-stats", "readings", "increment", "5")
                        .setType("pncounter")
                        .addZones("edge-a")
                        .addZones("cloud")
                        .build()));
    assertThat(updated.getServedByZone()).isIn("edge-a", "cloud");

    cluster.await(
        "farm-stats on edge-a and cloud",
        CONVERGE,
        () ->
            reading("edge-a", "farm-stats", "readings") == 5
                && reading("cloud", "farm-stats", "readings") == 5);
    assertThat(local("edge-b", "farm-stats").get("present").asBoolean()).isFalse();
    assertThat(
            await(
                    objects("edge-b")
                        .get(GetObjectRequest.newBuilder().setObject("farm-stats").build()))
                .getFields(0)
                .getJson())
        .isEqualTo("5");
    assertThat(local("edge-b", "farm-stats").get("present").asBoolean()).isFalse();
  }

  @Test
  @Order(2)
  @Timeout(240)
  void localUpdatesStayAvailableWhileAZoneIsCutOffAndConvergeWhenItReturns() {
    await(
        objects("cloud")
            .update(update("plant", "visits", "increment").setType("pncounter").build()));
    cluster.await(
        "plant everywhere",
        CONVERGE,
        () ->
            List.of("edge-a", "edge-b", "cloud").stream()
                .allMatch(n -> reading(n, "plant", "visits") == 1));

    NodeProcess cloud = cluster.node("cloud");
    cloud.freeze();
    long frozen = System.nanoTime();
    long thawed;
    try {
      await(objects("edge-a").update(update("plant", "visits", "increment", "10").build()));
      await(objects("edge-b").update(update("plant", "visits", "increment", "100").build()));
      Status majority =
          statusOf(
              objects("edge-a")
                  .update(
                      update("plant", "visits", "increment", "1000")
                          .setConsistency("majority")
                          .build()));
      assertThat(majority.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(majority.getDescription()).contains("applied locally", "cloud");
      assertThat(reading("edge-a", "plant", "visits")).isGreaterThanOrEqualTo(1011);
    } finally {
      cloud.thaw();
      thawed = System.nanoTime();
    }

    cluster.await(
        "plant converged on every node",
        CONVERGE,
        () ->
            List.of("edge-a", "edge-b", "cloud").stream()
                .allMatch(n -> reading(n, "plant", "visits") == 1111));
    cluster.figure(
        "objects-across-a-freeze: cloud frozen %.1f s while edge-a and edge-b updated locally"
            + " (majority refused with UNAVAILABLE); all three replicas converged to 1111 %.1f s"
            + " after the thaw",
        (thawed - frozen) / 1e9, (System.nanoTime() - thawed) / 1e9);
  }

  @Test
  @Order(3)
  @Timeout(400)
  void objectsSurviveStoppingEveryNode() {
    UpdateObjectResponse written =
        await(
            objects("edge-a")
                .update(
                    update("durable", "sensors", "add", "s1")
                        .setType("orset")
                        .addZones("edge-a")
                        .addZones("edge-b")
                        .build()));
    cluster.await(
        "durable on edge-b", CONVERGE, () -> local("edge-b", "durable").get("present").asBoolean());

    cluster.restartAll();

    for (String node : List.of("edge-a", "edge-b")) {
      JsonNode view = local(node, "durable");
      assertThat(view.get("present").asBoolean()).as("durable on %s", node).isTrue();
      assertThat(view.get("fields").get("sensors").get(0).asText()).isEqualTo("s1");
    }
    assertThat(local("cloud", "durable").get("present").asBoolean()).isFalse();
    assertThat(
            await(
                    objects("cloud")
                        .get(
                            GetObjectRequest.newBuilder()
                                .setObject("durable")
                                .setField("sensors")
                                .build()))
                .getFields(0)
                .getJson())
        .isEqualTo("[\"s1\"]");
    assertThat(written.getVersion()).isNotBlank();
  }

  /**
   * MISO's AllReduce through the gateway (1,000 chunks of 1,000 integers, each chunk's sum added to
   * one counter by a concurrent call, then the total read back), single-update latency with local
   * and majority consistency, and the time until a write made in edge-a is seen by cloud's node.
   */
  @Test
  @Order(4)
  @Timeout(240)
  void allReduceIsExactAndItsLatenciesAreMeasured() {
    ObjectServiceClient edge = objects("edge-a");
    long started = System.nanoTime();
    List<java.util.concurrent.CompletableFuture<UpdateObjectResponse>> chunks =
        new java.util.ArrayList<>();
    long expected = 0;
    for (int chunk = 0; chunk < 1_000; chunk++) {
      long sum = 0;
      for (int i = 1; i <= 1_000; i++) {
        sum += (long) chunk * 1_000 + i;
      }
      expected += sum;
      chunks.add(
          edge.update(
                  update("allreduce-run", "sum", "increment", Long.toString(sum))
                      .setType("pncounter")
                      .addZones("edge-a")
                      .addZones("cloud")
                      .build())
              .toCompletableFuture());
    }
    chunks.forEach(java.util.concurrent.CompletableFuture::join);
    double writeMs = (System.nanoTime() - started) / 1e6;
    long readStarted = System.nanoTime();
    String total =
        await(
                edge.get(
                    GetObjectRequest.newBuilder()
                        .setObject("allreduce-run")
                        .setField("sum")
                        .build()))
            .getFields(0)
            .getJson();
    double readMs = (System.nanoTime() - readStarted) / 1e6;
    assertThat(total).isEqualTo(Long.toString(expected)).isEqualTo("500000500000");

    double[] local = latencies(edge, "local", 200);
    double[] majority = latencies(edge, "majority", 200);

    double[] delays = new double[20];
    for (int i = 0; i < delays.length; i++) {
      long before = reading("cloud", "latency", "n");
      long written = System.nanoTime();
      await(edge.update(update("latency", "n", "increment").build()));
      long deadline = written + CONVERGE.toNanos();
      while (reading("cloud", "latency", "n") <= before) {
        assertThat(System.nanoTime()).as("cloud sees the write in time").isLessThan(deadline);
        Thread.onSpinWait();
      }
      delays[i] = (System.nanoTime() - written) / 1e6;
    }
    java.util.Arrays.sort(delays);
    cluster.figure(
        "objects: AllReduce of 1,000 chunks (1,000,000 integers) through one gateway: write %.0f ms,"
            + " read %.1f ms, total %.0f ms; single update p50/p99 local %.1f/%.1f ms, majority"
            + " %.1f/%.1f ms; replication edge-a→cloud p50 %.0f ms, max %.0f ms (polled over"
            + " management HTTP)",
        writeMs,
        readMs,
        writeMs + readMs,
        local[0],
        local[1],
        majority[0],
        majority[1],
        delays[delays.length / 2],
        delays[delays.length - 1]);
  }

  /** p50 and p99 in milliseconds of {@code count} sequential updates with {@code consistency}. */
  private double[] latencies(ObjectServiceClient client, String consistency, int count) {
    double[] millis = new double[count];
    for (int i = 0; i < count; i++) {
      long started = System.nanoTime();
      await(
          client.update(
              update("latency", "n", "increment")
                  .setType("pncounter")
                  .addZones("edge-a")
                  .addZones("cloud")
                  .setConsistency(consistency)
                  .build()));
      millis[i] = (System.nanoTime() - started) / 1e6;
    }
    java.util.Arrays.sort(millis);
    return new double[] {millis[count / 2], millis[count * 99 / 100]};
  }

  private ObjectServiceClient objects(String node) {
    return cluster.objects(cluster.node(node));
  }

  private JsonNode local(String node, String object) {
    JsonNode view =
        cluster.management(cluster.node(node), "/continuum/objects/" + object + "/local");
    assertThat(view).as("local view of %s on %s", object, node).isNotNull();
    return view;
  }

  private long reading(String node, String object, String field) {
    JsonNode view =
        cluster.management(cluster.node(node), "/continuum/objects/" + object + "/local");
    if (view == null || !view.get("present").asBoolean() || !view.get("fields").has(field)) {
      return -1;
    }
    return view.get("fields").get(field).asLong();
  }

  private static UpdateObjectRequest.Builder update(
      String object, String field, String op, String... args) {
    return UpdateObjectRequest.newBuilder()
        .setObject(object)
        .setField(field)
        .setOp(op)
        .addAllArgs(List.of(args));
  }

  private static Status statusOf(java.util.concurrent.CompletionStage<?> call) {
    try {
      call.toCompletableFuture().get(60, TimeUnit.SECONDS);
      throw new AssertionError("expected the call to fail");
    } catch (ExecutionException e) {
      return ((StatusRuntimeException) e.getCause()).getStatus();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
