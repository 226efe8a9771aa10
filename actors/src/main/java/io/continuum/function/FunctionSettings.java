package io.continuum.function;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Node-wide settings of function instances, from {@code continuum.functions}.
 *
 * @param askTimeout how long a caller waits for an instance by default
 * @param deliveryTimeout how long an outbox delivery waits for its acknowledgement before retrying
 * @param retryBackoff pause before retrying a failed delivery
 * @param idleTimeout an instance with nothing pending passivates after this long without messages
 * @param snapshotEvery a snapshot every this many events
 * @param replies how many replies of invocations with a request id each instance keeps
 * @param objectReadStaleness how old the objects a handler reads may be before they are read again
 * @param attemptTimeout how long one attempt of a call waits before the gateway tries again with
 *     the same request id, within the call's deadline
 * @param maxMessageBytes the largest reply or effect a handler may produce: what one message
 *     between nodes carries ({@code pekko.remote.artery.advanced.maximum-frame-size} less 64 KiB)
 */
public record FunctionSettings(
    Duration askTimeout,
    Duration deliveryTimeout,
    Duration retryBackoff,
    Duration idleTimeout,
    int snapshotEvery,
    Replies replies,
    Duration objectReadStaleness,
    Duration attemptTimeout,
    int maxMessageBytes) {

  /**
   * The replies an instance keeps so that a retried invocation (same request id) gets its reply
   * instead of running again: every reply younger than {@code retention}, at least the {@code min}
   * newest, at most the {@code max} newest. Calls wait at most {@code retention}, so every attempt
   * of a call arrives while its reply is kept (or after its deadline, when it is refused unrun).
   */
  public record Replies(int min, Duration retention, int max) {}

  /** Room in a message between nodes for what wraps a payload: ids, names, the reply address. */
  public static final long ENVELOPE_BYTES = 64 * 1024;

  public static FunctionSettings fromConfig(Config config) {
    Config functions = config.getConfig("continuum.functions");
    return new FunctionSettings(
        functions.getDuration("ask-timeout"),
        functions.getDuration("delivery-timeout"),
        functions.getDuration("retry-backoff"),
        functions.getDuration("idle-timeout"),
        functions.getInt("snapshot-every"),
        new Replies(
            functions.getInt("remembered-replies"),
            functions.getDuration("reply-retention"),
            functions.getInt("max-remembered-replies")),
        functions.getDuration("object-read-staleness"),
        functions.getDuration("attempt-timeout"),
        (int)
            (config.getBytes("pekko.remote.artery.advanced.maximum-frame-size") - ENVELOPE_BYTES));
  }
}
