package io.continuum.placement;

import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.serialization.CborSerializable;
import io.continuum.zone.ZoneTopology;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What one layer (config, DSL, runtime override) says about where something lives; {@code null} (or
 * an empty list) means "this layer does not say", and the layer below decides.
 *
 * @param zone the home zone
 * @param allowedZones the zones it may run in (the home zone first when both are set)
 * @param replicas for objects, how many of the allowed zones hold a replica
 * @param routing how calls pick a node among those that may serve them
 */
public record PlacementPolicy(
    String zone, List<String> allowedZones, Integer replicas, Routing routing)
    implements CborSerializable {

  /** A layer that says nothing. */
  public static final PlacementPolicy NONE = new PlacementPolicy(null, List.of(), null, null);

  public PlacementPolicy {
    allowedZones = List.copyOf(Objects.requireNonNullElse(allowedZones, List.of()));
  }

  /** A layer that only names the home zone. */
  public static PlacementPolicy inZone(String zone) {
    return new PlacementPolicy(zone, List.of(), null, null);
  }

  /**
   * This policy, checked against the topology: zones known, the home zone among the allowed zones,
   * replicas between 1 and the allowed zones.
   *
   * @throws RejectedException {@code INVALID_ARGUMENT} saying what is valid
   */
  public PlacementPolicy validate(ZoneTopology topology) {
    for (String z : zoneNames()) {
      if (topology.find(z).isEmpty()) {
        throw invalid("unknown zone '" + z + "'; " + topology.known());
      }
    }
    if (new HashSet<>(allowedZones).size() != allowedZones.size()) {
      throw invalid("allowed zones " + allowedZones + " name a zone twice");
    }
    if (zone != null && !allowedZones.isEmpty() && !allowedZones.contains(zone)) {
      throw invalid(
          "the allowed zones "
              + String.join(",", allowedZones)
              + " exclude the home zone '"
              + zone
              + "'; add it, or pick a home zone among them");
    }
    if (replicas != null) {
      int limit = allowedZones.isEmpty() ? topology.zones().size() : allowedZones.size();
      if (replicas < 1 || replicas > limit) {
        throw invalid(
            "replicas must be between 1 and "
                + limit
                + " (the "
                + (allowedZones.isEmpty() ? "cluster's" : "allowed")
                + " zones), was "
                + replicas);
      }
    }
    return this;
  }

  private List<String> zoneNames() {
    return zone == null
        ? allowedZones
        : java.util.stream.Stream.concat(java.util.stream.Stream.of(zone), allowedZones.stream())
            .toList();
  }

  private static RejectedException invalid(String message) {
    return new RejectedException(Reason.INVALID_ARGUMENT, message);
  }
}
