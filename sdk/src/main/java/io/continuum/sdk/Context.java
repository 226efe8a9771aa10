package io.continuum.sdk;

import java.time.Duration;

/**
 * What a handler can do besides returning the new state. Every effect is recorded with the state
 * change and carried out exactly once after both are durable.
 */
public interface Context {

  /** The instance handling the message. */
  Address self();

  /** Answers the caller of an invocation (ignored for messages that nobody waits on). */
  void reply(Object message);

  /** Sends a message to another instance (or this one). */
  void send(Address to, Object message);

  /** Sends a message after a delay; the delay survives restarts and moves. */
  void sendAfter(Duration delay, Address to, Object message);

  /** Publishes a message to a topic, as JSON. */
  void publish(String topic, Object message);

  /**
   * Updates a field of a declared replicated object, exactly once, after the invocation is durable:
   * {@code ctx.update("farm-stats", "readings", "increment", 5)}. Arguments are rendered as
   * strings; the operations of each field type are those of {@code bin/continuum object update}.
   */
  void update(String object, String field, String operation, Object... args);

  /**
   * A replicated object this function type declares it {@code reads}, as this node's replica held
   * it when the message arrived (at most {@code continuum.functions.object-read-staleness} before).
   *
   * @throws IllegalArgumentException if the function type does not declare that it reads it
   */
  ObjectValue object(String id);

  /** Sends a message to an instance of a function type. */
  default void send(String type, String id, Object message) {
    send(new Address(type, id), message);
  }

  /** Sends a message to this instance after a delay. */
  default void sendSelfAfter(Duration delay, Object message) {
    sendAfter(delay, self(), message);
  }
}
