package io.continuum.bench;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;

/** The actor system and gRPC settings a benchmark's clients share. */
final class BenchClients implements AutoCloseable {

  final ActorSystem<Void> system;
  final GrpcClientSettings settings;

  /**
   * @param gateway host:port
   */
  BenchClients(String gateway) {
    int colon = gateway.lastIndexOf(':');
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "bench",
            ConfigFactory.parseString("pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
    settings =
        GrpcClientSettings.connectToServiceAt(
                gateway.substring(0, colon), Integer.parseInt(gateway.substring(colon + 1)), system)
            .withTls(false);
  }

  @Override
  public void close() {
    system.terminate();
  }
}
