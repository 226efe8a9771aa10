package io.continuum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.continuum.testkit.CassandraServer;
import io.continuum.testkit.LoopbackPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The environment the chart renders starts real nodes. One pod of each zone of the README's
 * three-zone values runs as a node process with exactly the environment Kubernetes would give it
 * (pod IP 127.0.0.1, the Cassandra credentials read from the rendered Secret), against a real
 * Cassandra, and discovers the others through a stub of the Kubernetes pods API that applies the
 * label selector to the rendered pod labels. They form one cluster, and each reports its zone.
 */
class RenderedPodsFormOneClusterTest {

  private static final List<String> ZONES = List.of("edge-a", "edge-b", "cloud");
  private static final Duration READY = Duration.ofMinutes(4);

  private final List<PodProcess> nodes = new ArrayList<>();
  private KubernetesApiStub kubernetes;
  private CassandraServer cassandra;

  @AfterEach
  void stop() {
    nodes.parallelStream().forEach(PodProcess::close);
    if (kubernetes != null) {
      kubernetes.close();
    }
    if (cassandra != null) {
      cassandra.close();
    }
  }

  @Test
  @Timeout(600)
  void onePodOfEachZoneJoinsOneClusterThroughTheKubernetesApiAndReportsItsZone() throws Exception {
    Path dir =
        Path.of("target", "rendered-pods", String.valueOf(System.currentTimeMillis()))
            .toAbsolutePath();
    cassandra = CassandraServer.start(dir.resolve("cassandra"));
    List<RenderedPod> pods = new ArrayList<>();
    for (String zone : ZONES) {
      // Every pod has its own IP in Kubernetes; here they share 127.0.0.1, so each gets its ports.
      int[] ports = LoopbackPorts.pick(3);
      Manifests manifests =
          Chart.render(
              Chart.THREE_ZONES,
              Map.of(
                  "ports.grpc",
                  ports[0],
                  "ports.management",
                  ports[1],
                  "ports.remoting",
                  ports[2],
                  "cassandra.contactPoints",
                  cassandra.contactPoint(),
                  "cassandra.datacenter",
                  cassandra.localDatacenter(),
                  "cassandra.replicationFactor",
                  1,
                  "cassandra.existingSecret",
                  "",
                  "cassandra.username",
                  "continuum",
                  "cassandra.password",
                  "s3cret",
                  // The values ask for four pods; this test runs one per zone.
                  "cluster.requiredContacts",
                  ZONES.size()));
      pods.add(RenderedPod.of(manifests, Chart.BASE + "-" + zone, "127.0.0.1", dir.resolve(zone)));
    }
    kubernetes =
        KubernetesApiStub.start(
            dir.resolve("kubernetes"),
            Chart.NAMESPACE,
            pods.stream().map(RenderedPod::apiObject).toList());

    for (RenderedPod pod : pods) {
      nodes.add(
          PodProcess.start(
              pod,
              Map.of(
                  "KUBERNETES_SERVICE_HOST",
                  "127.0.0.1",
                  "KUBERNETES_SERVICE_PORT",
                  String.valueOf(kubernetes.port())),
              List.of(
                  // Where a pod finds its service account's CA certificate and token.
                  "-Dpekko.discovery.kubernetes-api.api-ca-path=" + kubernetes.caCertificate(),
                  "-Dpekko.discovery.kubernetes-api.api-token-path=" + kubernetes.tokenFile(),
                  "-Xms64m",
                  "-Xmx384m",
                  "-XX:TieredStopAtLevel=1"),
              dir.resolve(pod.zone() + ".log")));
    }
    awaitReady();

    for (PodProcess node : nodes) {
      JsonNode zones = node.management("/continuum/zones");
      assertThat(zones.get("self").asText()).isEqualTo(node.pod().zone());
      for (JsonNode zone : zones.get("zones")) {
        assertThat(zone.get("nodes"))
            .as("nodes of zone %s as %s sees them", zone.get("name"), node.pod().zone())
            .hasSize(1);
        assertThat(zone.get("nodes").get(0).get("status").asText()).isEqualTo("Up");
      }
    }
    assertThat(kubernetes.selectorsAsked())
        .isNotEmpty()
        .containsOnly("continuum.io/cluster=" + Chart.BASE);
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (!nodes.stream().allMatch(PodProcess::isReady)) {
      for (PodProcess node : nodes) {
        if (!node.isAlive()) {
          throw new AssertionError(
              "node of " + node.pod().zone() + " exited while starting:\n" + node.logTail(60));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "not every node ready after "
                + READY.toSeconds()
                + " s:\n"
                + nodes.stream()
                    .map(n -> "==== " + n.pod().zone() + "\n" + n.logTail(40))
                    .collect(Collectors.joining("\n")));
      }
      Thread.sleep(500);
    }
  }
}
