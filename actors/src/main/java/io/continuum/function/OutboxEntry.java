package io.continuum.function;

import io.continuum.serialization.CborSerializable;

/**
 * An effect recorded with the invocation that caused it and carried out after it is durable: a
 * message to an instance, a publish to a topic or an update of a replicated object. Entries of one
 * channel (one destination) are delivered one at a time in sequence order; the receiver drops
 * sequence numbers it has seen.
 *
 * @param channel the destination, see {@link #channelOf}
 * @param seq position in the channel, from 1
 * @param kind message or publish
 * @param target {@code type|id} of an instance, a topic name or an object id
 * @param messageType class name of the message
 * @param payload the message as JSON (for an object, the {@code Effects.ObjectUpdate})
 */
public record OutboxEntry(
    String channel, long seq, Kind kind, String target, String messageType, byte[] payload)
    implements CborSerializable {

  /** What an entry does. */
  public enum Kind {
    SEND,
    PUBLISH,
    OBJECT
  }

  /** The channel of a destination. */
  public static String channelOf(Kind kind, String target) {
    return switch (kind) {
          case SEND -> "fn:";
          case PUBLISH -> "topic:";
          case OBJECT -> "object:";
        }
        + target;
  }
}
