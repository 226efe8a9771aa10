package io.continuum.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import io.continuum.gateway.AnnouncedEndpoints;
import io.continuum.persistence.PersistenceBackend;
import io.continuum.zone.Zone;
import io.continuum.zone.ZoneRoles;
import io.continuum.zone.ZoneTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration of a node: system properties, then the given overrides, then {@code
 * application.conf}, then the node defaults, Continuum's modules' {@code reference.conf} and every
 * other library's, completed with what follows from them — the zone roles, the announced endpoints,
 * the contact points of cluster bootstrap and the persistence plugin settings.
 */
final class NodeConfig {

  private static final String CONFIG_DISCOVERY = "config";
  private static final String KUBERNETES_DISCOVERY = "kubernetes-api";
  private static final String REQUIRED_CONTACTS =
      "pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr";

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
            .withFallback(ConfigFactory.parseResources(NodeConfig.class, "node.conf"))
            .withFallback(continuumReference(NodeConfig.class.getClassLoader()));
    Config view = declared.withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve();
    MessageLimits.check(view);
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
    String discovery = view.getString("continuum.cluster.discovery");
    String serviceName = view.getString("continuum.cluster.service-name");

    Config derived =
        ConfigFactory.empty()
            .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
            .withValue(
                ConfigUtil.joinPath("pekko", "discovery", "config", "services", serviceName)
                    + ".endpoints",
                ConfigValueFactory.fromIterable(endpoints));
    switch (discovery) {
      case CONFIG_DISCOVERY ->
          derived =
              derived.withValue(
                  REQUIRED_CONTACTS,
                  ConfigValueFactory.fromAnyRef(required > 0 ? required : seeds.size()));
      case KUBERNETES_DISCOVERY -> {
        // Without a count, Pekko's default of 2 applies.
        if (required > 0) {
          derived = derived.withValue(REQUIRED_CONTACTS, ConfigValueFactory.fromAnyRef(required));
        }
        derived =
            derived.withValue(
                "pekko.management.cluster.bootstrap.contact-point-discovery.port-name",
                ConfigValueFactory.fromAnyRef(
                    view.getString("continuum.cluster.kubernetes.management-port-name")));
      }
      default ->
          throw new IllegalArgumentException(
              "unknown discovery '"
                  + discovery
                  + "' in continuum.cluster.discovery (CONTINUUM_DISCOVERY): expected "
                  + CONFIG_DISCOVERY
                  + " or "
                  + KUBERNETES_DISCOVERY);
    }
    return PersistenceBackend.configure(derived.withFallback(declared));
  }

  /**
   * The {@code reference.conf} of Continuum's own modules (those that declare {@code continuum}
   * settings), above every other library's. Some set Pekko's settings — the remoting frame, the
   * sharding coordinator's writes — and among {@code reference.conf} files the first on the
   * classpath wins: in the distribution ({@code lib/*}, in directory order) that was Pekko's own,
   * and a node ran with a 256 KiB frame and Pekko's sharding defaults.
   */
  static Config continuumReference(ClassLoader classLoader) {
    Config merged = ConfigFactory.empty();
    try {
      Enumeration<URL> found = classLoader.getResources("reference.conf");
      while (found.hasMoreElements()) {
        Config reference = ConfigFactory.parseURL(found.nextElement());
        if (reference.hasPath("continuum")) {
          merged = merged.withFallback(reference);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the reference.conf files: " + e.getMessage(), e);
    }
    return merged;
  }
}
