package io.continuum.placement;

import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a call that may run on several nodes picks one (FaDO's load-balancing policies): in turn, the
 * node with the fewest calls in flight, at random, or the node of the zone nearest the gateway.
 */
public enum Routing {
  ROUND_ROBIN,
  LEAST_CONN,
  RANDOM,
  NEAREST;

  /** The name on the wire, e.g. {@code least_conn}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws RejectedException {@code INVALID_ARGUMENT} listing the policies
   */
  public static Routing parse(String routing) {
    return Arrays.stream(values())
        .filter(r -> r.wireName().equalsIgnoreCase(routing == null ? "" : routing.trim()))
        .findFirst()
        .orElseThrow(
            () ->
                new RejectedException(
                    Reason.INVALID_ARGUMENT,
                    "unknown routing '"
                        + routing
                        + "'; use one of: "
                        + Arrays.stream(values())
                            .map(Routing::wireName)
                            .collect(Collectors.joining(", "))));
  }
}
