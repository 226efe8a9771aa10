package io.continuum.examples;

import io.continuum.sdk.App;
import io.continuum.sdk.ContinuumApp;
import java.util.List;

/**
 * MISO's AllReduce (seed 001, §6): workers each reduce a chunk of integers to its sum and add it to
 * one replicated counter; anyone reads the total. The counter is the object {@code allreduce}; an
 * addition is an exactly-once effect of the worker's invocation, so a retried chunk (same request
 * id) is counted once.
 *
 * <pre>
 * bin/continuum call allreduce-worker w1 '{"values":[1,2,3]}'   # {"sum":6}
 * bin/continuum call allreduce-worker w2 '{"values":[-4]}'      # {"sum":-4}
 * bin/continuum object get allreduce                             # {"chunks":2,"sum":2}
 * bin/continuum call allreduce-reader any '{}'                   # {"sum":2,"chunks":2}
 * </pre>
 *
 * <p>The benchmark scenario {@code allreduce} (bench/) adds 1,000 chunk sums concurrently through
 * the gateway's {@code ObjectService} and reads the total back.
 */
public final class AllReduceApp implements ContinuumApp {

  /** The object holding the running reduction. */
  public static final String OBJECT = "allreduce";

  /** A chunk of integers to reduce. */
  public record Chunk(List<Long> values) {}

  /** A worker's reply: its chunk's sum. */
  public record Partial(long sum) {}

  /** A worker's state: the chunks it reduced and their sum. */
  public record Reduced(long chunks, long sum) {}

  /** Asks a reader for the total. */
  public record Read() {}

  /** The total so far and how many chunks it covers, as the reader's replica sees it. */
  public record Total(long sum, long chunks) {}

  @Override
  public void define(App app) {
    app.object(OBJECT, o -> o.pnCounter("sum").gCounter("chunks"));
    app.function("allreduce-worker", Reduced.class, new Reduced(0, 0))
        .zoneOfObject(OBJECT)
        .on(
            Chunk.class,
            (context, reduced, chunk) -> {
              long sum = chunk.values().stream().mapToLong(Long::longValue).sum();
              context.update(OBJECT, "sum", sum >= 0 ? "increment" : "decrement", Math.abs(sum));
              context.update(OBJECT, "chunks", "increment", 1);
              context.reply(new Partial(sum));
              return new Reduced(reduced.chunks() + 1, reduced.sum() + sum);
            });
    app.function("allreduce-reader", Total.class, new Total(0, 0))
        .zoneOfObject(OBJECT)
        .reads(OBJECT)
        .on(
            Read.class,
            (context, last, read) -> {
              Total total =
                  new Total(
                      context.object(OBJECT).counter("sum"),
                      context.object(OBJECT).counter("chunks"));
              context.reply(total);
              return total;
            });
  }
}
