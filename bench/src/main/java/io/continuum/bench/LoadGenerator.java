package io.continuum.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives an {@link Operation} for a warm-up and then one or more measured runs back to back, each
 * recording its latencies in an HdrHistogram and the CPU time of the processes under test, and
 * printing a progress line every second.
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
   * @param warmUp run but not measured, once before the first run
   * @param duration measured, per run
   * @param runs measured runs, one after another under the same load, each with its own figures
   */
  public record Plan(int concurrency, double rate, Duration warmUp, Duration duration, int runs) {

    /** Checks the values. */
    public Plan {
      if (concurrency < 1 || rate < 0 || runs < 1 || warmUp.isNegative() || duration.isNegative()) {
        throw new IllegalArgumentException(
            "bad plan: " + concurrency + " callers, rate " + rate + ", " + runs + " runs");
      }
    }

    /** One measured run. */
    public Plan(int concurrency, double rate, Duration warmUp, Duration duration) {
      this(concurrency, rate, warmUp, duration, 1);
    }

    /** {@code closed} or {@code open}. */
    public String mode() {
      return rate == 0 ? "closed" : "open";
    }
  }

  /**
   * The figures of one measured run.
   *
   * @param operations operations that succeeded in the run
   * @param cpuSeconds CPU seconds used in the run by each group of processes of the {@link
   *     CpuMeter}, e.g. {@code system}, {@code client}; empty without a meter
   */
  public record Result(
      long operations,
      long errors,
      double seconds,
      double throughput,
      double p50Millis,
      double p99Millis,
      double p999Millis,
      double maxMillis,
      Map<String, Double> cpuSeconds) {

    static Result of(
        Histogram histogram, long errors, double seconds, Map<String, Double> cpuSeconds) {
      return new Result(
          histogram.getTotalCount(),
          errors,
          seconds,
          histogram.getTotalCount() / seconds,
          histogram.getValueAtPercentile(50) / 1e6,
          histogram.getValueAtPercentile(99) / 1e6,
          histogram.getValueAtPercentile(99.9) / 1e6,
          histogram.getMaxValue() / 1e6,
          Map.copyOf(cpuSeconds));
    }

    /** Microseconds of CPU of a group per successful operation, or null when not known. */
    public Double cpuMicrosPerOperation(String... groups) {
      return CpuMeter.microsPerOperation(cpuSeconds, operations, groups);
    }

    @Override
    public String toString() {
      Double cpu = cpuMicrosPerOperation(CpuMeter.SYSTEM);
      Double client = cpuMicrosPerOperation(CpuMeter.CLIENT);
      return String.format(
          Locale.ROOT,
          "%d ops in %.1f s = %.0f ops/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms,"
              + " errors %d%s%s",
          operations,
          seconds,
          throughput,
          p50Millis,
          p99Millis,
          p999Millis,
          maxMillis,
          errors,
          cpu == null ? "" : String.format(Locale.ROOT, ", CPU %.0f µs/op", cpu),
          client == null ? "" : String.format(Locale.ROOT, " (client %.0f µs/op)", client));
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
  private final AtomicLong slowestThisSecond = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final LinkedBlockingQueue<Integer> freeSlots = new LinkedBlockingQueue<>();
  private final CpuMeter cpu;
  private volatile Throwable firstError;

  private LoadGenerator(String name, Plan plan, Operation operation, CpuMeter cpu) {
    this.name = name;
    this.plan = plan;
    this.operation = operation;
    this.cpu = cpu;
  }

  /**
   * Runs {@code operation} as {@code plan} says: the warm-up, then {@code plan.runs()} measured
   * runs back to back under the same load.
   *
   * @param cpu reads the CPU time of the processes under test at the start and end of each run;
   *     null for none
   * @return the figures of each run
   */
  public static List<Result> run(String name, Plan plan, Operation operation, CpuMeter cpu)
      throws InterruptedException {
    return new LoadGenerator(name, plan, operation, cpu).run();
  }

  /** Runs {@code operation} for one measured run without CPU figures. */
  public static Result run(String name, Plan plan, Operation operation)
      throws InterruptedException {
    return run(name, plan, operation, null).get(0);
  }

  private List<Result> run() throws InterruptedException {
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
    List<Result> results = new ArrayList<>();
    for (int run = 1; run <= plan.runs(); run++) {
      results.add(measure(run));
    }
    running.set(false);
    if (driver != null) {
      driver.interrupt();
      driver.join();
    }
    awaitIdle(Duration.ofSeconds(30));
    return results;
  }

  /** One measured run: its own histogram, error count and CPU readings. */
  private Result measure(int run) throws InterruptedException {
    // The CPU readings (a walk of /proc) enclose the window of the figures, not the reverse.
    Map<String, Long> cpuBefore = cpu == null ? Map.of() : cpu.read();
    recorder.reset();
    errors.set(0);
    completed.set(0);
    firstError = null;
    long measured = System.nanoTime();
    long end = measured + plan.duration().toNanos();
    long lastCompleted = 0;
    long second = 0;
    while (System.nanoTime() < end) {
      long sleep = Math.min(1_000_000_000L, end - System.nanoTime());
      TimeUnit.NANOSECONDS.sleep(Math.max(0, sleep));
      long now = completed.get();
      System.out.printf(
          "  [%s %s c=%d%s run %d/%d] %2ds: %d ops/s, slowest %.1f ms, %d in flight, %d errors%n",
          name,
          plan.mode(),
          plan.concurrency(),
          plan.rate() > 0 ? String.format(Locale.ROOT, " rate=%.0f", plan.rate()) : "",
          run,
          plan.runs(),
          ++second,
          now - lastCompleted,
          slowestThisSecond.getAndSet(0) / 1e6,
          inFlight.get(),
          errors.get());
      lastCompleted = now;
    }
    Histogram histogram = recorder.getIntervalHistogram();
    double seconds = (System.nanoTime() - measured) / 1e9;
    long failed = errors.get();
    Map<String, Double> cpuSeconds = cpu == null ? Map.of() : cpu.seconds(cpuBefore, cpu.read());
    Throwable first = firstError;
    if (failed > 0 && first != null) {
      System.out.println("  first error: " + first);
    }
    return Result.of(histogram, failed, seconds, cpuSeconds);
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
      long latency = System.nanoTime() - startedNanos;
      recorder.recordValue(latency);
      slowestThisSecond.accumulateAndGet(latency, Math::max);
      completed.incrementAndGet();
    }
    inFlight.decrementAndGet();
    if (failure == null) {
      next.run();
    } else {
      // A client may fail a call inline (grpc-java on a broken channel, with a direct executor):
      // the slot's next call goes through another thread, not deeper into this stack.
      ForkJoinPool.commonPool().execute(next);
    }
  }

  private void awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
