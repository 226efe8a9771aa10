package io.continuum.reply;

import io.continuum.serialization.CborSerializable;

/**
 * An entity's refusal of a request, sent in place of the normal reply. Reply protocols that can be
 * refused list this record among their permitted types.
 *
 * @param reason what kind of refusal, mapped to a gRPC status at the gateway
 * @param message what happened and what the caller can do about it
 */
public record Rejection(Reason reason, String message) implements CborSerializable {

  /** This refusal as an exception, for APIs that fail a future. */
  public RejectedException toException() {
    return new RejectedException(this);
  }
}
