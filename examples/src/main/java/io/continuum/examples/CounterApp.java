package io.continuum.examples;

import io.continuum.sdk.App;
import io.continuum.sdk.ContinuumApp;

/**
 * The smallest stateful function: {@code counter} instances add what they are sent and reply with
 * the new total.
 *
 * <pre>
 * bin/continuum call counter c1 '{"add":5}'     # {"total":5}
 * </pre>
 */
public final class CounterApp implements ContinuumApp {

  /** Adds {@code add} (may be negative) to the total. */
  public record Add(long add) {}

  /** The state, and the reply. */
  public record Total(long total) {}

  @Override
  public void define(App app) {
    app.function("counter", Total.class, new Total(0))
        .on(
            Add.class,
            (context, total, add) -> {
              Total next = new Total(total.total() + add.add());
              context.reply(next);
              return next;
            });
  }
}
