package io.continuum.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.zone.ZoneTopology;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layered placement: resolution with sources, validation against the topology, configuration. */
class PlacementPolicyTest {

  private static final ZoneTopology TOPOLOGY =
      ZoneTopology.fromConfig(
          ConfigFactory.parseString(
              "continuum.topology = \"edge-a:edge>cloud, edge-b:edge>cloud, cloud:cloud\""));

  private static EffectivePlacement.Layer layer(
      PlacementSource source, String note, PlacementPolicy policy) {
    return new EffectivePlacement.Layer(source, note, policy);
  }

  @Test
  void eachLayerOverridesWhatItSetsAndTheSourceOfEverySettingIsNamed() {
    EffectivePlacement effective =
        EffectivePlacement.resolve(
            PlacementKind.FUNCTION,
            "smooth",
            List.of(
                layer(
                    PlacementSource.DEFAULT,
                    "the cluster's default zone",
                    PlacementPolicy.inZone("cloud")),
                layer(
                    PlacementSource.CONFIG,
                    "",
                    new PlacementPolicy(null, List.of("edge-a", "cloud"), null, Routing.RANDOM)),
                layer(
                    PlacementSource.DSL, "zone of topic cpu-raw", PlacementPolicy.inZone("edge-a")),
                layer(
                    PlacementSource.RUNTIME,
                    "type override",
                    new PlacementPolicy(null, List.of(), null, Routing.LEAST_CONN))));

    assertThat(effective.zone()).isEqualTo("edge-a");
    assertThat(effective.allowedZones()).containsExactly("edge-a", "cloud");
    assertThat(effective.routing()).isEqualTo(Routing.LEAST_CONN);
    assertThat(effective.replicas()).isEqualTo(1);
    assertThat(effective.sources())
        .containsEntry("zone", "dsl: zone of topic cpu-raw")
        .containsEntry("allowed", "config")
        .containsEntry("routing", "runtime: type override")
        .containsEntry("replicas", "default");
    assertThat(effective.isConsistent()).isTrue();
  }

  @Test
  void withoutAllowedZonesOnlyTheHomeZoneIsAllowed() {
    EffectivePlacement effective =
        EffectivePlacement.resolve(
            PlacementKind.TOPIC,
            "t",
            List.of(layer(PlacementSource.DSL, "zone", PlacementPolicy.inZone("edge-b"))));

    assertThat(effective.allowedZones()).containsExactly("edge-b");
    assertThat(effective.sources()).containsEntry("allowed", "the home zone");
  }

  @Test
  void aHomeZoneOutsideTheAllowedZonesIsReportedAsInconsistent() {
    EffectivePlacement effective =
        EffectivePlacement.resolve(
            PlacementKind.FUNCTION,
            "f",
            List.of(
                layer(
                    PlacementSource.CONFIG,
                    "",
                    new PlacementPolicy("cloud", List.of("cloud"), null, null)),
                layer(PlacementSource.RUNTIME, "", PlacementPolicy.inZone("edge-a"))));

    assertThat(effective.isConsistent()).isFalse();
  }

  @Test
  void validationNamesWhatIsValid() {
    assertInvalid(PlacementPolicy.inZone("moon"), "unknown zone 'moon'", "cloud");
    assertInvalid(
        new PlacementPolicy("edge-a", List.of("cloud"), null, null), "exclude the home zone");
    assertInvalid(
        new PlacementPolicy(null, List.of("cloud", "cloud"), null, null), "name a zone twice");
    assertInvalid(
        new PlacementPolicy(null, List.of("cloud", "edge-a"), 3, null),
        "between 1 and 2 (the allowed zones)");
    assertInvalid(new PlacementPolicy(null, List.of(), 4, null), "between 1 and 3");
    PlacementPolicy valid = new PlacementPolicy("edge-a", List.of("edge-a", "cloud"), 2, null);
    assertThat(valid.validate(TOPOLOGY)).isSameAs(valid);
  }

  @Test
  void routingAndKindsParseTheirWireNamesAndListThemOtherwise() {
    assertThat(Routing.parse("LEAST_CONN")).isEqualTo(Routing.LEAST_CONN);
    assertThat(PlacementKind.parse(" instance ")).isEqualTo(PlacementKind.INSTANCE);
    assertThatThrownBy(() -> Routing.parse("fastest"))
        .hasMessageContaining("round_robin, least_conn, random, nearest");
    assertThatThrownBy(() -> PlacementKind.parse(null))
        .hasMessageContaining("topic, function, instance, object");
  }

  @Test
  void theClusterConfigurationIsALayerPerKindAndName() {
    PlacementConfig config =
        PlacementConfig.fromConfig(
            ConfigFactory.parseString(
                "continuum.placement.function.smooth { zone = cloud, allowed = [cloud, edge-a] }\n"
                    + "continuum.placement.topic.cpu-raw.routing = nearest"));

    assertThat(config.find(PlacementKind.FUNCTION, "smooth"))
        .contains(new PlacementPolicy("cloud", List.of("cloud", "edge-a"), null, null));
    assertThat(config.find(PlacementKind.TOPIC, "cpu-raw"))
        .contains(new PlacementPolicy(null, List.of(), null, Routing.NEAREST));
    assertThat(config.find(PlacementKind.FUNCTION, "predict")).isEmpty();
    assertThatThrownBy(
            () ->
                PlacementConfig.fromConfig(
                    ConfigFactory.parseString("continuum.placement.planet.x.zone = cloud")))
        .hasMessageContaining("continuum.placement.planet");
  }

  private static void assertInvalid(PlacementPolicy policy, String... words) {
    assertThatThrownBy(() -> policy.validate(TOPOLOGY))
        .isInstanceOfSatisfying(
            RejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT))
        .hasMessageContainingAll(words);
  }
}
