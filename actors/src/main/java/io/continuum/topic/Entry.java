package io.continuum.topic;

import io.continuum.serialization.CborSerializable;

/**
 * One entry of a topic.
 *
 * @param index its position, from 1, without gaps
 * @param payload the bytes published
 * @param producerId the idempotent producer that published it, or {@code null}
 * @param producerSeq that producer's sequence number, 0 when there is no producer id
 * @param publishedAt when it became durable, epoch milliseconds
 */
public record Entry(
    long index, byte[] payload, String producerId, long producerSeq, long publishedAt)
    implements CborSerializable {}
