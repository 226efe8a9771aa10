package io.continuum.gateway;

import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.grpc.javadsl.Metadata;

/**
 * Reads a call's deadline from its {@code grpc-timeout} header (e.g. {@code 250m}, {@code 10S}).
 */
final class Deadlines {

  private Deadlines() {}

  /** The time left for a call, if its client set a deadline. */
  static Optional<Duration> of(Metadata metadata) {
    return metadata.getText("grpc-timeout").flatMap(Deadlines::parse);
  }

  static Optional<Duration> parse(String timeout) {
    if (timeout.length() < 2) {
      return Optional.empty();
    }
    long amount;
    try {
      amount = Long.parseLong(timeout.substring(0, timeout.length() - 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return switch (timeout.charAt(timeout.length() - 1)) {
      case 'H' -> Optional.of(Duration.ofHours(amount));
      case 'M' -> Optional.of(Duration.ofMinutes(amount));
      case 'S' -> Optional.of(Duration.ofSeconds(amount));
      case 'm' -> Optional.of(Duration.ofMillis(amount));
      case 'u' -> Optional.of(Duration.ofNanos(amount * 1_000));
      case 'n' -> Optional.of(Duration.ofNanos(amount));
      default -> Optional.empty();
    };
  }
}
