package io.continuum.function;

import io.continuum.serialization.CborSerializable;

/**
 * The reply of an invocation that carried a request id, kept so a retried invocation gets the same
 * reply instead of running again.
 *
 * @param requestId the caller's id of the request
 * @param messageType class name of the reply, or {@code null} when the handler gave none
 * @param payload the reply as JSON, or {@code null}
 * @param storedAt when the invocation ran (epoch milliseconds): replies are kept at least {@code
 *     reply-retention} from then, longer than any attempt of the call can arrive
 */
public record StoredReply(String requestId, String messageType, byte[] payload, long storedAt)
    implements CborSerializable {}
