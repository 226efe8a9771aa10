package io.continuum.function;

import io.continuum.placement.EffectivePlacement;
import io.continuum.placement.PlacementConfig;
import io.continuum.placement.PlacementDirectory;
import io.continuum.placement.PlacementKind;
import io.continuum.placement.PlacementPolicy;
import io.continuum.placement.PlacementSource;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.sdk.Address;
import io.continuum.sdk.model.FunctionModel;
import io.continuum.sharding.ZoneEntityId;
import io.continuum.zone.Tier;
import io.continuum.zone.ZoneTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a function instance lives, in layers, each overriding the ones before: the cluster's
 * default zone (its first cloud zone); the cluster configuration ({@code
 * continuum.placement.function.<type>}); the declaration (the type's zone, the zone of the topic or
 * object it follows, then the zone it gives the instance's id); the runtime overrides of the type
 * and then of the instance, from the {@link PlacementDirectory}.
 */
public final class FunctionPlacement {

  private final ZoneTopology topology;
  private final Map<String, String> topicZones;
  private final Map<String, String> objectZones;
  private final PlacementConfig config;
  private final PlacementDirectory directory;
  private final String defaultZone;

  /**
   * @param topicZones the home zone of every topic the application declares
   * @param objectZones the first zone of every object the application declares
   */
  public FunctionPlacement(
      ZoneTopology topology,
      Map<String, String> topicZones,
      Map<String, String> objectZones,
      PlacementConfig config,
      PlacementDirectory directory) {
    this.topology = topology;
    this.topicZones = Map.copyOf(topicZones);
    this.objectZones = Map.copyOf(objectZones);
    this.config = config;
    this.directory = directory;
    this.defaultZone = defaultZone(topology);
  }

  /** The zone of things no declaration places: the first cloud zone, else the first zone. */
  public static String defaultZone(ZoneTopology topology) {
    return topology.zones().stream()
        .filter(z -> z.tier() == Tier.CLOUD)
        .findFirst()
        .orElse(topology.zones().iterator().next())
        .name();
  }

  /** The sharded id of an instance. */
  public ZoneEntityId entityId(FunctionModel<?> function, String id) {
    return new ZoneEntityId(zoneOf(function, id), function.name() + "|" + id);
  }

  /** The zone of an instance. */
  public String zoneOf(FunctionModel<?> function, String id) {
    String zone = explain(function, id).zone();
    if (topology.find(zone).isEmpty()) {
      throw new RejectedException(
          Reason.INTERNAL,
          "function '"
              + function.name()
              + "' places instance '"
              + id
              + "' in unknown zone '"
              + zone
              + "'; "
              + topology.known());
    }
    return zone;
  }

  /** Where the instances of a type live, and why. */
  public EffectivePlacement explain(FunctionModel<?> function) {
    return explain(function, Optional.empty());
  }

  /**
   * Where the instances of a type would live with {@code override} instead of the type's current
   * runtime override (when present).
   */
  public EffectivePlacement explain(FunctionModel<?> function, Optional<PlacementPolicy> override) {
    return EffectivePlacement.resolve(
        PlacementKind.FUNCTION, function.name(), typeLayers(function, override));
  }

  /** Where an instance lives, and why. */
  public EffectivePlacement explain(FunctionModel<?> function, String id) {
    return explain(function, id, Optional.empty());
  }

  /**
   * Where an instance would live with {@code override} instead of its current runtime override
   * (when present).
   */
  public EffectivePlacement explain(
      FunctionModel<?> function, String id, Optional<PlacementPolicy> override) {
    List<EffectivePlacement.Layer> layers = new ArrayList<>(typeLayers(function, Optional.empty()));
    int runtime = layers.size() - 1;
    function
        .instanceZone(id)
        .ifPresent(
            zone ->
                layers.add(
                    runtime,
                    new EffectivePlacement.Layer(
                        PlacementSource.DSL, "placeInstances", PlacementPolicy.inZone(zone))));
    String instance = function.name() + "/" + id;
    layers.add(
        new EffectivePlacement.Layer(
            PlacementSource.RUNTIME,
            "instance override",
            override
                .or(() -> directory.find(PlacementKind.INSTANCE, instance))
                .orElse(PlacementPolicy.NONE)));
    return EffectivePlacement.resolve(PlacementKind.INSTANCE, instance, layers);
  }

  /** The layers of a type, the runtime override last. */
  private List<EffectivePlacement.Layer> typeLayers(
      FunctionModel<?> function, Optional<PlacementPolicy> override) {
    List<EffectivePlacement.Layer> layers = new ArrayList<>();
    layers.add(
        new EffectivePlacement.Layer(
            PlacementSource.DEFAULT,
            "the cluster's default zone",
            PlacementPolicy.inZone(defaultZone)));
    config
        .find(PlacementKind.FUNCTION, function.name())
        .ifPresent(p -> layers.add(new EffectivePlacement.Layer(PlacementSource.CONFIG, "", p)));
    if (function.zone() != null) {
      layers.add(
          new EffectivePlacement.Layer(
              PlacementSource.DSL, "zone", PlacementPolicy.inZone(function.zone())));
    } else if (function.zoneOfTopic() != null) {
      layers.add(
          new EffectivePlacement.Layer(
              PlacementSource.DSL,
              "zone of topic " + function.zoneOfTopic(),
              PlacementPolicy.inZone(
                  topicZones.getOrDefault(function.zoneOfTopic(), defaultZone))));
    } else if (function.zoneOfObject() != null) {
      layers.add(
          new EffectivePlacement.Layer(
              PlacementSource.DSL,
              "zone of object " + function.zoneOfObject(),
              PlacementPolicy.inZone(
                  objectZones.getOrDefault(function.zoneOfObject(), defaultZone))));
    }
    layers.add(
        new EffectivePlacement.Layer(
            PlacementSource.RUNTIME,
            "type override",
            override
                .or(() -> directory.find(PlacementKind.FUNCTION, function.name()))
                .orElse(PlacementPolicy.NONE)));
    return layers;
  }

  /** The address of a sharded function entity id. */
  public static Address addressOf(ZoneEntityId id) {
    int separator = id.key().indexOf('|');
    return new Address(id.key().substring(0, separator), id.key().substring(separator + 1));
  }

  /** The zone of a declared topic. */
  public String topicZone(String topic) {
    return topicZones.get(topic);
  }
}
