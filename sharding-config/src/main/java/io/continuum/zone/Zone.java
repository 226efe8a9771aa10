package io.continuum.zone;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A named place in the continuum — an edge site or a cloud region — with its tier and the zones
 * that take over its entities, in order, when it has no live node.
 *
 * @param name lower-case DNS-label style name, e.g. {@code edge-farm}
 * @param tier edge or cloud
 * @param fallback zones tried in order when this zone has no live node
 */
public record Zone(String name, Tier tier, List<String> fallback) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  public Zone {
    requireValidName(name);
    fallback = List.copyOf(fallback);
  }

  /**
   * Checks that {@code name} can be a zone name: lower-case letters, digits and dashes, 1 to 63
   * characters, starting and ending with a letter or digit.
   *
   * @throws IllegalArgumentException saying what a valid name looks like
   */
  public static String requireValidName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid zone name '"
              + name
              + "': use 1-63 lower-case letters, digits and dashes, e.g. edge-a");
    }
    return name;
  }
}
