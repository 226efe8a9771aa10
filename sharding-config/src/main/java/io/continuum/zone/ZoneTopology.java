package io.continuum.zone;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The zones of a deployment, how they fall back on each other and, optionally, the latency between
 * them (for {@code nearest} routing). Read from {@code continuum.zones} and {@code
 * continuum.latencies} and validated as a whole: every fallback and latency names a declared zone,
 * no zone falls back on itself, and latencies are not negative.
 *
 * <pre>{@code
 * continuum.zones {
 *   edge-a { tier = edge, fallback = [cloud] }
 *   cloud  { tier = cloud }
 * }
 * continuum.latencies = "edge-a/cloud = 18ms"
 * }</pre>
 */
public final class ZoneTopology {

  private final Map<String, Zone> zones;
  private final Map<String, Map<String, Duration>> latencies;

  private ZoneTopology(Map<String, Zone> zones, Map<String, Map<String, Duration>> latencies) {
    this.zones = Collections.unmodifiableMap(zones);
    this.latencies = latencies;
  }

  /** Builds and validates a topology from zones, without a latency table. */
  public static ZoneTopology of(Collection<Zone> zones) {
    return of(zones, "");
  }

  /**
   * Builds and validates a topology from zones and a latency table in compact form: {@code
   * "<zone>/<zone> = <duration>"} separated by commas, e.g. {@code "edge-a/cloud = 18ms,
   * edge-b/cloud = 25ms"}. Each latency holds both ways; a zone is 0 from itself.
   */
  public static ZoneTopology of(Collection<Zone> zones, String latencies) {
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
    ZoneTopology topology = new ZoneTopology(byName, new LinkedHashMap<>());
    topology.validate();
    topology.parseLatencies(latencies);
    return topology;
  }

  private void parseLatencies(String compact) {
    for (String part : compact.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] pairAndValue = part.split("=");
      String[] pair = pairAndValue[0].split("/");
      if (pairAndValue.length != 2 || pair.length != 2) {
        throw new IllegalArgumentException(
            "invalid latency '"
                + part.trim()
                + "': expected <zone>/<zone> = <duration>, e.g. edge-a/cloud = 18ms");
      }
      String from = require(pair[0].trim()).name();
      String to = require(pair[1].trim()).name();
      Duration latency;
      try {
        latency = ConfigFactory.parseString("d = " + pairAndValue[1].trim()).getDuration("d");
      } catch (ConfigException e) {
        throw new IllegalArgumentException(
            "invalid latency '"
                + part.trim()
                + "': '"
                + pairAndValue[1].trim()
                + "' is no duration"
                + " (e.g. 18ms)");
      }
      if (latency.isNegative()) {
        throw new IllegalArgumentException("invalid latency '" + part.trim() + "': negative");
      }
      latencies.computeIfAbsent(from, z -> new LinkedHashMap<>()).put(to, latency);
      latencies.computeIfAbsent(to, z -> new LinkedHashMap<>()).put(from, latency);
    }
  }

  /**
   * Reads the topology from configuration: the compact string {@code continuum.topology} when set,
   * else the object {@code continuum.zones}, else a topology of this node's zone alone.
   */
  public static ZoneTopology fromConfig(Config config) {
    String latencies =
        config.hasPath("continuum.latencies") ? config.getString("continuum.latencies") : "";
    String compact = config.getString("continuum.topology").trim();
    if (!compact.isEmpty()) {
      return of(parse(compact).zones(), latencies);
    }
    if (!config.hasPath("continuum.zones")) {
      return of(
          List.of(
              new Zone(
                  config.getString("continuum.zone"),
                  Tier.parse(config.getString("continuum.tier")),
                  List.of())),
          latencies);
    }
    ConfigObject object = config.getObject("continuum.zones");
    List<Zone> zones = new ArrayList<>();
    for (String name : new TreeSet<>(object.keySet())) {
      Config zone = object.toConfig().getConfig("\"" + name + "\"");
      List<String> fallback = zone.hasPath("fallback") ? zone.getStringList("fallback") : List.of();
      zones.add(new Zone(name, Tier.parse(zone.getString("tier")), fallback));
    }
    return of(zones, latencies);
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

  /** The latency between two zones, when the table declares it; zero from a zone to itself. */
  public Optional<Duration> latency(String from, String to) {
    if (from.equals(to)) {
      return Optional.of(Duration.ZERO);
    }
    return Optional.ofNullable(latencies.getOrDefault(from, Map.of()).get(to));
  }

  /** The declared latencies, each pair both ways. */
  public Map<String, Map<String, Duration>> latencies() {
    return Collections.unmodifiableMap(latencies);
  }

  /**
   * How far {@code to} is from {@code from}, for {@code nearest} routing (smaller is nearer): the
   * latency in microseconds when the table declares it; otherwise, after every declared latency,
   * the position of {@code to} in the placement chain of {@code from}; zones outside that chain
   * last.
   */
  public long distance(String from, String to) {
    Optional<Duration> latency = latency(from, to);
    if (latency.isPresent()) {
      return latency.get().toNanos() / 1000;
    }
    int position = placementChain(from).indexOf(to);
    return position < 0 ? Long.MAX_VALUE : Long.MAX_VALUE / 2 + position;
  }

  /** A sentence listing the declared zones, for error messages. */
  public String known() {
    return "declared zones: " + String.join(", ", zones.keySet());
  }
}
