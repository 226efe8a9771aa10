package io.continuum.sdk;

/**
 * What an application declares. Names are unique per cluster; every declaration is checked when the
 * node starts, and a node with an invalid application does not start.
 */
public interface App {

  /**
   * Declares a topic the application uses; the node creates it at start if it does not exist.
   *
   * <pre>{@code
   * app.topic("cpu-raw").zone("edge-a").history(10_000);
   * }</pre>
   */
  TopicDeclaration topic(String name);

  /**
   * Declares a function type: one stateful instance per id, each processing one message at a time.
   *
   * <pre>{@code
   * app.function("smooth", Window.class, Window.EMPTY)
   *     .subscribe("cpu-raw", Reading.class, Reading::sensorId)
   *     .on(Reading.class, (ctx, window, reading) -> window.add(reading))
   *     .zoneOfTopic("cpu-raw");
   * }</pre>
   *
   * @param name the function type
   * @param stateType a record, stored as JSON
   * @param initialState the state of an instance that has handled nothing yet
   */
  <S> FunctionDeclaration<S> function(String name, Class<S> stateType, S initialState);

  /**
   * Declares a replicated object with named CRDT fields. Handlers update it with {@link
   * Context#update} and read it with {@link Context#object} (after {@link
   * FunctionDeclaration#reads}); clients use the gateway's {@code ObjectService}.
   *
   * <pre>{@code
   * app.object("farm-stats", o -> o.pnCounter("readings").orSet("sensors")).zones("edge-a", "cloud");
   * }</pre>
   */
  ObjectDeclaration object(String id, java.util.function.Consumer<ObjectFields> fields);
}
