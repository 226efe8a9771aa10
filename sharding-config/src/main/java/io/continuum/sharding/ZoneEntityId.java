package io.continuum.sharding;

import io.continuum.zone.Zone;

/**
 * The sharded identity of anything that lives in a zone: {@code <zone>|<key>}. The shard id is
 * {@code <zone>|<hash(key) mod N>}, so a shard never mixes zones and the allocation strategy can
 * place it by its prefix alone. Persistence ids never carry the zone, so history survives a move.
 *
 * @param zone the home zone
 * @param key the name within its kind, e.g. a topic name; may contain {@code |}
 */
public record ZoneEntityId(String zone, String key) {

  static final char SEPARATOR = '|';

  public ZoneEntityId {
    Zone.requireValidName(zone);
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("entity key must not be empty");
    }
  }

  /** Parses {@code <zone>|<key>}. */
  public static ZoneEntityId parse(String entityId) {
    int separator = entityId.indexOf(SEPARATOR);
    if (separator <= 0) {
      throw new IllegalArgumentException(
          "entity id '" + entityId + "' is not of the form <zone>|<key>");
    }
    return new ZoneEntityId(entityId.substring(0, separator), entityId.substring(separator + 1));
  }

  /** The shard this entity belongs to among {@code shardsPerZone} shards of its zone. */
  public String shardId(int shardsPerZone) {
    return zone + SEPARATOR + Math.floorMod(key.hashCode(), shardsPerZone);
  }

  /** The zone a shard id belongs to. */
  public static String zoneOfShard(String shardId) {
    int separator = shardId.indexOf(SEPARATOR);
    return separator < 0 ? shardId : shardId.substring(0, separator);
  }

  @Override
  public String toString() {
    return zone + SEPARATOR + key;
  }
}
