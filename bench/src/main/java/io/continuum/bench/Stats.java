package io.continuum.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The runs of one figure aggregated: the median with the smallest and largest value, or for a count
 * (errors) the sum.
 *
 * @param value the median, or the sum of a count
 * @param min the smallest run
 * @param max the largest run
 * @param runs how many runs
 * @param summed whether {@code value} is a sum
 */
public record Stats(double value, double min, double max, int runs, boolean summed) {

  /** The median of {@code values}, the mean of the middle two for an even count. */
  static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** The median, min and max of the runs. */
  static Stats of(List<Double> runs) {
    double[] values = runs.stream().mapToDouble(Double::doubleValue).toArray();
    return new Stats(
        median(values),
        Arrays.stream(values).min().orElseThrow(),
        Arrays.stream(values).max().orElseThrow(),
        values.length,
        false);
  }

  /** The sum of the runs (errors of every run), with the min and max of one run. */
  static Stats sum(List<Double> runs) {
    double[] values = runs.stream().mapToDouble(Double::doubleValue).toArray();
    return new Stats(
        Arrays.stream(values).sum(),
        Arrays.stream(values).min().orElseThrow(),
        Arrays.stream(values).max().orElseThrow(),
        values.length,
        true);
  }

  /** {@code median (min–max)} when the runs differ, else the value alone. */
  String text() {
    if (summed || runs < 2 || format(min).equals(format(max))) {
      return format(value);
    }
    return format(value) + " (" + format(min) + "–" + format(max) + ")";
  }

  /** A figure for the table: integers with separators, else 2 decimals below 100. */
  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    return Math.abs(value) >= 100
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }
}
