package io.continuum.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a fixed number of operations with at most {@code concurrency} in flight, as fast as they
 * complete, and reports how long all of them took: the shape of a batch job (AllReduce) or a bulk
 * activation, where the total time is the figure that matters.
 */
public final class Batch {

  /**
   * The outcome of a batch.
   *
   * @param operations operations that succeeded
   * @param errors operations that failed
   * @param millis from the first start to the last completion
   * @param firstError the first failure, or null
   */
  public record Outcome(long operations, long errors, double millis, Throwable firstError) {

    /** Operations per second. */
    public double throughput() {
      return operations / (millis / 1000);
    }
  }

  private Batch() {}

  /**
   * Runs operations {@code 1..total}; slot {@code k} runs operations one after another.
   *
   * @param progressEvery print a progress line every this many completions (0: never)
   */
  public static Outcome run(
      String name, long total, int concurrency, long progressEvery, Operation operation)
      throws InterruptedException {
    AtomicLong next = new AtomicLong();
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    int lanes = (int) Math.min(concurrency, total);
    CountDownLatch finished = new CountDownLatch(lanes);
    long start = System.nanoTime();
    Runnable[] lane = new Runnable[lanes];
    for (int slot = 0; slot < lanes; slot++) {
      int s = slot;
      lane[s] =
          () -> {
            long seq = next.incrementAndGet();
            if (seq > total) {
              finished.countDown();
              return;
            }
            CompletableFuture<?> call;
            try {
              call = operation.call(s, seq).toCompletableFuture();
            } catch (RuntimeException e) {
              call = CompletableFuture.failedFuture(e);
            }
            call.whenComplete(
                (ok, failure) -> {
                  if (failure != null) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, failure);
                  }
                  long n = done.incrementAndGet();
                  if (progressEvery > 0 && n % progressEvery == 0) {
                    System.out.printf(
                        "  [%s] %d/%d done in %.1f s, %d errors%n",
                        name, n, total, (System.nanoTime() - start) / 1e9, errors.get());
                  }
                  lane[s].run();
                });
          };
    }
    for (Runnable r : lane) {
      r.run();
    }
    if (!finished.await(Duration.ofMinutes(60).toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + ": not finished within an hour");
    }
    long errorCount = errors.get();
    return new Outcome(
        done.get() - errorCount, errorCount, (System.nanoTime() - start) / 1e6, firstError.get());
  }
}
