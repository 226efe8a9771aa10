package io.continuum.bench;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;

/** The actor system that a benchmark's gRPC clients share, and their settings per target. */
final class BenchClients implements AutoCloseable {

  final ActorSystem<Void> system;

  BenchClients() {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "bench",
            ConfigFactory.parseString("pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
  }

  /** Plaintext gRPC to {@code host:port}. */
  GrpcClientSettings settings(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return GrpcClientSettings.connectToServiceAt(
            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), system)
        .withTls(false);
  }

  @Override
  public void close() {
    system.terminate();
  }
}
