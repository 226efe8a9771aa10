package io.continuum.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.placement.PlacementOverrides;
import io.continuum.placement.PlacementPolicy;
import io.continuum.sdk.model.FunctionModel;
import io.continuum.zone.ZoneTopology;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The layers of a function instance's zone: {@link FunctionPlacement#zoneOf} (the call path) picks
 * the zone that {@link FunctionPlacement#explain} (the operator's view) shows, with its source.
 */
class FunctionPlacementTest {

  private static final ZoneTopology TOPOLOGY =
      ZoneTopology.parse("edge-a:edge>cloud, edge-b:edge>cloud, cloud:cloud");

  private final Map<String, PlacementPolicy> config = new HashMap<>();
  private final Map<String, PlacementPolicy> runtime = new HashMap<>();
  private final FunctionPlacement placement =
      new FunctionPlacement(
          TOPOLOGY,
          Map.of("cpu-raw", "edge-a"),
          Map.of("stats", "edge-b"),
          layer(config),
          layer(runtime));

  private static PlacementOverrides layer(Map<String, PlacementPolicy> policies) {
    return (kind, name) -> Optional.ofNullable(policies.get(kind.wireName() + ":" + name));
  }

  private static FunctionModel<String> function(
      String zone, String zoneOfTopic, String zoneOfObject, Function<String, String> perId) {
    return new FunctionModel<>(
        "f",
        String.class,
        "",
        Map.of(),
        List.of(),
        zone,
        zoneOfTopic,
        perId,
        zoneOfObject,
        List.of());
  }

  /** The zone of instance {@code id}, checked to be what the explanation says, and its source. */
  private String zoneAndSource(FunctionModel<?> function, String id) {
    String zone = placement.zoneOf(function, id);
    assertThat(placement.explain(function, id, Optional.empty()).zone()).isEqualTo(zone);
    return zone
        + " from "
        + placement.explain(function, id, Optional.empty()).sources().get("zone");
  }

  @Test
  void eachLayerOverridesTheOnesBelowIt() {
    FunctionModel<String> undeclared = function(null, null, null, null);
    assertThat(zoneAndSource(undeclared, "i"))
        .isEqualTo("cloud from default: the cluster's default zone");

    config.put("function:f", PlacementPolicy.inZone("edge-b"));
    assertThat(zoneAndSource(undeclared, "i")).isEqualTo("edge-b from config");

    FunctionModel<String> followsTopic = function(null, "cpu-raw", null, null);
    assertThat(zoneAndSource(followsTopic, "i"))
        .isEqualTo("edge-a from dsl: zone of topic cpu-raw");
    assertThat(zoneAndSource(function(null, null, "stats", null), "i"))
        .isEqualTo("edge-b from dsl: zone of object stats");

    FunctionModel<String> perId =
        function("edge-a", null, null, id -> id.equals("x") ? "cloud" : null);
    assertThat(zoneAndSource(perId, "x")).isEqualTo("cloud from dsl: placeInstances");
    assertThat(zoneAndSource(perId, "y")).isEqualTo("edge-a from dsl: zone");

    runtime.put("function:f", PlacementPolicy.inZone("edge-b"));
    assertThat(zoneAndSource(perId, "x")).isEqualTo("edge-b from runtime: type override");

    runtime.put("instance:f/x", PlacementPolicy.inZone("edge-a"));
    assertThat(zoneAndSource(perId, "x")).isEqualTo("edge-a from runtime: instance override");
    assertThat(zoneAndSource(perId, "y")).isEqualTo("edge-b from runtime: type override");
  }

  @Test
  void anOverrideThatNamesNoZoneLeavesTheZoneToTheLayersBelow() {
    runtime.put(
        "function:f",
        new PlacementPolicy(null, List.of(), null, io.continuum.placement.Routing.RANDOM));

    assertThat(zoneAndSource(function("edge-a", null, null, null), "i"))
        .isEqualTo("edge-a from dsl: zone");
  }

  @Test
  void aHypotheticalOverrideIsExplainedWithoutBeingSet() {
    FunctionModel<String> typed = function("edge-a", null, null, null);

    assertThat(placement.explain(typed, Optional.of(PlacementPolicy.inZone("cloud"))).zone())
        .isEqualTo("cloud");
    assertThat(placement.zoneOf(typed, "i")).isEqualTo("edge-a");
  }
}
