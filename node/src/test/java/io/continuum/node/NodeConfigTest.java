package io.continuum.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a node's discovery settings become Pekko's Cluster Bootstrap and discovery settings, and
 * which message limits a node refuses to start with.
 */
class NodeConfigTest {

  private static final String BOOTSTRAP =
      "pekko.management.cluster.bootstrap.contact-point-discovery";

  @Test
  void configDiscoveryRegistersTheSeedsAndRequiresAllOfThem() {
    Config config =
        NodeConfig.load(
            ConfigFactory.parseString(
                "continuum.cluster.seeds = \"10.0.0.1:8558,10.0.0.2:8558,10.0.0.3:8558\""));

    assertThat(config.getString(BOOTSTRAP + ".discovery-method")).isEqualTo("config");
    assertThat(config.getString(BOOTSTRAP + ".service-name")).isEqualTo("continuum");
    assertThat(config.getConfigList("pekko.discovery.config.services.continuum.endpoints"))
        .extracting(endpoint -> endpoint.getString("host") + ":" + endpoint.getInt("port"))
        .containsExactly("10.0.0.1:8558", "10.0.0.2:8558", "10.0.0.3:8558");
    assertThat(config.getInt(BOOTSTRAP + ".required-contact-point-nr")).isEqualTo(3);
  }

  @Test
  void kubernetesDiscoveryLooksUpPodsByLabelAndProbesTheirManagementPort() {
    Config config =
        NodeConfig.load(
            ConfigFactory.parseString(
                """
                continuum.cluster {
                  discovery = kubernetes-api
                  service-name = demo-continuum
                  required-contacts = 4
                  kubernetes.pod-label-selector = "continuum.io/cluster=%s"
                  kubernetes.pod-namespace = prod
                }
                """));

    assertThat(config.getString(BOOTSTRAP + ".discovery-method")).isEqualTo("kubernetes-api");
    assertThat(config.getString(BOOTSTRAP + ".service-name")).isEqualTo("demo-continuum");
    assertThat(config.getString(BOOTSTRAP + ".port-name")).isEqualTo("management");
    assertThat(config.getInt(BOOTSTRAP + ".required-contact-point-nr")).isEqualTo(4);
    assertThat(config.getString("pekko.discovery.kubernetes-api.pod-label-selector"))
        .isEqualTo("continuum.io/cluster=%s");
    assertThat(config.getString("pekko.discovery.kubernetes-api.pod-namespace")).isEqualTo("prod");
    assertThat(config.getBoolean("pekko.discovery.kubernetes-api.use-raw-ip")).isTrue();
  }

  @Test
  void theEmbeddedJournalStartsACrashedNodesEntitiesAtOnceWhileCassandraWaitsStableAfter() {
    Config embedded = NodeConfig.load(ConfigFactory.empty());
    Config cassandra =
        NodeConfig.load(
            ConfigFactory.parseString(
                "continuum.persistence.backend = cassandra\n"
                    + "pekko.cluster.split-brain-resolver.stable-after = 7s"));

    // The embedded journal refuses a second incarnation's writes itself; Pekko reads 0 as "take
    // stable-after", so the margin is the smallest one that is not 0.
    assertThat(embedded.getDuration("pekko.cluster.down-removal-margin")).hasMillis(1);
    assertThat(cassandra.getDuration("pekko.cluster.down-removal-margin")).hasSeconds(7);
  }

  @Test
  void anUnknownDiscoveryIsRefusedNamingTheChoices() {
    assertThatThrownBy(
            () -> NodeConfig.load(ConfigFactory.parseString("continuum.cluster.discovery = dns")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown discovery 'dns'")
        .hasMessageContaining("config or kubernetes-api");
  }

  @Test
  void aGatewayThatAcceptsMoreThanTheClusterCarriesIsRefusedAtStartNamingBothSettings() {
    assertThatThrownBy(
            () ->
                NodeConfig.load(
                    ConfigFactory.parseString("continuum.gateway.max-request-bytes = 8 MiB")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("continuum.gateway.max-request-bytes (8388608 bytes)")
        .hasMessageContaining("pekko.remote.artery.advanced.maximum-frame-size (4259840 bytes)");
  }

  @Test
  void largerRequestsAreAcceptedWhenTheClusterFrameGrowsWithThem() {
    Config config =
        NodeConfig.load(
            ConfigFactory.parseString(
                """
                continuum.gateway.max-request-bytes = 8 MiB
                pekko.remote.artery.advanced.maximum-frame-size = 8256 KiB
                """));

    assertThat(config.getBytes("continuum.gateway.max-request-bytes")).isEqualTo(8L << 20);
  }

  @Test
  void topicsCannotDeclareEntriesNoClientCouldPublish() {
    assertThatThrownBy(
            () ->
                NodeConfig.load(
                    ConfigFactory.parseString("continuum.topics.entry-bytes-limit = 5 MiB")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("continuum.topics.entry-bytes-limit (5242880 bytes) must not exceed");
  }

  @Test
  void continuumsReferenceSettingsAreTakenWhateverComesFirstOnTheClasspath(@TempDir Path dir)
      throws IOException {
    Path pekko = Files.createDirectories(dir.resolve("pekko-remote"));
    Files.writeString(
        pekko.resolve("reference.conf"),
        "pekko.remote.artery.advanced.maximum-frame-size = 256 KiB");
    Path actors = Files.createDirectories(dir.resolve("continuum-actors"));
    Files.writeString(
        actors.resolve("reference.conf"),
        "continuum.topics.ask-timeout = 10s\n"
            + "pekko.remote.artery.advanced.maximum-frame-size = 4160 KiB");
    try (URLClassLoader classpath =
        new URLClassLoader(
            new URL[] {pekko.toUri().toURL(), actors.toUri().toURL()},
            ClassLoader.getPlatformClassLoader())) {
      Config reference = NodeConfig.continuumReference(classpath);

      assertThat(reference.getBytes("pekko.remote.artery.advanced.maximum-frame-size"))
          .isEqualTo(4160L * 1024);
    }
  }
}
