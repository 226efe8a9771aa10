package io.continuum.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  /** An operation that completes after {@code millis} on the timer, one at a time per slot. */
  private Operation slow(long millis, AtomicInteger concurrent, AtomicInteger maxConcurrent) {
    return (slot, seq) -> {
      maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      CompletableFuture<Void> done = new CompletableFuture<>();
      timer.schedule(
          () -> {
            concurrent.decrementAndGet();
            done.complete(null);
          },
          millis,
          TimeUnit.MILLISECONDS);
      return done;
    };
  }

  @Test
  void closedLoopKeepsConcurrencyCallersBusyAndMeasuresServiceTime() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    LoadGenerator.Result result =
        LoadGenerator.run(
            "test",
            new LoadGenerator.Plan(4, 0, Duration.ofMillis(200), Duration.ofSeconds(1)),
            slow(20, concurrent, max));
    assertThat(max.get()).isEqualTo(4);
    // 4 callers, 20 ms each: about 200/s.
    assertThat(result.throughput()).isBetween(100.0, 220.0);
    assertThat(result.p50Millis()).isBetween(19.0, 60.0);
    assertThat(result.errors()).isZero();
  }

  @Test
  void openLoopCountsTheWaitOfOperationsThatWereDueWhileTheSystemWasBusy() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    // 1 slot of 50 ms can do 20/s; 40/s are due, so the queue of due operations grows and their
    // latency from the due time must grow far beyond the 50 ms of service time.
    LoadGenerator.Result result =
        LoadGenerator.run(
            "test",
            new LoadGenerator.Plan(1, 40, Duration.ZERO, Duration.ofSeconds(2)),
            slow(50, concurrent, max));
    assertThat(max.get()).isEqualTo(1);
    assertThat(result.throughput()).isLessThan(25.0);
    assertThat(result.p99Millis()).isGreaterThan(500.0);
  }

  @Test
  void eachRunAfterTheWarmUpHasItsOwnFiguresAndCpuReadings() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    Operation slow = slow(10, concurrent, max);
    List<LoadGenerator.Result> runs =
        LoadGenerator.run(
            "test",
            new LoadGenerator.Plan(2, 0, Duration.ofMillis(100), Duration.ofMillis(400), 3),
            (slot, seq) -> {
              calls.incrementAndGet();
              return slow.call(slot, seq);
            },
            CpuMeter.ofThisMachine(100, Map.of()));
    assertThat(runs).hasSize(3);
    // the warm-up's operations are in no run, and no operation is in two
    assertThat(runs.stream().mapToLong(LoadGenerator.Result::operations).sum())
        .isLessThan(calls.get());
    for (LoadGenerator.Result run : runs) {
      assertThat(run.seconds()).isGreaterThanOrEqualTo(0.39);
      assertThat(run.operations()).isPositive();
      if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self"))) {
        assertThat(run.cpuSeconds()).containsKey(CpuMeter.CLIENT);
        assertThat(run.cpuMicrosPerOperation(CpuMeter.CLIENT)).isNotNegative();
      }
    }
  }

  @Test
  void failuresCountAsErrorsNotLatencies() throws Exception {
    LoadGenerator.Result result =
        LoadGenerator.run(
            "test",
            new LoadGenerator.Plan(2, 0, Duration.ZERO, Duration.ofMillis(500)),
            (slot, seq) ->
                CompletableFuture.supplyAsync(
                    () -> {
                      throw new IllegalStateException("refused");
                    },
                    CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS)));
    assertThat(result.errors()).isPositive();
    assertThat(result.operations()).isZero();
  }

  @Test
  void callsThatFailInlineKeepTheirSlotsGoingWithoutRecursion() throws Exception {
    // A slot whose next call ran on the failing call's stack would overflow it at once, before
    // the measured run, and count no error in it.
    LoadGenerator.Result result =
        LoadGenerator.run(
            "test",
            new LoadGenerator.Plan(2, 0, Duration.ofMillis(50), Duration.ofMillis(300)),
            (slot, seq) -> CompletableFuture.failedFuture(new IllegalStateException("refused")));
    assertThat(result.errors()).isPositive();
    assertThat(result.operations()).isZero();
  }

  @Test
  void batchRunsEachOperationOnceWithinTheConcurrency() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    Operation slow = slow(5, concurrent, max);
    Batch.Outcome outcome =
        Batch.run(
            "test",
            100,
            8,
            0,
            (slot, seq) -> {
              calls.incrementAndGet();
              return slow.call(slot, seq);
            });
    assertThat(outcome.operations()).isEqualTo(100);
    assertThat(calls.get()).isEqualTo(100);
    assertThat(max.get()).isLessThanOrEqualTo(8);
  }
}
