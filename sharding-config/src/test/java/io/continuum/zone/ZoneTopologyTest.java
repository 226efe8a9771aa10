package io.continuum.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ZoneTopologyTest {

  /**
   * {@code overrides} over the keys reference.conf defines, set here so that CONTINUUM_*
   * environment variables cannot change the outcome.
   */
  private static Config config(String overrides) {
    return ConfigFactory.parseString(overrides)
        .withFallback(
            ConfigFactory.parseString(
                "continuum { zone = local, tier = cloud, topology = \"\", latencies = \"\" }"));
  }

  @Nested
  class CompactForm {

    @Test
    void parsesZonesTiersAndFallbacksInDeclarationOrder() {
      ZoneTopology topology = ZoneTopology.parse("edge-a:edge>cloud,cloud:cloud");

      assertThat(topology.zones())
          .containsExactly(
              new Zone("edge-a", Tier.EDGE, List.of("cloud")),
              new Zone("cloud", Tier.CLOUD, List.of()));
    }

    @Test
    void toleratesWhitespaceAroundEveryPart() {
      ZoneTopology topology =
          ZoneTopology.parse(" edge-a : edge > edge-b > cloud , edge-b:edge ,cloud:cloud ");

      assertThat(topology.require("edge-a").fallback()).containsExactly("edge-b", "cloud");
      assertThat(topology.require("edge-b").fallback()).isEmpty();
    }

    @Test
    void acceptsTiersInAnyCase() {
      assertThat(ZoneTopology.parse("edge-a:EDGE").require("edge-a").tier()).isEqualTo(Tier.EDGE);
    }

    @Test
    void roundTripsThroughToCompact() {
      String compact = "edge-a:edge>edge-b>cloud,edge-b:edge>cloud,cloud:cloud";

      assertThat(ZoneTopology.parse(compact).toCompact()).isEqualTo(compact);
    }

    @Test
    void refusesAZoneWithoutTier() {
      assertThatThrownBy(() -> ZoneTopology.parse("edge-a>cloud,cloud:cloud"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "invalid zone 'edge-a>cloud' in topology: expected <zone>:<tier>[>fallback...]");
    }

    @Test
    void refusesAnEmptyFallbackBetweenArrows() {
      assertThatThrownBy(() -> ZoneTopology.parse("edge-a:edge>>cloud,cloud:cloud"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("zone 'edge-a' falls back on unknown zone ''; declared zones: edge-a, cloud");
    }
  }

  @Nested
  class FromConfig {

    @Test
    void readsTheObjectFormWhenNoCompactTopologyIsSet() {
      Config config =
          config(
              """
              continuum.zones {
                edge-a { tier = edge, fallback = [cloud] }
                cloud { tier = cloud }
              }
              """);

      ZoneTopology topology = ZoneTopology.fromConfig(config);

      assertThat(topology.require("edge-a"))
          .isEqualTo(new Zone("edge-a", Tier.EDGE, List.of("cloud")));
      assertThat(topology.require("cloud")).isEqualTo(new Zone("cloud", Tier.CLOUD, List.of()));
      assertThat(topology.zones()).hasSize(2);
    }

    @Test
    void prefersTheCompactTopologyOverTheObjectForm() {
      Config config =
          config(
              """
              continuum.topology = "edge-b:edge>cloud,cloud:cloud"
              continuum.zones { edge-a { tier = edge } }
              """);

      assertThat(ZoneTopology.fromConfig(config).toCompact())
          .isEqualTo("edge-b:edge>cloud,cloud:cloud");
    }

    @Test
    void defaultsToTheNodesOwnZoneAlone() {
      ZoneTopology topology = ZoneTopology.fromConfig(config(""));

      assertThat(topology.zones()).containsExactly(new Zone("local", Tier.CLOUD, List.of()));
    }

    @Test
    void defaultZoneTakesTheConfiguredNameAndTier() {
      ZoneTopology topology =
          ZoneTopology.fromConfig(config("continuum.zone = edge-x, continuum.tier = edge"));

      assertThat(topology.zones()).containsExactly(new Zone("edge-x", Tier.EDGE, List.of()));
    }

    @Test
    void objectFormIsValidatedLikeTheCompactForm() {
      Config config = config("continuum.zones { edge-a { tier = edge, fallback = [cloud] } }");

      assertThatThrownBy(() -> ZoneTopology.fromConfig(config))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("zone 'edge-a' falls back on unknown zone 'cloud'; declared zones: edge-a");
    }

    @Test
    void objectFormRefusesAnUnknownTier() {
      Config config = config("continuum.zones { edge-a { tier = fog } }");

      assertThatThrownBy(() -> ZoneTopology.fromConfig(config))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("unknown tier 'fog', expected one of edge, cloud");
    }
  }

  @Nested
  class PlacementChain {

    @Test
    void startsWithTheZoneItself() {
      ZoneTopology topology = ZoneTopology.parse("cloud:cloud");

      assertThat(topology.placementChain("cloud")).containsExactly("cloud");
    }

    @Test
    void followsFallbacksTransitively() {
      ZoneTopology topology =
          ZoneTopology.parse("edge-a:edge>edge-b,edge-b:edge>cloud,cloud:cloud");

      assertThat(topology.placementChain("edge-a")).containsExactly("edge-a", "edge-b", "cloud");
      assertThat(topology.placementChain("edge-b")).containsExactly("edge-b", "cloud");
    }

    @Test
    void namesEachZoneOnceWhenChainsMeet() {
      ZoneTopology topology =
          ZoneTopology.parse("edge-a:edge>edge-b>cloud,edge-b:edge>cloud,cloud:cloud");

      assertThat(topology.placementChain("edge-a")).containsExactly("edge-a", "edge-b", "cloud");
    }

    @Test
    void triesAZonesOwnFallbacksBeforeTheirFallbacks() {
      ZoneTopology topology =
          ZoneTopology.parse(
              "edge-a:edge>edge-b>cloud-1,edge-b:edge>cloud-2,cloud-1:cloud,cloud-2:cloud");

      assertThat(topology.placementChain("edge-a"))
          .containsExactly("edge-a", "edge-b", "cloud-1", "cloud-2");
    }

    @Test
    void skipsFallbacksThatLeadBackToEarlierZones() {
      ZoneTopology topology = ZoneTopology.parse("edge-a:edge>edge-b,edge-b:edge>edge-a");

      assertThat(topology.placementChain("edge-b")).containsExactly("edge-b", "edge-a");
    }

    @Test
    void isEmptyForAnUndeclaredZone() {
      ZoneTopology topology = ZoneTopology.parse("cloud:cloud");

      assertThat(topology.placementChain("edge-z")).isEmpty();
    }
  }

  @Nested
  class Validation {

    @Test
    void refusesAFallbackOnAnUndeclaredZone() {
      assertThatThrownBy(() -> ZoneTopology.parse("edge-a:edge>cloud"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("zone 'edge-a' falls back on unknown zone 'cloud'; declared zones: edge-a");
    }

    @Test
    void refusesAZoneFallingBackOnItself() {
      assertThatThrownBy(() -> ZoneTopology.parse("edge-a:edge>edge-a"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("zone 'edge-a' falls back on itself");
    }

    @Test
    void refusesAZoneDeclaredTwice() {
      assertThatThrownBy(() -> ZoneTopology.parse("edge-a:edge,edge-a:cloud"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("zone 'edge-a' is declared twice");
    }

    @Test
    void refusesAnInvalidZoneName() {
      assertThatThrownBy(() -> ZoneTopology.parse("Edge_A:edge"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "invalid zone name 'Edge_A': use 1-63 lower-case letters, digits and dashes, e.g."
                  + " edge-a");
    }

    @Test
    void refusesAnUnknownTier() {
      assertThatThrownBy(() -> ZoneTopology.parse("edge-a:fog"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("unknown tier 'fog', expected one of edge, cloud");
    }

    @Test
    void refusesATopologyWithoutZones() {
      assertThatThrownBy(() -> ZoneTopology.of(List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the topology declares no zone: add one under continuum.zones");
    }

    @Test
    void zoneNamesAreDnsLabels() {
      assertThat(Zone.requireValidName("a")).isEqualTo("a");
      assertThat(Zone.requireValidName("edge-1")).isEqualTo("edge-1");
      assertThat(Zone.requireValidName("a".repeat(63))).hasSize(63);
      for (String invalid : List.of("", "-edge", "edge-", "a".repeat(64), "edge.a", "EDGE")) {
        assertThatThrownBy(() -> Zone.requireValidName(invalid))
            .as("zone name '%s'", invalid)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("invalid zone name '" + invalid + "'");
      }
    }

    @Test
    void requireNamesTheDeclaredZonesForAnUnknownOne() {
      ZoneTopology topology = ZoneTopology.parse("edge-a:edge>cloud,cloud:cloud");

      assertThat(topology.find("edge-z")).isEmpty();
      assertThatThrownBy(() -> topology.require("edge-z"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("unknown zone 'edge-z'; declared zones: edge-a, cloud");
    }
  }

  @Nested
  class Latencies {

    private final List<Zone> zones = ZoneTopology.parse(THREE_ZONES).zones().stream().toList();

    @Test
    void holdBothWaysAndAZoneIsZeroFromItself() {
      ZoneTopology topology = ZoneTopology.of(zones, "edge-a/cloud = 18ms, edge-b / cloud=25ms");

      assertThat(topology.latency("cloud", "edge-a")).contains(Duration.ofMillis(18));
      assertThat(topology.latency("edge-b", "cloud")).contains(Duration.ofMillis(25));
      assertThat(topology.latency("edge-a", "edge-a")).contains(Duration.ZERO);
      assertThat(topology.latency("edge-a", "edge-b")).isEmpty();
    }

    @Test
    void nearestOrderIsByLatencyThenByTheFallbackChain() {
      ZoneTopology topology = ZoneTopology.of(zones, "edge-a/edge-b = 40ms, edge-a/cloud = 18ms");
      ZoneTopology withoutTable = ZoneTopology.of(zones);

      assertThat(topology.distance("edge-a", "cloud"))
          .isLessThan(topology.distance("edge-a", "edge-b"));
      // edge-a falls back on edge-b before cloud.
      assertThat(withoutTable.distance("edge-a", "edge-b"))
          .isLessThan(withoutTable.distance("edge-a", "cloud"));
      assertThat(topology.distance("cloud", "edge-b"))
          .as("a pair without latency is farther than any pair with one")
          .isGreaterThan(topology.distance("edge-a", "edge-b"));
    }

    @Test
    void areReadFromConfiguration() {
      ZoneTopology topology =
          ZoneTopology.fromConfig(
              config(
                  "continuum.topology = \""
                      + THREE_ZONES
                      + "\", continuum.latencies = \"edge-a/cloud = 2ms\""));

      assertThat(topology.latencies())
          .containsEntry("edge-a", java.util.Map.of("cloud", Duration.ofMillis(2)))
          .containsEntry("cloud", java.util.Map.of("edge-a", Duration.ofMillis(2)));
    }

    @Test
    void invalidEntriesSayWhatIsExpected() {
      assertThatThrownBy(() -> ZoneTopology.of(zones, "edge-a/mars = 2ms"))
          .hasMessage("unknown zone 'mars'; declared zones: edge-a, edge-b, cloud");
      assertThatThrownBy(() -> ZoneTopology.of(zones, "edge-a cloud 2ms"))
          .hasMessage(
              "invalid latency 'edge-a cloud 2ms': expected <zone>/<zone> = <duration>, e.g."
                  + " edge-a/cloud = 18ms");
      assertThatThrownBy(() -> ZoneTopology.of(zones, "edge-a/cloud = soon"))
          .hasMessage("invalid latency 'edge-a/cloud = soon': 'soon' is no duration (e.g. 18ms)");
      assertThatThrownBy(() -> ZoneTopology.of(zones, "edge-a/cloud = -2ms"))
          .hasMessage("invalid latency 'edge-a/cloud = -2ms': negative");
    }
  }

  private static final String THREE_ZONES =
      "edge-a:edge>edge-b>cloud,edge-b:edge>cloud,cloud:cloud";
}
