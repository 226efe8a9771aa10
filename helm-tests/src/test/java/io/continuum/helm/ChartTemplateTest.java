package io.continuum.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.continuum.zone.Zone;
import io.continuum.zone.ZoneTopology;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart as Helm lints and renders it: with the default values and with the README's three-zone
 * values, every zone gets a Deployment pinned to its zone with the right environment, and the
 * pieces that Cluster Bootstrap, the probes and the Services rely on fit together.
 */
class ChartTemplateTest {

  private static final List<String> THREE_ZONES = List.of("edge-a", "edge-b", "cloud");

  @Test
  void lintPassesInStrictMode() {
    LintResult result = Chart.lint();

    assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void defaultValuesRenderOneCloudZoneOfThreePods() {
    Manifests manifests = Chart.render();

    Doc deployment = manifests.get("Deployment", Chart.BASE + "-cloud");
    assertThat(deployment.at("spec.replicas").integer()).isEqualTo(3);
    assertPinnedToZone(deployment, "topology.kubernetes.io/zone", "cloud");
    Map<String, String> env = literalEnv(deployment);
    assertThat(env)
        .containsEntry("CONTINUUM_ZONE", "cloud")
        .containsEntry("CONTINUUM_TOPOLOGY", "cloud:cloud")
        .containsEntry("CONTINUUM_REQUIRED_CONTACTS", "3")
        .containsEntry("CONTINUUM_PERSISTENCE", "cassandra")
        .containsEntry("CONTINUUM_CASSANDRA_CONTACT_POINTS", "cassandra:9042")
        .doesNotContainKeys("CONTINUUM_CASSANDRA_USERNAME", "CONTINUUM_APPS_DIR");
    assertThat(manifests.ofKind("Secret")).isEmpty();
    assertBootstrapFits(manifests);
  }

  @Test
  void everyZoneHasADeploymentPinnedToItsZoneWithItsZoneTag() {
    Manifests manifests = Chart.render(Chart.THREE_ZONES, Map.of());

    assertThat(manifests.ofKind("Deployment")).hasSize(3);
    for (String zone : THREE_ZONES) {
      Doc deployment = manifests.get("Deployment", Chart.BASE + "-" + zone);
      assertPinnedToZone(deployment, "continuum.io/zone", zone);
      assertThat(literalEnv(deployment)).containsEntry("CONTINUUM_ZONE", zone);
      assertThat(deployment.at("spec.template.metadata.labels").asMap())
          .containsEntry("continuum.io/zone", zone);
    }
    assertThat(manifests.get("Deployment", Chart.BASE + "-cloud").at("spec.replicas").integer())
        .isEqualTo(2);
  }

  @Test
  void everyPodGetsTheWholeTopologyAndItsZoneIsInIt() {
    Manifests manifests = Chart.render(Chart.THREE_ZONES, Map.of());

    for (String zone : THREE_ZONES) {
      Map<String, String> env = literalEnv(manifests.get("Deployment", Chart.BASE + "-" + zone));
      assertThat(env)
          .containsEntry("CONTINUUM_TOPOLOGY", "edge-a:edge>cloud,edge-b:edge>cloud,cloud:cloud");
      ZoneTopology topology = ZoneTopology.parse(env.get("CONTINUUM_TOPOLOGY"));
      assertThat(topology.zones()).extracting(Zone::name).containsExactlyElementsOf(THREE_ZONES);
      assertThat(topology.require(zone).name()).isEqualTo(zone);
      assertThat(env).containsEntry("CONTINUUM_REQUIRED_CONTACTS", "4");
    }
  }

  @Test
  void aLatencyTableReachesEveryPodAndIsValidForTheTopology() {
    String latencies = "edge-a/cloud = 18ms, edge-b/cloud = 25ms";
    Manifests manifests = Chart.render(Chart.THREE_ZONES, Map.of("latencies", latencies));

    for (String zone : THREE_ZONES) {
      Map<String, String> env = literalEnv(manifests.get("Deployment", Chart.BASE + "-" + zone));
      assertThat(env).containsEntry("CONTINUUM_LATENCIES", latencies);
      ZoneTopology topology =
          ZoneTopology.of(ZoneTopology.parse(env.get("CONTINUUM_TOPOLOGY")).zones(), latencies);
      assertThat(topology.latency("cloud", "edge-b")).contains(java.time.Duration.ofMillis(25));
    }
    assertThat(
            literalEnv(
                Chart.render(Chart.THREE_ZONES, Map.of()).get("Deployment", Chart.BASE + "-cloud")))
        .doesNotContainKey("CONTINUUM_LATENCIES");
  }

  @Test
  void aZoneMayBePinnedByItsOwnLabelAndValue() {
    Manifests manifests =
        Chart.render(
            Chart.THREE_ZONES,
            Map.of(
                "zones[2].nodeLabel", "topology.kubernetes.io/region",
                "zones[2].nodeSelectorValue", "europe-west1"));

    assertPinnedToZone(
        manifests.get("Deployment", Chart.BASE + "-cloud"),
        "topology.kubernetes.io/region",
        "europe-west1");
    assertPinnedToZone(
        manifests.get("Deployment", Chart.BASE + "-edge-a"), "continuum.io/zone", "edge-a");
  }

  @Test
  void probesPointAtTheManagementPort() {
    Manifests manifests = Chart.render(Chart.THREE_ZONES, Map.of("ports.management", 18558));

    for (Doc deployment : manifests.ofKind("Deployment")) {
      Doc container = container(deployment);
      assertThat(container.get("ports").named("management").get("containerPort").integer())
          .isEqualTo(18558);
      assertThat(container.get("ports").list())
          .extracting(p -> p.get("name").str())
          .containsExactlyInAnyOrder("grpc", "management", "remoting");
      assertThat(container.at("readinessProbe.httpGet.path").str()).isEqualTo("/ready");
      assertThat(container.at("readinessProbe.httpGet.port").str()).isEqualTo("management");
      assertThat(container.at("livenessProbe.httpGet.path").str()).isEqualTo("/alive");
      assertThat(container.at("livenessProbe.httpGet.port").str()).isEqualTo("management");
      assertThat(container.at("startupProbe.httpGet.port").str()).isEqualTo("management");
      assertThat(literalEnv(deployment))
          .containsEntry("CONTINUUM_MANAGEMENT_PORT", "18558")
          .containsEntry("CONTINUUM_MANAGEMENT_PORT_NAME", "management");
    }
  }

  @Test
  void theRoleAllowsGetWatchAndListOfPodsToThePodsServiceAccount() {
    Manifests manifests = Chart.render(Chart.THREE_ZONES, Map.of());

    Doc role = manifests.get("Role", Chart.BASE + "-pod-reader");
    Doc rule = role.get("rules").list().get(0);
    assertThat(rule.get("apiGroups").list()).extracting(Doc::str).containsExactly("");
    assertThat(rule.get("resources").list()).extracting(Doc::str).containsExactly("pods");
    assertThat(rule.get("verbs").list())
        .extracting(Doc::str)
        .containsExactlyInAnyOrder("get", "watch", "list");

    Doc binding = manifests.get("RoleBinding", Chart.BASE + "-pod-reader");
    assertThat(binding.at("roleRef.name").str()).isEqualTo(Chart.BASE + "-pod-reader");
    assertThat(binding.at("roleRef.kind").str()).isEqualTo("Role");
    Doc subject = binding.get("subjects").list().get(0);
    assertThat(subject.get("namespace").str()).isEqualTo(Chart.NAMESPACE);
    manifests.get("ServiceAccount", subject.get("name").str());
    for (Doc deployment : manifests.ofKind("Deployment")) {
      assertThat(deployment.at("spec.template.spec.serviceAccountName").str())
          .isEqualTo(subject.get("name").str());
    }
  }

  @Test
  void theBootstrapServiceNameMatchesThePodLabel() {
    assertBootstrapFits(Chart.render(Chart.THREE_ZONES, Map.of()));
  }

  @Test
  void podsRunOnThePodIpAndBindEveryInterface() {
    Manifests manifests = Chart.render(Chart.THREE_ZONES, Map.of());

    for (Doc deployment : manifests.ofKind("Deployment")) {
      Doc env = container(deployment).get("env");
      assertThat(env.named("CONTINUUM_HOST").at("valueFrom.fieldRef.fieldPath").str())
          .isEqualTo("status.podIP");
      assertThat(env.named("CONTINUUM_POD_NAMESPACE").at("valueFrom.fieldRef.fieldPath").str())
          .isEqualTo("metadata.namespace");
      assertThat(literalEnv(deployment))
          .containsEntry("CONTINUUM_BIND_HOST", "0.0.0.0")
          .containsEntry("CONTINUUM_DISCOVERY", "kubernetes-api");
    }
  }

  @Test
  void rollingUpdatesNeverTakeAPodDownBeforeItsReplacementIsReady() {
    Manifests manifests = Chart.render(Chart.THREE_ZONES, Map.of());

    for (Doc deployment : manifests.ofKind("Deployment")) {
      assertThat(deployment.at("spec.strategy.type").str()).isEqualTo("RollingUpdate");
      assertThat(deployment.at("spec.strategy.rollingUpdate.maxUnavailable").integer()).isZero();
      assertThat(deployment.at("spec.strategy.rollingUpdate.maxSurge").integer()).isEqualTo(1);
      assertThat(deployment.at("spec.template.spec.terminationGracePeriodSeconds").integer())
          .isEqualTo(60);
      assertThat(container(deployment).at("resources.limits.memory").str()).isNotBlank();
    }
    assertThat(
            container(manifests.get("Deployment", Chart.BASE + "-edge-a"))
                .at("resources.limits.memory")
                .str())
        .isEqualTo("768Mi");
  }

  @Test
  void theDisruptionBudgetCoversEveryPodOfTheCluster() {
    Manifests manifests = Chart.render(Chart.THREE_ZONES, Map.of());

    Doc budget = manifests.get("PodDisruptionBudget", Chart.BASE);
    assertThat(budget.at("spec.maxUnavailable").integer()).isEqualTo(1);
    for (Doc deployment : manifests.ofKind("Deployment")) {
      assertThat(
              Manifests.selects(
                  budget.at("spec.selector.matchLabels").asMap(),
                  deployment.at("spec.template.metadata.labels").asMap()))
          .as("the budget selects the pods of %s", deployment.at("metadata.name").str())
          .isTrue();
    }
  }

  @Test
  void theGatewayServiceReachesEveryZoneAndEachZoneHasItsOwn() {
    Manifests manifests = Chart.render(Chart.THREE_ZONES, Map.of());

    Doc gateway = manifests.get("Service", Chart.BASE);
    assertThat(gateway.get("spec").get("ports").named("grpc").get("targetPort").str())
        .isEqualTo("grpc");
    for (String zone : THREE_ZONES) {
      Map<String, Object> podLabels =
          manifests
              .get("Deployment", Chart.BASE + "-" + zone)
              .at("spec.template.metadata.labels")
              .asMap();
      assertThat(Manifests.selects(gateway.at("spec.selector").asMap(), podLabels)).isTrue();
      Doc zoneService = manifests.get("Service", Chart.BASE + "-" + zone);
      assertThat(zoneService.get("spec").get("ports").named("grpc").get("targetPort").str())
          .isEqualTo("grpc");
      for (String other : THREE_ZONES) {
        Map<String, Object> otherLabels =
            manifests
                .get("Deployment", Chart.BASE + "-" + other)
                .at("spec.template.metadata.labels")
                .asMap();
        assertThat(Manifests.selects(zoneService.at("spec.selector").asMap(), otherLabels))
            .as("service of %s selects pods of %s", zone, other)
            .isEqualTo(zone.equals(other));
      }
    }
  }

  @Test
  void cassandraCredentialsComeFromTheExistingSecret() {
    Manifests manifests = Chart.render(Chart.THREE_ZONES, Map.of());

    Doc env = container(manifests.get("Deployment", Chart.BASE + "-edge-a")).get("env");
    assertThat(env.named("CONTINUUM_CASSANDRA_USERNAME").at("valueFrom.secretKeyRef.name").str())
        .isEqualTo("cassandra-credentials");
    assertThat(env.named("CONTINUUM_CASSANDRA_PASSWORD").at("valueFrom.secretKeyRef.key").str())
        .isEqualTo("password");
    assertThat(manifests.ofKind("Secret")).isEmpty();
  }

  @Test
  void cassandraCredentialsGivenAsValuesGoIntoASecretOfTheChart() {
    Manifests manifests =
        Chart.render(
            Chart.THREE_ZONES,
            Map.of(
                "cassandra.existingSecret", "",
                "cassandra.username", "continuum",
                "cassandra.password", "s3cret"));

    Doc secret = manifests.get("Secret", Chart.BASE + "-cassandra");
    assertThat(decode(secret.at("data.password").str())).isEqualTo("s3cret");
    Doc deployment = manifests.get("Deployment", Chart.BASE + "-cloud");
    Doc env = container(deployment).get("env");
    assertThat(env.named("CONTINUUM_CASSANDRA_USERNAME").at("valueFrom.secretKeyRef.name").str())
        .isEqualTo(Chart.BASE + "-cassandra");
    assertThat(deployment.at("spec.template.metadata.annotations").asMap())
        .containsKey("checksum/cassandra-secret");
  }

  @Test
  void anApplicationsImageIsCopiedIntoTheDirectoryTheNodeLoads() {
    Manifests manifests =
        Chart.render(Chart.THREE_ZONES, Map.of("apps.image", "registry.example.com/apps:1"));

    Doc spec = manifests.get("Deployment", Chart.BASE + "-edge-b").at("spec.template.spec");
    Doc init = spec.get("initContainers").named("apps");
    assertThat(init.get("image").str()).isEqualTo("registry.example.com/apps:1");
    String copiedTo = init.get("volumeMounts").named("apps").get("mountPath").str();
    assertThat(String.join(" ", init.get("command").list().stream().map(Doc::str).toList()))
        .contains(copiedTo);
    Doc node = spec.get("containers").named("continuum");
    String appsDir = node.get("volumeMounts").named("apps").get("mountPath").str();
    assertThat(literalEnv(manifests.get("Deployment", Chart.BASE + "-edge-b")))
        .containsEntry("CONTINUUM_APPS_DIR", appsDir);
    assertThat(spec.get("volumes").named("apps").has("emptyDir")).isTrue();
  }

  @Test
  void notesTellHowToReachTheGatewayOfEachZoneAndManagement() {
    String output = Chart.installDryRun(Chart.THREE_ZONES);

    String notes = output.substring(output.indexOf("NOTES:"));
    assertThat(notes)
        .contains("demo-continuum." + Chart.NAMESPACE + ".svc:9090")
        .contains("kubectl port-forward -n " + Chart.NAMESPACE + " svc/demo-continuum 9090:9090")
        .contains("deploy/demo-continuum-edge-a 8558:management")
        .contains("curl localhost:8558/continuum/zones");
    for (String zone : THREE_ZONES) {
      assertThat(notes).contains("demo-continuum-" + zone + "." + Chart.NAMESPACE + ".svc:9090");
    }
  }

  @Test
  void aZoneFallingBackOnAnUndeclaredZoneIsRefused() {
    assertThatThrownBy(
            () -> Chart.render(Chart.THREE_ZONES, Map.of("zones[0].fallback[0]", "clowd")))
        .hasMessageContaining("zone \"edge-a\" falls back on \"clowd\"");
  }

  @Test
  void embeddedPersistenceWithSeveralPodsIsRefused() {
    assertThatThrownBy(
            () -> Chart.render(Chart.THREE_ZONES, Map.of("persistence.backend", "embedded")))
        .hasMessageContaining("use cassandra for more than one replica");
  }

  @Test
  void anUnknownTierIsRefused() {
    assertThatThrownBy(() -> Chart.render(Chart.THREE_ZONES, Map.of("zones[1].tier", "fog")))
        .hasMessageContaining("zone \"edge-b\" has tier fog; expected edge or cloud");
  }

  /** The pods' label selector, with the service name for %s, selects exactly the cluster's pods. */
  private static void assertBootstrapFits(Manifests manifests) {
    for (Doc deployment : manifests.ofKind("Deployment")) {
      Map<String, String> env = literalEnv(deployment);
      String selector =
          env.get("CONTINUUM_POD_LABEL_SELECTOR").formatted(env.get("CONTINUUM_SERVICE_NAME"));
      Map<String, Object> labels = deployment.at("spec.template.metadata.labels").asMap();
      for (String term : selector.split(",")) {
        String[] keyValue = term.split("=", 2);
        assertThat(labels)
            .as("pod labels of %s", deployment.at("metadata.name").str())
            .containsEntry(keyValue[0], keyValue[1]);
      }
      assertThat(env.get("CONTINUUM_SERVICE_NAME")).isEqualTo(Chart.BASE);
    }
  }

  private static void assertPinnedToZone(Doc deployment, String label, String value) {
    List<Doc> terms =
        deployment
            .at(
                "spec.template.spec.affinity.nodeAffinity"
                    + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")
            .list();
    assertThat(terms).hasSize(1);
    Doc expression = terms.get(0).get("matchExpressions").list().get(0);
    assertThat(expression.get("key").str()).isEqualTo(label);
    assertThat(expression.get("operator").str()).isEqualTo("In");
    assertThat(expression.get("values").list()).extracting(Doc::str).containsExactly(value);
  }

  private static Doc container(Doc deployment) {
    return deployment.at("spec.template.spec.containers").named("continuum");
  }

  /** The container's environment variables that have a literal value. */
  private static Map<String, String> literalEnv(Doc deployment) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Doc variable : container(deployment).get("env").list()) {
      if (variable.has("value")) {
        env.put(variable.get("name").str(), variable.get("value").str());
      }
    }
    return env;
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
