package io.continuum.sdk.model;

import io.continuum.sdk.Handler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A declared function type, as the runtime reads it.
 *
 * @param name the type
 * @param stateType the state record
 * @param initialState the state of a new instance
 * @param handlers one per message type, in declaration order
 * @param subscriptions topics whose entries trigger instances
 * @param zone the declared zone, or {@code null}
 * @param zoneOfTopic the topic whose zone instances follow, or {@code null}
 * @param instanceZones zone per instance id, or {@code null} when not declared
 * @param zoneOfObject the object whose first zone instances follow, or {@code null}
 * @param reads the objects handlers read
 */
public record FunctionModel<S>(
    String name,
    Class<S> stateType,
    S initialState,
    Map<Class<?>, Handler<S, ?>> handlers,
    List<SubscriptionModel> subscriptions,
    String zone,
    String zoneOfTopic,
    Function<String, String> instanceZones,
    String zoneOfObject,
    List<String> reads) {

  /** The handler of a message's type, if declared. */
  @SuppressWarnings("unchecked")
  public Optional<Handler<S, Object>> handlerFor(Class<?> messageType) {
    return Optional.ofNullable((Handler<S, Object>) handlers.get(messageType));
  }

  /** The zone an instance's id asks for, if {@link #instanceZones} says one. */
  public Optional<String> instanceZone(String id) {
    return instanceZones == null ? Optional.empty() : Optional.ofNullable(instanceZones.apply(id));
  }
}
