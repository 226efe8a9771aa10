package io.continuum.object;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.ddata.Replicator;

/**
 * How many replicas of an object a call waits for, within each zone the call touches. {@code local}
 * is always available; {@code majority} and {@code all} fail with {@code UNAVAILABLE} when too few
 * replicas answer in time (a write is still applied locally).
 */
public enum Consistency {
  LOCAL("local"),
  MAJORITY("majority"),
  ALL("all");

  private final String wireName;

  Consistency(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The consistency named {@code name}; {@code local} when empty or null.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Consistency parse(String name) {
    if (name == null || name.isBlank()) {
      return LOCAL;
    }
    String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    return Arrays.stream(values())
        .filter(c -> c.wireName.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "invalid consistency '" + name + "'; use one of: " + wireNames()));
  }

  public static String wireNames() {
    return Arrays.stream(values()).map(Consistency::wireName).collect(Collectors.joining(", "));
  }

  public String wireName() {
    return wireName;
  }

  Replicator.WriteConsistency write(Duration timeout) {
    return switch (this) {
      case LOCAL -> Replicator.writeLocal();
      case MAJORITY -> new Replicator.WriteMajority(timeout);
      case ALL -> new Replicator.WriteAll(timeout);
    };
  }

  Replicator.ReadConsistency read(Duration timeout) {
    return switch (this) {
      case LOCAL -> Replicator.readLocal();
      case MAJORITY -> new Replicator.ReadMajority(timeout);
      case ALL -> new Replicator.ReadAll(timeout);
    };
  }

  @Override
  public String toString() {
    return wireName;
  }
}
