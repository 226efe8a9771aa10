package io.continuum.function;

import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.sdk.Address;
import io.continuum.sdk.model.FunctionModel;
import io.continuum.sharding.ZoneEntityId;
import io.continuum.zone.Tier;
import io.continuum.zone.ZoneTopology;
import java.util.Map;

/**
 * Where a function instance lives: the zone its type declares for its id, else the type's zone,
 * else the zone of the topic it follows, else the first zone of the object it follows, else the
 * cluster's default zone (the first cloud zone).
 */
public final class FunctionPlacement {

  private final ZoneTopology topology;
  private final Map<String, String> topicZones;
  private final Map<String, String> objectZones;
  private final String defaultZone;

  /**
   * @param topicZones the home zone of every topic the application declares
   * @param objectZones the first zone of every object the application declares
   */
  public FunctionPlacement(
      ZoneTopology topology, Map<String, String> topicZones, Map<String, String> objectZones) {
    this.topology = topology;
    this.topicZones = Map.copyOf(topicZones);
    this.objectZones = Map.copyOf(objectZones);
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
    String zone =
        function
            .instanceZone(id)
            .orElseGet(
                () -> {
                  if (function.zone() != null) {
                    return function.zone();
                  }
                  if (function.zoneOfTopic() != null) {
                    return topicZones.getOrDefault(function.zoneOfTopic(), defaultZone);
                  }
                  if (function.zoneOfObject() != null) {
                    return objectZones.getOrDefault(function.zoneOfObject(), defaultZone);
                  }
                  return defaultZone;
                });
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
