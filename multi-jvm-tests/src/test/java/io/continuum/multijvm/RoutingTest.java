package io.continuum.multijvm;

import static io.continuum.multijvm.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.continuum.gateway.v1.GetObjectRequest;
import io.continuum.gateway.v1.GetObjectResponse;
import io.continuum.gateway.v1.ObjectServiceClient;
import io.continuum.gateway.v1.SetPlacementRequest;
import io.continuum.gateway.v1.UpdateObjectRequest;
import io.continuum.gateway.v1.UpdateObjectResponse;
import io.continuum.node.local.NodeProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routing of calls that several nodes may serve, on 4 node processes: a gateway in {@code edge-a}
 * reads and writes objects that live in other zones only, and every response says which zone and
 * node served it. Each test has objects of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingTest {

  private static final List<String> POLICIES =
      List.of("round_robin", "least_conn", "random", "nearest");

  private TestCluster cluster;
  private NodeProcess gateway;
  private ObjectServiceClient objects;

  @RegisterExtension ClusterLogsOnFailure logs = new ClusterLogsOnFailure(() -> cluster);

  @BeforeAll
  void start() {
    cluster =
        TestCluster.start(
            Path.of("target", "clusters", "routing-" + System.currentTimeMillis()),
            "edge-a:edge>cloud,edge-b:edge>cloud,cloud:cloud",
            List.of("edge-a", "edge-b", "cloud", "cloud"),
            // edge-b is nearer to edge-a than cloud, though edge-a falls back on cloud.
            Map.of("CONTINUUM_LATENCIES", "edge-a/edge-b = 4ms, edge-a/cloud = 30ms"));
    gateway = cluster.node("edge-a");
    objects = cluster.objects(gateway);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Timeout(180)
  void callsForDataInOneZoneExecuteThereUnderEveryPolicyAndRoundRobinSpreadsEvenly() {
    create("cloud-only", "cloud");
    for (String routing : POLICIES) {
      route("cloud-only", routing);
      long decisionsBefore = decisions(routing);

      Map<String, Integer> byZone = new TreeMap<>();
      Map<String, Integer> byNode = new TreeMap<>();
      for (int i = 0; i < 40; i++) {
        GetObjectResponse read = await(objects.get(get("cloud-only")));
        byZone.merge(read.getServedByZone(), 1, Integer::sum);
        byNode.merge(read.getServedByNode(), 1, Integer::sum);
      }
      for (int i = 0; i < 10; i++) {
        UpdateObjectResponse written = await(objects.update(increment("cloud-only")));
        byZone.merge(written.getServedByZone(), 1, Integer::sum);
      }

      cluster.note("routing " + routing + ": by zone " + byZone + ", reads by node " + byNode);
      assertThat(byZone).as("zones serving under %s", routing).containsOnlyKeys("cloud");
      assertThat(decisions(routing) - decisionsBefore)
          .as("decisions of %s on edge-a's /continuum/routing", routing)
          .isGreaterThanOrEqualTo(50);
      if (routing.equals("round_robin")) {
        assertThat(byNode).as("round_robin over both cloud nodes").hasSize(2);
        assertThat(byNode.values()).allSatisfy(reads -> assertThat(reads).isBetween(18, 22));
      }
    }
  }

  @Test
  @Timeout(120)
  void anObjectCreatedOnOneNodeOfAZoneIsFoundAtOnceThroughTheOther() {
    NodeProcess writer = cluster.node("cloud-2");
    NodeProcess reader = cluster.node("cloud-3");
    // Both replicas were asked for it before it existed: that must not make them forget to ask
    // the zone once it does.
    for (NodeProcess node : List.of(writer, reader)) {
      assertThatThrownBy(() -> await(cluster.objects(node).get(get("fresh"))))
          .hasMessageContaining("NOT_FOUND");
    }

    UpdateObjectResponse created =
        await(
            cluster
                .objects(writer)
                .update(
                    increment("fresh").toBuilder().setType("pncounter").addZones("cloud").build()));
    GetObjectResponse read = await(cluster.objects(reader).get(get("fresh")));

    assertThat(created.getServedByNode()).endsWith(":" + writer.spec().remotePort());
    assertThat(read.getServedByNode()).endsWith(":" + reader.spec().remotePort());
    assertThat(read.getFields(0).getJson()).isEqualTo("1");
  }

  @Test
  @Timeout(120)
  void nearestFollowsTheLatencyTableAndARuntimeOverrideWins() {
    create("two-zones", "edge-b", "cloud");

    route("two-zones", "nearest");
    assertThat(servingZones("two-zones", 20)).containsOnlyKeys("edge-b");

    route("two-zones", "round_robin");
    assertThat(servingZones("two-zones", 20))
        .as("the override, not the earlier policy, decides")
        .containsOnlyKeys("edge-b", "cloud");
  }

  @Test
  @Timeout(180)
  void leastConnSendsFewerCallsToASlowedNodeThanRoundRobin() throws Exception {
    create("busy", "cloud");
    NodeProcess slowed = cluster.node("cloud-3");
    AtomicBoolean slowing = new AtomicBoolean(true);
    // Stopped for 150 ms of every 300 ms: slow, but far from the failure detector's 1 s.
    Thread slower =
        new Thread(
            () -> {
              while (slowing.get()) {
                slowed.freeze();
                TestCluster.pause(150);
                slowed.thaw();
                TestCluster.pause(150);
              }
            },
            "slower");
    slower.start();
    Map<String, Double> share = new TreeMap<>();
    try {
      for (String routing : List.of("round_robin", "least_conn")) {
        route("busy", routing);
        share.put(routing, shareOf(slowed, concurrentReads("busy", 16, 25)));
      }
    } finally {
      slowing.set(false);
      slower.join();
      slowed.thaw();
    }

    cluster.figure(
        "routing: share of reads served by a node stopped half of the time: round_robin %.2f,"
            + " least_conn %.2f",
        share.get("round_robin"), share.get("least_conn"));
    assertThat(share.get("round_robin")).isBetween(0.4, 0.6);
    assertThat(share.get("least_conn")).isLessThan(share.get("round_robin") - 0.1);
  }

  /** Creates a counter object living in {@code zones} and waits until its zones hold it. */
  private void create(String object, String... zones) {
    UpdateObjectRequest.Builder first = increment(object).toBuilder().setType("pncounter");
    for (String zone : zones) {
      first.addZones(zone);
    }
    await(objects.update(first.build()));
  }

  private void route(String object, String routing) {
    await(
        cluster
            .placement(gateway)
            .set(
                SetPlacementRequest.newBuilder()
                    .setKind("object")
                    .setName(object)
                    .setRouting(routing)
                    .build()));
  }

  private long decisions(String routing) {
    JsonNode routingDecisions = cluster.management(gateway, "/continuum/routing");
    return routingDecisions.at("/objects/" + routing).asLong();
  }

  private Map<String, Integer> servingZones(String object, int reads) {
    Map<String, Integer> byZone = new TreeMap<>();
    for (int i = 0; i < reads; i++) {
      byZone.merge(await(objects.get(get(object))).getServedByZone(), 1, Integer::sum);
    }
    return byZone;
  }

  /** {@code callers} closed-loop callers reading {@code each} times; the serving node of each. */
  private List<String> concurrentReads(String object, int callers, int each) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(callers);
    List<CompletableFuture<List<String>>> loops = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      loops.add(
          CompletableFuture.supplyAsync(
              () -> {
                List<String> served = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                  served.add(await(objects.get(get(object))).getServedByNode());
                }
                return served;
              },
              threads));
    }
    try {
      List<String> all = new ArrayList<>();
      for (CompletableFuture<List<String>> loop : loops) {
        all.addAll(loop.get());
      }
      return all;
    } finally {
      threads.shutdownNow();
    }
  }

  private static double shareOf(NodeProcess node, List<String> servedBy) {
    Map<String, Long> counts =
        servedBy.stream().collect(Collectors.groupingBy(n -> n, Collectors.counting()));
    long ofNode =
        counts.entrySet().stream()
            .filter(e -> e.getKey().endsWith(":" + node.spec().remotePort()))
            .mapToLong(Map.Entry::getValue)
            .sum();
    return (double) ofNode / servedBy.size();
  }

  private static GetObjectRequest get(String object) {
    return GetObjectRequest.newBuilder().setObject(object).build();
  }

  private static UpdateObjectRequest increment(String object) {
    return UpdateObjectRequest.newBuilder()
        .setObject(object)
        .setField("calls")
        .setOp("increment")
        .build();
  }
}
