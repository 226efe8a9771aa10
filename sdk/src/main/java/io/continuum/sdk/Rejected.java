package io.continuum.sdk;

/**
 * Thrown by a handler to refuse a message on application grounds: the state is unchanged, no effect
 * happens, and the caller gets {@code FAILED_PRECONDITION} with this message. Retrying the same
 * message will not help.
 */
public class Rejected extends RuntimeException {

  public Rejected(String message) {
    super(message, null, false, false);
  }
}
