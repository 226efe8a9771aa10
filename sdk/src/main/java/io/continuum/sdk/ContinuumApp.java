package io.continuum.sdk;

/**
 * An application: declares its topics and function types. Nodes find applications with {@link
 * java.util.ServiceLoader} — list the implementing class in {@code
 * META-INF/services/io.continuum.sdk.ContinuumApp} of the application's jar and put the jar on the
 * node's classpath or in its {@code apps/} directory.
 *
 * <pre>{@code
 * public final class CounterApp implements ContinuumApp {
 *   public record Add(int add) {}
 *   public record Total(long total) {}
 *
 *   public void define(App app) {
 *     app.function("counter", Total.class, new Total(0))
 *         .on(Add.class, (ctx, state, msg) -> {
 *           Total next = new Total(state.total() + msg.add());
 *           ctx.reply(next);
 *           return next;
 *         });
 *   }
 * }
 * }</pre>
 */
public interface ContinuumApp {

  /** Declares the application's topics and functions. Called once per node at start. */
  void define(App app);
}
