package io.continuum.bench.app;

import io.continuum.sdk.App;
import io.continuum.sdk.ContinuumApp;

/**
 * The benchmark's application, loaded by the nodes of a benchmark cluster: the topic {@code
 * bench-subscribed} (home zone {@code edge-a}) with the function {@code bench-sink} subscribed to
 * it, so that publish can be measured with a subscriber doing durable work for each entry.
 */
public final class BenchApp implements ContinuumApp {

  /** The topic with a subscriber. */
  public static final String TOPIC = "bench-subscribed";

  /** An entry of the topic: {@code key} picks the instance, {@code pad} fills the payload. */
  public record Entry(String key, String pad) {}

  /** What a {@code bench-sink} instance keeps: the entries it handled and their bytes. */
  public record Seen(long entries, long bytes) {}

  @Override
  public void define(App app) {
    app.topic(TOPIC).zone("edge-a").history(1_000_000);
    app.function("bench-sink", Seen.class, new Seen(0, 0))
        .subscribe(TOPIC, Entry.class, Entry::key)
        .zoneOfTopic(TOPIC)
        .on(
            Entry.class,
            (context, seen, entry) ->
                new Seen(seen.entries() + 1, seen.bytes() + entry.pad().length()));
  }
}
