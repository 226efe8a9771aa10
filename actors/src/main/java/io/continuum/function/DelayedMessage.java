package io.continuum.function;

import io.continuum.serialization.CborSerializable;

/**
 * A message to send when its time comes; at that time it joins the outbox of its target's channel.
 * Kept in the instance's durable state, so it survives restarts and moves.
 *
 * @param id unique within the instance
 * @param dueAt epoch milliseconds
 * @param target {@code type|id} of the receiving instance
 * @param messageType class name of the message
 * @param payload the message as JSON
 */
public record DelayedMessage(long id, long dueAt, String target, String messageType, byte[] payload)
    implements CborSerializable {}
