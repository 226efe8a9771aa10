package io.continuum.bench;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load generator: {@code concurrency} callers each issue the next operation as soon
 * as the previous one completes, for a warm-up and then a measured duration. Latencies go to an
 * HdrHistogram; a progress line is printed every second.
 */
public final class LoadGenerator {

  /** The measured outcome of a run. */
  public record Result(
      String name,
      int concurrency,
      long operations,
      long errors,
      double seconds,
      double throughput,
      double p50Millis,
      double p99Millis,
      double p999Millis,
      double maxMillis) {

    @Override
    public String toString() {
      return String.format(
          "%s c=%d: %d ops in %.1f s = %.0f ops/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms,"
              + " max %.2f ms, errors %d",
          name,
          concurrency,
          operations,
          seconds,
          throughput,
          p50Millis,
          p99Millis,
          p999Millis,
          maxMillis,
          errors);
    }
  }

  private LoadGenerator() {}

  /**
   * Runs {@code operation} (given a sequence number, starting at 1) closed-loop.
   *
   * @return figures of the measured period only
   */
  public static Result run(
      String name,
      int concurrency,
      Duration warmUp,
      Duration duration,
      LongFunction<CompletionStage<?>> operation)
      throws InterruptedException {
    Recorder recorder = new Recorder(3);
    AtomicLong sequence = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong completed = new AtomicLong();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      issue(operation, sequence, recorder, errors, completed, measuring, running, done);
    }
    Thread.sleep(warmUp.toMillis());
    recorder.reset();
    errors.set(0);
    completed.set(0);
    measuring.set(true);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long lastCompleted = 0;
    while (System.nanoTime() < end) {
      Thread.sleep(1000);
      long now = completed.get();
      System.out.printf(
          "  %s c=%d: %d ops/s, %d errors%n", name, concurrency, now - lastCompleted, errors.get());
      lastCompleted = now;
    }
    running.set(false);
    double seconds = (System.nanoTime() - start) / 1e9;
    var histogram = recorder.getIntervalHistogram();
    done.await();
    return new Result(
        name,
        concurrency,
        histogram.getTotalCount(),
        errors.get(),
        seconds,
        histogram.getTotalCount() / seconds,
        histogram.getValueAtPercentile(50) / 1e6,
        histogram.getValueAtPercentile(99) / 1e6,
        histogram.getValueAtPercentile(99.9) / 1e6,
        histogram.getMaxValue() / 1e6);
  }

  private static void issue(
      LongFunction<CompletionStage<?>> operation,
      AtomicLong sequence,
      Recorder recorder,
      AtomicLong errors,
      AtomicLong completed,
      AtomicBoolean measuring,
      AtomicBoolean running,
      CountDownLatch done) {
    if (!running.get()) {
      done.countDown();
      return;
    }
    long started = System.nanoTime();
    operation
        .apply(sequence.incrementAndGet())
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                errors.incrementAndGet();
              } else {
                recorder.recordValue(System.nanoTime() - started);
                completed.incrementAndGet();
              }
              issue(operation, sequence, recorder, errors, completed, measuring, running, done);
            });
  }
}
