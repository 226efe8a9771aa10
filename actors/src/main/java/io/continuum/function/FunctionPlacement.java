package io.continuum.function;

import io.continuum.placement.EffectivePlacement;
import io.continuum.placement.PlacementKind;
import io.continuum.placement.PlacementOverrides;
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
 * and then of the instance. {@link #zoneOf} runs on every call and looks the layers up from the
 * top; {@link #explain} builds them all, with their sources, for operators.
 */
public final class FunctionPlacement {

  private final ZoneTopology topology;
  private final Map<String, String> topicZones;
  private final Map<String, String> objectZones;
  private final PlacementOverrides config;
  private final PlacementOverrides runtime;
  private final String defaultZone;

  /**
   * @param topicZones the home zone of every topic the application declares
   * @param objectZones the first zone of every object the application declares
   * @param config the cluster configuration's layer
   * @param runtime the runtime overrides (the placement directory)
   */
  public FunctionPlacement(
      ZoneTopology topology,
      Map<String, String> topicZones,
      Map<String, String> objectZones,
      PlacementOverrides config,
      PlacementOverrides runtime) {
    this.topology = topology;
    this.topicZones = Map.copyOf(topicZones);
    this.objectZones = Map.copyOf(objectZones);
    this.config = config;
    this.runtime = runtime;
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

  /** The zone of an instance: the highest layer that names one. */
  public String zoneOf(FunctionModel<?> function, String id) {
    String zone =
        zoneIn(runtime.find(PlacementKind.INSTANCE, function.name() + "/" + id))
            .or(() -> zoneIn(runtime.find(PlacementKind.FUNCTION, function.name())))
            .or(() -> function.instanceZone(id))
            .or(() -> declared(function).map(layer -> layer.policy().zone()))
            .or(() -> zoneIn(config.find(PlacementKind.FUNCTION, function.name())))
            .orElse(defaultZone);
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

  private static Optional<String> zoneIn(Optional<PlacementPolicy> policy) {
    return policy.map(PlacementPolicy::zone);
  }

  /**
   * Where the instances of a type live and why; with {@code override}, where they would live with
   * it in place of the type's runtime override.
   */
  public EffectivePlacement explain(FunctionModel<?> function, Optional<PlacementPolicy> override) {
    return EffectivePlacement.resolve(
        PlacementKind.FUNCTION, function.name(), typeLayers(function, override));
  }

  /**
   * Where an instance lives and why; with {@code override}, where it would live with it in place of
   * the instance's runtime override.
   */
  public EffectivePlacement explain(
      FunctionModel<?> function, String id, Optional<PlacementPolicy> override) {
    List<EffectivePlacement.Layer> layers = typeLayers(function, Optional.empty());
    function
        .instanceZone(id)
        .ifPresent(
            zone ->
                layers.add(
                    layers.size() - 1,
                    new EffectivePlacement.Layer(
                        PlacementSource.DSL, "placeInstances", PlacementPolicy.inZone(zone))));
    String instance = function.name() + "/" + id;
    layers.add(runtimeLayer("instance override", PlacementKind.INSTANCE, instance, override));
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
    declared(function).ifPresent(layers::add);
    layers.add(runtimeLayer("type override", PlacementKind.FUNCTION, function.name(), override));
    return layers;
  }

  private EffectivePlacement.Layer runtimeLayer(
      String note, PlacementKind kind, String name, Optional<PlacementPolicy> override) {
    return new EffectivePlacement.Layer(
        PlacementSource.RUNTIME,
        note,
        override.or(() -> runtime.find(kind, name)).orElse(PlacementPolicy.NONE));
  }

  /** The zone the type's declaration gives its instances, if it gives one. */
  private Optional<EffectivePlacement.Layer> declared(FunctionModel<?> function) {
    if (function.zone() != null) {
      return Optional.of(dsl("zone", function.zone()));
    }
    if (function.zoneOfTopic() != null) {
      return Optional.of(
          dsl("zone of topic " + function.zoneOfTopic(), zoneOfTopic(function.zoneOfTopic())));
    }
    if (function.zoneOfObject() != null) {
      return Optional.of(
          dsl(
              "zone of object " + function.zoneOfObject(),
              objectZones.getOrDefault(function.zoneOfObject(), defaultZone)));
    }
    return Optional.empty();
  }

  private static EffectivePlacement.Layer dsl(String note, String zone) {
    return new EffectivePlacement.Layer(PlacementSource.DSL, note, PlacementPolicy.inZone(zone));
  }

  /** The address of a sharded function entity id. */
  public static Address addressOf(ZoneEntityId id) {
    int separator = id.key().indexOf('|');
    return new Address(id.key().substring(0, separator), id.key().substring(separator + 1));
  }

  /** The zone a declared topic is created in. */
  public String topicZone(String topic) {
    return topicZones.get(topic);
  }

  /** The zone a topic lives in now: where it was moved to at runtime, else its declared zone. */
  private String zoneOfTopic(String topic) {
    return zoneIn(runtime.find(PlacementKind.TOPIC, topic))
        .orElse(topicZones.getOrDefault(topic, defaultZone));
  }
}
