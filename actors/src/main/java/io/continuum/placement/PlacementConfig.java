package io.continuum.placement;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster configuration's layer of placement, {@code continuum.placement}: per kind, per name,
 * {@code zone}, {@code allowed}, {@code replicas} and {@code routing}.
 *
 * <pre>
 * continuum.placement.function.smooth { zone = cloud, allowed = [cloud, edge-a] }
 * continuum.placement.topic.cpu-raw.routing = least_conn
 * </pre>
 */
public final class PlacementConfig implements PlacementOverrides {

  private final Map<String, PlacementPolicy> policies;

  private PlacementConfig(Map<String, PlacementPolicy> policies) {
    this.policies = Map.copyOf(policies);
  }

  /**
   * @throws IllegalArgumentException naming the setting when one is malformed
   */
  public static PlacementConfig fromConfig(Config config) {
    Map<String, PlacementPolicy> policies = new HashMap<>();
    if (config.hasPath("continuum.placement")) {
      ConfigObject kinds = config.getObject("continuum.placement");
      for (Map.Entry<String, ConfigValue> kind : kinds.entrySet()) {
        PlacementKind parsed = parseKind(kind.getKey());
        for (Map.Entry<String, ConfigValue> named : ((ConfigObject) kind.getValue()).entrySet()) {
          Config entry = ((ConfigObject) named.getValue()).toConfig();
          policies.put(
              PlacementDirectory.key(parsed, named.getKey()),
              new PlacementPolicy(
                  entry.hasPath("zone") ? entry.getString("zone") : null,
                  entry.hasPath("allowed") ? entry.getStringList("allowed") : List.of(),
                  entry.hasPath("replicas") ? entry.getInt("replicas") : null,
                  entry.hasPath("routing") ? Routing.parse(entry.getString("routing")) : null));
        }
      }
    }
    return new PlacementConfig(policies);
  }

  private static PlacementKind parseKind(String kind) {
    try {
      return PlacementKind.parse(kind);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("continuum.placement." + kind + ": " + e.getMessage());
    }
  }

  @Override
  public Optional<PlacementPolicy> find(PlacementKind kind, String name) {
    return Optional.ofNullable(policies.get(PlacementDirectory.key(kind, name)));
  }
}
