package io.continuum.sdk.model;

import io.continuum.sdk.Address;
import io.continuum.sdk.Context;
import io.continuum.sdk.ObjectValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The context of one invocation, recording what the handler asks for. The runtime turns the records
 * into durable effects once the handler has returned; a test reads them directly.
 */
public final class Effects implements Context {

  /** A message to an instance, after {@code delay} ({@link Duration#ZERO} for at once). */
  public record Sent(Address to, Object message, Duration delay) {}

  /** A message published to a topic. */
  public record Published(String topic, Object message) {}

  /** An operation on a field of a replicated object, arguments as strings. */
  public record ObjectUpdate(String object, String field, String operation, List<String> args) {}

  private final Address self;
  private final Function<String, ObjectValue> objects;
  private final List<ObjectUpdate> updates = new ArrayList<>();
  private final List<Sent> sent = new ArrayList<>();
  private final List<Published> published = new ArrayList<>();
  private Object reply;

  /**
   * @param self the instance handling the message
   * @param objects the objects the handler may read, by id; returns {@code null} for others
   */
  public Effects(Address self, Function<String, ObjectValue> objects) {
    this.self = self;
    this.objects = objects;
  }

  @Override
  public Address self() {
    return self;
  }

  @Override
  public void reply(Object message) {
    reply = requireMessage(message);
  }

  @Override
  public void send(Address to, Object message) {
    sent.add(new Sent(to, requireMessage(message), Duration.ZERO));
  }

  @Override
  public void sendAfter(Duration delay, Address to, Object message) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("a delay must not be negative, was " + delay);
    }
    sent.add(new Sent(to, requireMessage(message), delay));
  }

  @Override
  public void publish(String topic, Object message) {
    published.add(new Published(topic, requireMessage(message)));
  }

  @Override
  public void update(String object, String field, String operation, Object... args) {
    if (object == null || field == null || operation == null) {
      throw new IllegalArgumentException(
          "an object update needs an object, a field and an operation");
    }
    List<String> strings = new ArrayList<>();
    for (Object arg : args) {
      strings.add(String.valueOf(requireMessage(arg)));
    }
    updates.add(new ObjectUpdate(object, field, operation, List.copyOf(strings)));
  }

  @Override
  public ObjectValue object(String id) {
    ObjectValue value = objects.apply(id);
    if (value == null) {
      throw new IllegalArgumentException(
          "function '"
              + self.type()
              + "' reads object '"
              + id
              + "' without declaring it: add .reads(\""
              + id
              + "\") to the function's declaration");
    }
    return value;
  }

  public Optional<Object> reply() {
    return Optional.ofNullable(reply);
  }

  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  public List<Published> published() {
    return List.copyOf(published);
  }

  public List<ObjectUpdate> updates() {
    return List.copyOf(updates);
  }

  private static Object requireMessage(Object message) {
    if (message == null) {
      throw new IllegalArgumentException("a message must not be null");
    }
    return message;
  }
}
