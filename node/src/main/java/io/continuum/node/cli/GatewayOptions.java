package io.continuum.node.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Where a client command sends its calls, and how long it waits. */
final class GatewayOptions {

  @Option(
      names = "--gateway",
      paramLabel = "HOST:PORT",
      defaultValue = "${CONTINUUM_GATEWAY:-127.0.0.1:9090}",
      description = "Gateway to call (default: ${DEFAULT-VALUE}, env CONTINUUM_GATEWAY).")
  String gateway;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description = "Deadline of each call in seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  GatewayClient connect() {
    return new GatewayClient(gateway, Duration.ofSeconds(timeoutSeconds));
  }

  /** A client without deadline, for streams that run until interrupted. */
  GatewayClient connectForStream() {
    return new GatewayClient(gateway, null);
  }
}
