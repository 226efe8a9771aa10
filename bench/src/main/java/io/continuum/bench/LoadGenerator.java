package io.continuum.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives an {@link Operation} for a warm-up and then a measured duration, recording latencies in an
 * HdrHistogram and printing a progress line every second.
 *
 * <p><b>Closed loop</b> ({@code rate == 0}): {@code concurrency} callers each start their next
 * operation as soon as the previous one completes; latency is from start to completion.
 *
 * <p><b>Open loop</b> ({@code rate > 0}): operations are due at a fixed rate, whatever the system
 * does; at most {@code concurrency} are in flight, and a due operation waits for a free slot.
 * Latency is measured from the moment the operation was <em>due</em>, so time spent waiting behind
 * a slow system counts (no coordinated omission).
 */
public final class LoadGenerator {

  /**
   * How to drive the load.
   *
   * @param concurrency callers (closed loop) or the most operations in flight (open loop)
   * @param rate operations per second for the open loop; 0 for the closed loop
   * @param warmUp run but not measured
   * @param duration measured
   */
  public record Plan(int concurrency, double rate, Duration warmUp, Duration duration) {

    /** Checks the values. */
    public Plan {
      if (concurrency < 1 || rate < 0 || warmUp.isNegative() || duration.isNegative()) {
        throw new IllegalArgumentException("bad plan: " + concurrency + ", " + rate);
      }
    }

    /** {@code closed} or {@code open}. */
    public String mode() {
      return rate == 0 ? "closed" : "open";
    }
  }

  /** The figures of the measured period. */
  public record Result(
      long operations,
      long errors,
      double seconds,
      double throughput,
      double p50Millis,
      double p99Millis,
      double p999Millis,
      double maxMillis) {

    static Result of(Histogram histogram, long errors, double seconds) {
      return new Result(
          histogram.getTotalCount(),
          errors,
          seconds,
          histogram.getTotalCount() / seconds,
          histogram.getValueAtPercentile(50) / 1e6,
          histogram.getValueAtPercentile(99) / 1e6,
          histogram.getValueAtPercentile(99.9) / 1e6,
          histogram.getMaxValue() / 1e6);
    }

    @Override
    public String toString() {
      return String.format(
          "%d ops in %.1f s = %.0f ops/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms,"
              + " errors %d",
          operations, seconds, throughput, p50Millis, p99Millis, p999Millis, maxMillis, errors);
    }
  }

  private final String name;
  private final Plan plan;
  private final Operation operation;
  private final Recorder recorder = new Recorder(3);
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final LinkedBlockingQueue<Integer> freeSlots = new LinkedBlockingQueue<>();
  private volatile Throwable firstError;

  private LoadGenerator(String name, Plan plan, Operation operation) {
    this.name = name;
    this.plan = plan;
    this.operation = operation;
  }

  /** Runs {@code operation} as {@code plan} says and returns the measured figures. */
  public static Result run(String name, Plan plan, Operation operation)
      throws InterruptedException {
    return new LoadGenerator(name, plan, operation).run();
  }

  private Result run() throws InterruptedException {
    long start = System.nanoTime();
    Thread driver;
    if (plan.rate() == 0) {
      driver = null;
      for (int slot = 0; slot < plan.concurrency(); slot++) {
        closedLoop(slot);
      }
    } else {
      for (int slot = 0; slot < plan.concurrency(); slot++) {
        freeSlots.add(slot);
      }
      driver = new Thread(() -> openLoop(start), "open-loop-" + name);
      driver.setDaemon(true);
      driver.start();
    }
    Thread.sleep(plan.warmUp().toMillis());
    recorder.reset();
    errors.set(0);
    completed.set(0);
    long measured = System.nanoTime();
    long end = measured + plan.duration().toNanos();
    long lastCompleted = 0;
    long second = 0;
    while (System.nanoTime() < end) {
      long sleep = Math.min(1_000_000_000L, end - System.nanoTime());
      TimeUnit.NANOSECONDS.sleep(Math.max(0, sleep));
      long now = completed.get();
      System.out.printf(
          "  [%s %s c=%d%s] %2ds: %d ops/s, %d in flight, %d errors%n",
          name,
          plan.mode(),
          plan.concurrency(),
          plan.rate() > 0 ? String.format(" rate=%.0f", plan.rate()) : "",
          ++second,
          now - lastCompleted,
          inFlight.get(),
          errors.get());
      lastCompleted = now;
    }
    Histogram histogram = recorder.getIntervalHistogram();
    double seconds = (System.nanoTime() - measured) / 1e9;
    long failed = errors.get();
    running.set(false);
    if (driver != null) {
      driver.join();
    }
    awaitIdle(Duration.ofSeconds(30));
    if (failed > 0 && firstError != null) {
      System.out.println("  first error: " + firstError);
    }
    return Result.of(histogram, failed, seconds);
  }

  private void closedLoop(int slot) {
    if (!running.get()) {
      return;
    }
    long started = System.nanoTime();
    start(slot).whenComplete((ok, failure) -> finish(started, failure, () -> closedLoop(slot)));
  }

  private void openLoop(long start) {
    double intervalNanos = 1e9 / plan.rate();
    for (long i = 0; running.get(); i++) {
      long due = start + (long) (i * intervalNanos);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Integer slot;
      try {
        slot = freeSlots.take();
      } catch (InterruptedException e) {
        return;
      }
      if (!running.get()) {
        return;
      }
      start(slot).whenComplete((ok, failure) -> finish(due, failure, () -> freeSlots.add(slot)));
    }
  }

  private CompletionStage<?> start(int slot) {
    inFlight.incrementAndGet();
    try {
      return operation.call(slot, sequence.incrementAndGet());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void finish(long startedNanos, Throwable failure, Runnable next) {
    if (failure != null) {
      errors.incrementAndGet();
      if (firstError == null) {
        firstError = failure;
      }
    } else {
      recorder.recordValue(System.nanoTime() - startedNanos);
      completed.incrementAndGet();
    }
    inFlight.decrementAndGet();
    next.run();
  }

  private void awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
