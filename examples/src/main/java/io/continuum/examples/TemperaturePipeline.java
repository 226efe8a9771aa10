package io.continuum.examples;

import io.continuum.sdk.App;
import io.continuum.sdk.ContinuumApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The temperature pipeline of CANAL (Lin 2021, §4.3.5): sensors publish CPU temperature readings to
 * the edge topic {@code cpu-raw}; the edge function {@code smooth} keeps a one-hour moving average
 * per sensor and publishes it, aligned to five minutes, to {@code cpu-smooth}; the cloud function
 * {@code predict} keeps a simple model per sensor (Holt's linear trend) and publishes the
 * temperature it expects five minutes ahead to {@code prediction}.
 *
 * <pre>
 * bin/continuum topic publish cpu-raw '{"sensorId":"pi-1","celsius":41.5,"timestamp":1700000000000}'
 * bin/continuum topic tail prediction
 * </pre>
 */
public final class TemperaturePipeline implements ContinuumApp {

  static final Duration WINDOW = Duration.ofHours(1);
  static final Duration STEP = Duration.ofMinutes(5);

  /** One CPU temperature reading of a sensor at {@code timestamp} (epoch milliseconds). */
  public record Reading(String sensorId, double celsius, long timestamp) {}

  /**
   * The moving average of a sensor's last hour at {@code timestamp} (aligned to five minutes);
   * {@code readingNo} counts the sensor's readings, so each reading yields exactly one of these.
   */
  public record Smoothed(
      String sensorId, double average, long timestamp, int samples, long readingNo) {}

  /** The temperature {@code predict} expects at {@code forTimestamp}, from {@code readingNo}. */
  public record Prediction(String sensorId, double celsius, long forTimestamp, long readingNo) {}

  /**
   * A sensor's last hour of readings, with the count and sum of every reading it ever handled.
   *
   * @param readings readings within the hour before the newest, oldest first
   * @param count readings handled in all
   * @param sum their total, to check that each counted once
   */
  public record Window(List<Reading> readings, long count, double sum) {
    static final Window EMPTY = new Window(List.of(), 0, 0);

    Window add(Reading reading) {
      long newest = Math.max(reading.timestamp(), readings.isEmpty() ? 0 : last().timestamp());
      long cutoff = newest - WINDOW.toMillis();
      List<Reading> kept = new ArrayList<>();
      for (Reading r : readings) {
        if (r.timestamp() > cutoff) {
          kept.add(r);
        }
      }
      if (reading.timestamp() > cutoff) {
        // A late reading takes its place in time, so that the last reading stays the newest.
        int at = kept.size();
        while (at > 0 && kept.get(at - 1).timestamp() > reading.timestamp()) {
          at--;
        }
        kept.add(at, reading);
      }
      return new Window(List.copyOf(kept), count + 1, sum + reading.celsius());
    }

    double average() {
      return readings.stream().mapToDouble(Reading::celsius).average().orElse(Double.NaN);
    }

    Reading last() {
      return readings.get(readings.size() - 1);
    }
  }

  /**
   * Holt's linear trend model of one sensor: a level and a trend per five-minute step.
   *
   * @param samples smoothed values seen
   * @param level the smoothed temperature
   * @param trend the change per five minutes
   * @param timestamp the time of the newest value
   */
  public record Model(long samples, double level, double trend, long timestamp) {
    static final Model EMPTY = new Model(0, 0, 0, 0);
    static final double ALPHA = 0.5;
    static final double BETA = 0.3;

    Model update(Smoothed value) {
      if (samples == 0) {
        return new Model(1, value.average(), 0, value.timestamp());
      }
      double steps = Math.max(1.0, (value.timestamp() - timestamp) / (double) STEP.toMillis());
      double predicted = level + trend * steps;
      double nextLevel = ALPHA * value.average() + (1 - ALPHA) * predicted;
      double nextTrend = BETA * (nextLevel - level) / steps + (1 - BETA) * trend;
      return new Model(samples + 1, nextLevel, nextTrend, Math.max(timestamp, value.timestamp()));
    }

    double forecast() {
      return level + trend;
    }
  }

  @Override
  public void define(App app) {
    app.topic("cpu-raw").zone("edge-a").history(100_000);
    app.topic("cpu-smooth").zone("edge-a").history(100_000);
    app.topic("prediction").zone("cloud").history(100_000);

    app.function("smooth", Window.class, Window.EMPTY)
        .subscribe("cpu-raw", Reading.class, Reading::sensorId)
        .zoneOfTopic("cpu-raw")
        .on(
            Reading.class,
            (context, window, reading) -> {
              Window next = window.add(reading);
              long aligned =
                  Math.round(reading.timestamp() / (double) STEP.toMillis()) * STEP.toMillis();
              context.publish(
                  "cpu-smooth",
                  new Smoothed(
                      reading.sensorId(),
                      next.average(),
                      aligned,
                      next.readings().size(),
                      next.count()));
              return next;
            });

    app.function("predict", Model.class, Model.EMPTY)
        .subscribe("cpu-smooth", Smoothed.class, Smoothed::sensorId)
        .zone("cloud")
        .on(
            Smoothed.class,
            (context, model, smoothed) -> {
              Model next = model.update(smoothed);
              context.publish(
                  "prediction",
                  new Prediction(
                      smoothed.sensorId(),
                      next.forecast(),
                      smoothed.timestamp() + STEP.toMillis(),
                      smoothed.readingNo()));
              return next;
            });
  }
}
