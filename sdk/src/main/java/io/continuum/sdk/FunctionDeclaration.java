package io.continuum.sdk;

import java.util.function.Function;

/**
 * A function type being declared: its handlers, topic subscriptions and placement.
 *
 * @param <S> the state of an instance
 */
public interface FunctionDeclaration<S> {

  /**
   * Handles messages of one type. A message sent to an instance goes to the handler of its type;
   * JSON payloads from clients bind to the first declared type they fit exactly.
   */
  <M> FunctionDeclaration<S> on(Class<M> messageType, Handler<S, M> handler);

  /**
   * Subscribes the type to a topic: each entry is decoded as {@code messageType} (JSON) and
   * delivered exactly once, in index order, to the instance whose id {@code key} returns. A handler
   * for {@code messageType} must be declared too.
   */
  <M> FunctionDeclaration<S> subscribe(String topic, Class<M> messageType, Function<M, String> key);

  /** Instances live in this zone (unless {@link #placeInstances} says otherwise for an id). */
  FunctionDeclaration<S> zone(String zone);

  /** Instances live in the zone of this topic, next to their input. */
  FunctionDeclaration<S> zoneOfTopic(String topic);

  /** Instances live in the first zone of this declared object, next to a replica. */
  FunctionDeclaration<S> zoneOfObject(String object);

  /** Handlers read these declared objects through {@link Context#object}. */
  FunctionDeclaration<S> reads(String... objects);

  /**
   * Places single instances: {@code zoneOf} returns the zone of an instance id, or {@code null} for
   * the type's zone.
   */
  FunctionDeclaration<S> placeInstances(Function<String, String> zoneOf);
}
