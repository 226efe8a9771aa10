package io.continuum.node.cli;

import com.typesafe.config.ConfigFactory;
import io.continuum.gateway.v1.ClusterServiceClient;
import io.continuum.gateway.v1.FunctionServiceClient;
import io.continuum.gateway.v1.ObjectServiceClient;
import io.continuum.gateway.v1.PlacementServiceClient;
import io.continuum.gateway.v1.TopicServiceClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;

/** The gRPC clients of one gateway, for the commands of the CLI. */
final class GatewayClient implements AutoCloseable {

  private final ActorSystem<Void> system;
  private final TopicServiceClient topics;
  private final ClusterServiceClient cluster;
  private final FunctionServiceClient functions;
  private final ObjectServiceClient objects;
  private final PlacementServiceClient placement;

  /**
   * @param gateway host:port
   * @param deadline per call, or {@code null} for none (streams that run until interrupted)
   */
  GatewayClient(String gateway, Duration deadline) {
    int colon = gateway.lastIndexOf(':');
    if (colon <= 0) {
      throw new CliException("invalid gateway '" + gateway + "': expected host:port");
    }
    String host = gateway.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(gateway.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new CliException("invalid gateway port in '" + gateway + "'");
    }
    this.system =
        ActorSystem.create(
            Behaviors.empty(),
            "continuum-cli",
            ConfigFactory.parseString(
                    "pekko.loglevel = ERROR\npekko.stdout-loglevel = OFF\n"
                        + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off")
                .withFallback(ConfigFactory.load()));
    GrpcClientSettings settings =
        GrpcClientSettings.connectToServiceAt(host, port, system).withTls(false);
    if (deadline != null) {
      settings = settings.withDeadline(deadline);
    }
    this.topics = TopicServiceClient.create(settings, system);
    this.cluster = ClusterServiceClient.create(settings, system);
    this.functions = FunctionServiceClient.create(settings, system);
    this.objects = ObjectServiceClient.create(settings, system);
    this.placement = PlacementServiceClient.create(settings, system);
  }

  TopicServiceClient topics() {
    return topics;
  }

  ClusterServiceClient cluster() {
    return cluster;
  }

  FunctionServiceClient functions() {
    return functions;
  }

  ObjectServiceClient objects() {
    return objects;
  }

  PlacementServiceClient placement() {
    return placement;
  }

  ActorSystem<Void> system() {
    return system;
  }

  /** Waits for a call; a gRPC failure becomes a {@link CliException} with its status. */
  static <T> T await(CompletionStage<T> call) {
    try {
      return call.toCompletableFuture().get();
    } catch (ExecutionException | CompletionException e) {
      throw CliException.of(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  @Override
  public void close() {
    topics.close();
    cluster.close();
    functions.close();
    objects.close();
    placement.close();
    system.terminate();
  }

  /** A failure to report to the user, with an exit code. */
  static final class CliException extends RuntimeException {
    CliException(String message) {
      super(message, null, false, false);
    }

    static CliException of(Throwable failure) {
      if (failure instanceof StatusRuntimeException grpc) {
        String description = grpc.getStatus().getDescription();
        String code = grpc.getStatus().getCode().name();
        if (grpc.getStatus().getCode() == Status.Code.UNAVAILABLE
            && (description == null || description.startsWith("io exception"))) {
          return new CliException(
              "UNAVAILABLE: no gateway answers; is the cluster running (bin/continuum dev)? use"
                  + " --gateway host:port to pick another");
        }
        return new CliException(code + (description != null ? ": " + description : ""));
      }
      return new CliException(String.valueOf(failure));
    }
  }
}
