package io.continuum.node.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A duration option such as {@code --duplicate-window 5m}: a whole number and a unit, {@code ms},
 * {@code s}, {@code m} or {@code h}. The server writes durations the same way in its messages; the
 * client keeps its own copy because it runs without the node's classes.
 */
final class DurationOption implements CommandLine.ITypeConverter<Duration> {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
  private static final long[] UNIT_MILLIS = {3_600_000, 60_000, 1000};
  private static final String[] UNITS = {"h", "m", "s"};

  @Override
  public Duration convert(String text) {
    Matcher matcher = DURATION.matcher(text.trim());
    if (!matcher.matches()) {
      throw new CommandLine.TypeConversionException(
          "invalid duration '" + text + "': use a whole number and ms, s, m or h, e.g. 5m");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /** Milliseconds in their largest whole unit: {@code 2m}, {@code 90s}, {@code 1500ms}. */
  static String text(long millis) {
    for (int i = 0; i < UNITS.length; i++) {
      if (millis != 0 && millis % UNIT_MILLIS[i] == 0) {
        return millis / UNIT_MILLIS[i] + UNITS[i];
      }
    }
    return millis + "ms";
  }
}
