package io.continuum.reply;

/**
 * Why an entity refused a request. Each reason maps to exactly one gRPC status at the gateway, so a
 * client can tell what to do: fix the request, retry, or look elsewhere.
 */
public enum Reason {
  /** The named thing does not exist. */
  NOT_FOUND,
  /** The request itself is wrong; retrying it unchanged fails again. */
  INVALID_ARGUMENT,
  /** It exists already, with other options. */
  ALREADY_EXISTS,
  /** The request is valid but the thing is not in a state to accept it. */
  FAILED_PRECONDITION,
  /** The position asked for is outside the range that exists. */
  OUT_OF_RANGE,
  /** A transient conflict (e.g. the entity is moving); retrying soon succeeds. */
  ABORTED,
  /** Storage or a replica could not be reached; nothing was acknowledged. */
  UNAVAILABLE,
  /** The caller's deadline passed before the answer came; the request may still take effect. */
  DEADLINE_EXCEEDED,
  /** Application code failed unexpectedly; its message says how. */
  INTERNAL
}
