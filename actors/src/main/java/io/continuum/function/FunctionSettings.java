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
 * @param rememberedReplies replies kept per instance for retried invocations with a request id
 * @param objectReadStaleness how old the objects a handler reads may be before they are read again
 * @param attemptTimeout how long one attempt of a call waits before the gateway tries again with
 *     the same request id, within the call's deadline
 */
public record FunctionSettings(
    Duration askTimeout,
    Duration deliveryTimeout,
    Duration retryBackoff,
    Duration idleTimeout,
    int snapshotEvery,
    int rememberedReplies,
    Duration objectReadStaleness,
    Duration attemptTimeout) {

  public static FunctionSettings fromConfig(Config config) {
    Config functions = config.getConfig("continuum.functions");
    return new FunctionSettings(
        functions.getDuration("ask-timeout"),
        functions.getDuration("delivery-timeout"),
        functions.getDuration("retry-backoff"),
        functions.getDuration("idle-timeout"),
        functions.getInt("snapshot-every"),
        functions.getInt("remembered-replies"),
        functions.getDuration("object-read-staleness"),
        functions.getDuration("attempt-timeout"));
  }
}
