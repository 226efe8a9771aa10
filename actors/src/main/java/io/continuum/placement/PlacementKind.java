package io.continuum.placement;

import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a placement policy is about. Names: a topic's name, a function type, an instance as {@code
 * type/id}, an object's id.
 */
public enum PlacementKind {
  TOPIC,
  FUNCTION,
  INSTANCE,
  OBJECT;

  /** The lower-case name used on the wire, in the CLI and in management HTTP. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws RejectedException {@code INVALID_ARGUMENT} listing the kinds
   */
  public static PlacementKind parse(String kind) {
    return Arrays.stream(values())
        .filter(k -> k.wireName().equalsIgnoreCase(kind == null ? "" : kind.trim()))
        .findFirst()
        .orElseThrow(
            () ->
                new RejectedException(
                    Reason.INVALID_ARGUMENT,
                    "unknown kind '"
                        + kind
                        + "'; use one of: "
                        + Arrays.stream(values())
                            .map(PlacementKind::wireName)
                            .collect(Collectors.joining(", "))));
  }
}
