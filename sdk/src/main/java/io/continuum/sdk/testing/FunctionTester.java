package io.continuum.sdk.testing;

import io.continuum.sdk.Address;
import io.continuum.sdk.ContinuumApp;
import io.continuum.sdk.ObjectValue;
import io.continuum.sdk.model.Application;
import io.continuum.sdk.model.Effects;
import io.continuum.sdk.model.FunctionModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a function type's handlers without a cluster: keeps each instance's state in memory and
 * returns what every invocation did, exactly as the runtime would carry it out: a handler that
 * throws, returns no state, sends to an undeclared function type or a message type its target does
 * not handle, or publishes to an undeclared topic leaves the state unchanged and has no effect.
 *
 * <pre>{@code
 * FunctionTester<Total> counter = FunctionTester.of(new CounterApp(), "counter", Total.class);
 * Invocation<Total> result = counter.invoke("c1", new Add(5));
 * assertEquals(new Total(5), result.state());
 * assertEquals(Optional.of(new Total(5)), result.reply());
 * }</pre>
 */
public final class FunctionTester<S> {

  /**
   * What one invocation did.
   *
   * @param state the instance's state afterwards
   * @param reply the reply, if the handler gave one
   * @param sent messages to instances, at once or delayed
   * @param published messages to topics
   * @param updates operations on replicated objects
   * @param failure what the handler threw, or {@code null}; when set, nothing else happened
   */
  public record Invocation<S>(
      S state,
      Optional<Object> reply,
      List<Effects.Sent> sent,
      List<Effects.Published> published,
      List<Effects.ObjectUpdate> updates,
      Throwable failure) {}

  private final Application application;
  private final FunctionModel<S> function;
  private final Map<String, S> states = new HashMap<>();
  private final Map<String, ObjectValue> objects = new HashMap<>();

  private FunctionTester(Application application, FunctionModel<S> function) {
    this.application = application;
    this.function = function;
  }

  /**
   * A tester of one function type of an application; the application's declarations are checked.
   *
   * @throws IllegalArgumentException if the type is not declared or has another state type
   */
  @SuppressWarnings("unchecked")
  public static <S> FunctionTester<S> of(ContinuumApp app, String function, Class<S> stateType) {
    Application application = Application.define(List.of(app));
    FunctionModel<?> model =
        application
            .function(function)
            .orElseThrow(() -> new IllegalArgumentException("no function type '" + function + "'"));
    if (!model.stateType().equals(stateType)) {
      throw new IllegalArgumentException(
          "function '" + function + "' has state " + model.stateType().getName());
    }
    return new FunctionTester<>(application, (FunctionModel<S>) model);
  }

  /** The current state of an instance. */
  public S state(String id) {
    return states.getOrDefault(id, function.initialState());
  }

  /**
   * Sets what handlers read of a replicated object the function type {@code reads}; objects not set
   * read as empty (every field its type's empty value).
   */
  public FunctionTester<S> withObject(ObjectValue object) {
    objects.put(object.id(), object);
    return this;
  }

  /** Invokes an instance with a message, as a client or another instance would. */
  public Invocation<S> invoke(String id, Object message) {
    S before = state(id);
    Effects effects =
        new Effects(
            new Address(function.name(), id),
            object ->
                function.reads().contains(object)
                    ? objects.getOrDefault(object, new ObjectValue(object, Map.of()))
                    : null);
    try {
      S after =
          function
              .handlerFor(message.getClass())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "function '"
                              + function.name()
                              + "' has no handler for "
                              + message.getClass().getName()))
              .handle(effects, before, message);
      requireAcceptedByRuntime(after, effects);
      states.put(id, after);
      return new Invocation<>(
          after, effects.reply(), effects.sent(), effects.published(), effects.updates(), null);
    } catch (Exception e) {
      return new Invocation<>(before, Optional.empty(), List.of(), List.of(), List.of(), e);
    }
  }

  /** What the runtime refuses after a handler returned, with the runtime's messages. */
  private void requireAcceptedByRuntime(S next, Effects effects) {
    if (next == null) {
      throw new IllegalStateException("function '" + function.name() + "' returned no state");
    }
    for (Effects.Sent sent : effects.sent()) {
      Optional<FunctionModel<?>> target = application.function(sent.to().type());
      if (target.isEmpty()) {
        throw new IllegalStateException(
            "function '"
                + function.name()
                + "' sent to unknown function type '"
                + sent.to().type()
                + "'");
      }
      if (target.get().handlerFor(sent.message().getClass()).isEmpty()) {
        throw new IllegalStateException(
            "function '"
                + function.name()
                + "' sent "
                + sent.message().getClass().getSimpleName()
                + " to '"
                + sent.to().type()
                + "', which has no handler for it");
      }
    }
    for (Effects.Published published : effects.published()) {
      if (application.topic(published.topic()).isEmpty()) {
        throw new IllegalStateException(
            "function '"
                + function.name()
                + "' published to topic '"
                + published.topic()
                + "', which the application does not declare");
      }
    }
    for (Effects.ObjectUpdate update : effects.updates()) {
      if (application.object(update.object()).isEmpty()) {
        throw new IllegalStateException(
            "function '"
                + function.name()
                + "' updated object '"
                + update.object()
                + "', which the application does not declare");
      }
    }
  }
}
