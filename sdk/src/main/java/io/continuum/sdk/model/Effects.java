package io.continuum.sdk.model;

import io.continuum.sdk.Address;
import io.continuum.sdk.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The context of one invocation, recording what the handler asks for. The runtime turns the records
 * into durable effects once the handler has returned; a test reads them directly.
 */
public final class Effects implements Context {

  /** A message to an instance, after {@code delay} ({@link Duration#ZERO} for at once). */
  public record Sent(Address to, Object message, Duration delay) {}

  /** A message published to a topic. */
  public record Published(String topic, Object message) {}

  private final Address self;
  private final List<Sent> sent = new ArrayList<>();
  private final List<Published> published = new ArrayList<>();
  private Object reply;

  public Effects(Address self) {
    this.self = self;
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

  public Optional<Object> reply() {
    return Optional.ofNullable(reply);
  }

  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  public List<Published> published() {
    return List.copyOf(published);
  }

  private static Object requireMessage(Object message) {
    if (message == null) {
      throw new IllegalArgumentException("a message must not be null");
    }
    return message;
  }
}
