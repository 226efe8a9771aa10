package io.continuum.gateway;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the gRPC gateway, from {@code continuum.gateway}.
 *
 * @param maxRequestBytes the largest request message the gateway accepts
 * @param maxCallsInFlight calls (and open streams) served at once; beyond them a call is refused at
 *     once, not queued (0: no limit)
 * @param eventLoopThreads Netty event loop threads that read, decode and dispatch calls (0 in the
 *     configuration: half the available processors, at least 1)
 * @param shutdownGrace how long calls in flight may finish when the node shuts down
 */
public record GatewaySettings(
    int maxRequestBytes, int maxCallsInFlight, int eventLoopThreads, Duration shutdownGrace) {

  public static GatewaySettings fromConfig(Config config) {
    Config gateway = config.getConfig("continuum.gateway");
    long maxRequestBytes = gateway.getBytes("max-request-bytes");
    if (maxRequestBytes < 1 || maxRequestBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "continuum.gateway.max-request-bytes must be between 1 byte and 2 GiB, was "
              + maxRequestBytes);
    }
    int maxCallsInFlight = gateway.getInt("max-calls-in-flight");
    if (maxCallsInFlight < 0) {
      throw new IllegalArgumentException(
          "continuum.gateway.max-calls-in-flight must be 0 (no limit) or more, was "
              + maxCallsInFlight);
    }
    int eventLoopThreads = gateway.getInt("event-loop-threads");
    if (eventLoopThreads < 0) {
      throw new IllegalArgumentException(
          "continuum.gateway.event-loop-threads must be 0 (automatic) or more, was "
              + eventLoopThreads);
    }
    if (eventLoopThreads == 0) {
      eventLoopThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
    return new GatewaySettings(
        (int) maxRequestBytes,
        maxCallsInFlight,
        eventLoopThreads,
        gateway.getDuration("shutdown-grace"));
  }
}
