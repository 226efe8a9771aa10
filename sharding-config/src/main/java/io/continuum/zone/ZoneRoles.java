package io.continuum.zone;

import java.util.Optional;
import java.util.Set;
import org.apache.pekko.cluster.Member;

/**
 * How a node's zone and tier are carried in its cluster roles ({@code zone:edge-a}, {@code
 * tier:edge}), so that every member knows every other member's zone from membership alone.
 */
public final class ZoneRoles {

  private static final String ZONE_PREFIX = "zone:";
  private static final String TIER_PREFIX = "tier:";

  private ZoneRoles() {}

  /** The roles a node of {@code zone} joins with. */
  public static Set<String> of(Zone zone) {
    return Set.of(ZONE_PREFIX + zone.name(), TIER_PREFIX + zone.tier().configName());
  }

  /** The role that marks the members of {@code zone}. */
  public static String zoneRole(String zone) {
    return ZONE_PREFIX + zone;
  }

  /** The zone of a member, if it joined with a zone role. */
  public static Optional<String> zoneOf(Member member) {
    return zoneOf(member.getRoles());
  }

  /** The zone named by a set of roles, if any. */
  public static Optional<String> zoneOf(Set<String> roles) {
    return roles.stream()
        .filter(role -> role.startsWith(ZONE_PREFIX))
        .map(role -> role.substring(ZONE_PREFIX.length()))
        .findFirst();
  }
}
