package io.continuum.zone;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a zone sits in the continuum: at the edge, close to devices, or in a cloud region. */
public enum Tier {
  EDGE,
  CLOUD;

  /** The lower-case name used in configuration and on the wire ({@code edge}, {@code cloud}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a tier from configuration.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Tier parse(String value) {
    for (Tier tier : values()) {
      if (tier.configName().equalsIgnoreCase(value)) {
        return tier;
      }
    }
    throw new IllegalArgumentException(
        "unknown tier '"
            + value
            + "', expected one of "
            + Arrays.stream(values()).map(Tier::configName).collect(Collectors.joining(", ")));
  }
}
