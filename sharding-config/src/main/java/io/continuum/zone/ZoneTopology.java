package io.continuum.zone;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The zones of a deployment and how they fall back on each other. Read from {@code continuum.zones}
 * and validated as a whole: every fallback names a declared zone and no zone falls back on itself.
 *
 * <pre>{@code
 * continuum.zones {
 *   edge-a { tier = edge, fallback = [cloud] }
 *   cloud  { tier = cloud }
 * }
 * }</pre>
 */
public final class ZoneTopology {

  private final Map<String, Zone> zones;

  private ZoneTopology(Map<String, Zone> zones) {
    this.zones = Collections.unmodifiableMap(zones);
  }

  /** Builds and validates a topology from zones. */
  public static ZoneTopology of(Collection<Zone> zones) {
    Map<String, Zone> byName = new LinkedHashMap<>();
    for (Zone zone : zones) {
      if (byName.put(zone.name(), zone) != null) {
        throw new IllegalArgumentException("zone '" + zone.name() + "' is declared twice");
      }
    }
    if (byName.isEmpty()) {
      throw new IllegalArgumentException(
          "the topology declares no zone: add one under continuum.zones");
    }
    ZoneTopology topology = new ZoneTopology(byName);
    topology.validate();
    return topology;
  }

  /**
   * Reads the topology from configuration: the compact string {@code continuum.topology} when set,
   * else the object {@code continuum.zones}, else a topology of this node's zone alone.
   */
  public static ZoneTopology fromConfig(Config config) {
    String compact = config.getString("continuum.topology").trim();
    if (!compact.isEmpty()) {
      return parse(compact);
    }
    if (!config.hasPath("continuum.zones")) {
      return of(
          List.of(
              new Zone(
                  config.getString("continuum.zone"),
                  Tier.parse(config.getString("continuum.tier")),
                  List.of())));
    }
    ConfigObject object = config.getObject("continuum.zones");
    List<Zone> zones = new ArrayList<>();
    for (String name : new TreeSet<>(object.keySet())) {
      Config zone = object.toConfig().getConfig("\"" + name + "\"");
      List<String> fallback = zone.hasPath("fallback") ? zone.getStringList("fallback") : List.of();
      zones.add(new Zone(name, Tier.parse(zone.getString("tier")), fallback));
    }
    return of(zones);
  }

  /**
   * Parses the compact form {@code "edge-a:edge>cloud, cloud:cloud"}: comma-separated zones, each
   * {@code name:tier} followed by its fallback chain, each fallback after a {@code >}.
   */
  public static ZoneTopology parse(String compact) {
    List<Zone> zones = new ArrayList<>();
    for (String part : compact.split(",")) {
      String[] chain = part.trim().split(">");
      String[] head = chain[0].trim().split(":");
      if (head.length != 2) {
        throw new IllegalArgumentException(
            "invalid zone '" + part.trim() + "' in topology: expected <zone>:<tier>[>fallback...]");
      }
      List<String> fallback = new ArrayList<>();
      for (int i = 1; i < chain.length; i++) {
        fallback.add(chain[i].trim());
      }
      zones.add(new Zone(head[0].trim(), Tier.parse(head[1].trim()), fallback));
    }
    return of(zones);
  }

  /** The compact form of this topology, as accepted by {@link #parse(String)}. */
  public String toCompact() {
    List<String> parts = new ArrayList<>();
    for (Zone zone : zones.values()) {
      StringBuilder part =
          new StringBuilder(zone.name()).append(':').append(zone.tier().configName());
      zone.fallback().forEach(f -> part.append('>').append(f));
      parts.add(part.toString());
    }
    return String.join(",", parts);
  }

  private void validate() {
    for (Zone zone : zones.values()) {
      for (String next : zone.fallback()) {
        if (!zones.containsKey(next)) {
          throw new IllegalArgumentException(
              "zone '" + zone.name() + "' falls back on unknown zone '" + next + "'; " + known());
        }
        if (next.equals(zone.name())) {
          throw new IllegalArgumentException("zone '" + zone.name() + "' falls back on itself");
        }
      }
    }
  }

  /** All zones, in declaration order. */
  public Collection<Zone> zones() {
    return zones.values();
  }

  /** The zone of that name, if declared. */
  public Optional<Zone> find(String name) {
    return Optional.ofNullable(zones.get(name));
  }

  /**
   * The zone of that name.
   *
   * @throws IllegalArgumentException naming the declared zones when it is not one of them
   */
  public Zone require(String name) {
    Zone zone = zones.get(name);
    if (zone == null) {
      throw new IllegalArgumentException("unknown zone '" + name + "'; " + known());
    }
    return zone;
  }

  /**
   * Where the entities of {@code zone} may live, in order of preference: the zone itself, then its
   * own fallback zones in declared order, then theirs (breadth first), each zone once. Fallback
   * chains may refer back to earlier zones; those are skipped.
   */
  public List<String> placementChain(String zone) {
    List<String> chain = new ArrayList<>();
    if (!zones.containsKey(zone)) {
      return chain;
    }
    chain.add(zone);
    for (int next = 0; next < chain.size(); next++) {
      for (String fallback : zones.get(chain.get(next)).fallback()) {
        if (!chain.contains(fallback)) {
          chain.add(fallback);
        }
      }
    }
    return chain;
  }

  /** A sentence listing the declared zones, for error messages. */
  public String known() {
    return "declared zones: " + String.join(", ", zones.keySet());
  }
}
