package io.continuum.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.continuum.gateway.AnnouncedEndpoints;
import io.continuum.persistence.PersistenceBackend;
import io.continuum.zone.Zone;
import io.continuum.zone.ZoneRoles;
import io.continuum.zone.ZoneTopology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration of a node: system properties, then the given overrides, then {@code
 * application.conf}, then the node defaults and every module's {@code reference.conf}, completed
 * with what follows from them — the zone roles, the announced endpoints, the contact points of
 * cluster bootstrap and the persistence plugin settings.
 */
final class NodeConfig {

  private NodeConfig() {}

  /**
   * Loads and validates a node's configuration.
   *
   * @throws IllegalArgumentException naming the problem, e.g. a zone missing from the topology
   */
  static Config load(Config overrides) {
    Config declared =
        ConfigFactory.defaultOverrides()
            .withFallback(overrides)
            .withFallback(ConfigFactory.defaultApplication())
            .withFallback(ConfigFactory.parseResources(NodeConfig.class, "node.conf"));
    Config view = PersistenceBackend.configure(declared);
    ZoneTopology topology = ZoneTopology.fromConfig(view);
    Zone zone = topology.require(view.getString("continuum.zone"));

    String host = view.getString("continuum.node.host");
    String gateway = host + ":" + view.getInt("continuum.node.gateway-port");
    String management = host + ":" + view.getInt("pekko.management.http.port");
    Set<String> roles = new HashSet<>(ZoneRoles.of(zone));
    roles.addAll(AnnouncedEndpoints.roles(gateway, management));

    List<String> seeds =
        Arrays.stream(view.getString("continuum.cluster.seeds").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    if (seeds.isEmpty()) {
      seeds = List.of(management);
    }
    List<Map<String, Object>> endpoints = new ArrayList<>();
    for (String seed : seeds) {
      int colon = seed.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "invalid seed '"
                + seed
                + "' in continuum.cluster.seeds: expected host:management-port");
      }
      endpoints.add(
          Map.of(
              "host",
              seed.substring(0, colon),
              "port",
              Integer.parseInt(seed.substring(colon + 1))));
    }
    int required = view.getInt("continuum.cluster.required-contacts");

    Config derived =
        ConfigFactory.empty()
            .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
            .withValue(
                "pekko.discovery.config.services.continuum.endpoints",
                ConfigValueFactory.fromIterable(endpoints))
            .withValue(
                "pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr",
                ConfigValueFactory.fromAnyRef(required > 0 ? required : seeds.size()));
    return PersistenceBackend.configure(derived.withFallback(declared));
  }
}
