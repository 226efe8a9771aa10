package io.continuum.placement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where something lives and why: each setting with the layer it comes from.
 *
 * @param kind what it is
 * @param name its name
 * @param zone the home zone
 * @param allowedZones the zones it may run in
 * @param replicas how many zones hold a replica (1 for everything but objects)
 * @param routing how calls pick a node
 * @param sources for each of {@code zone}, {@code allowed}, {@code replicas}, {@code routing}, the
 *     layer that decided it, with a note (e.g. {@code dsl: zone of topic cpu-raw})
 */
public record EffectivePlacement(
    PlacementKind kind,
    String name,
    String zone,
    List<String> allowedZones,
    int replicas,
    Routing routing,
    Map<String, String> sources) {

  /** True when the home zone is one of the allowed zones. */
  public boolean isConsistent() {
    return allowedZones.contains(zone);
  }

  /** One layer of a policy, with why it says what it says. */
  public record Layer(PlacementSource source, String note, PlacementPolicy policy) {

    String explain() {
      return note == null || note.isEmpty() ? source.wireName() : source.wireName() + ": " + note;
    }
  }

  /**
   * Resolves layers, lowest first (each overrides what it sets). The allowed zones default to the
   * home zone alone; replicas to 1; routing to round robin. Allowed zones that exclude the home
   * zone are kept as they are: {@link #isConsistent} tells.
   *
   * @throws IllegalArgumentException when no layer names a zone
   */
  public static EffectivePlacement resolve(PlacementKind kind, String name, List<Layer> layers) {
    String zone = null;
    List<String> allowed = List.of();
    Integer replicas = null;
    Routing routing = null;
    Map<String, String> sources = new LinkedHashMap<>();
    for (Layer layer : layers) {
      PlacementPolicy policy = layer.policy();
      if (policy.zone() != null) {
        zone = policy.zone();
        sources.put("zone", layer.explain());
      }
      if (!policy.allowedZones().isEmpty()) {
        allowed = policy.allowedZones();
        sources.put("allowed", layer.explain());
      }
      if (policy.replicas() != null) {
        replicas = policy.replicas();
        sources.put("replicas", layer.explain());
      }
      if (policy.routing() != null) {
        routing = policy.routing();
        sources.put("routing", layer.explain());
      }
    }
    if (zone == null) {
      throw new IllegalArgumentException("no layer places " + kind.wireName() + " " + name);
    }
    if (allowed.isEmpty()) {
      allowed = List.of(zone);
      sources.put("allowed", "the home zone");
    }
    sources.putIfAbsent("replicas", PlacementSource.DEFAULT.wireName());
    sources.putIfAbsent("routing", PlacementSource.DEFAULT.wireName());
    return new EffectivePlacement(
        kind,
        name,
        zone,
        List.copyOf(allowed),
        replicas == null ? 1 : replicas,
        routing == null ? Routing.ROUND_ROBIN : routing,
        Map.copyOf(sources));
  }
}
