package io.continuum.placement;

import java.util.Locale;

/**
 * The layer a placement setting comes from, lowest first: each layer overrides the ones before it.
 */
public enum PlacementSource {
  /** Built in: the cluster's default zone (its first cloud zone), round robin. */
  DEFAULT,
  /** The cluster's configuration, {@code continuum.placement}. */
  CONFIG,
  /** The application's declaration. */
  DSL,
  /** Where an existing topic or object was created. */
  CREATED,
  /** An operator's override, {@code bin/continuum placement set}. */
  RUNTIME;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
