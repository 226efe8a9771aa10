package io.continuum.placement;

import java.util.Optional;

/** A layer of placement kept by name: the cluster configuration, or the runtime directory. */
@FunctionalInterface
public interface PlacementOverrides {

  /** Says nothing about anything. */
  PlacementOverrides NONE = (kind, name) -> Optional.empty();

  /** What this layer says about a thing, if anything. */
  Optional<PlacementPolicy> find(PlacementKind kind, String name);
}
