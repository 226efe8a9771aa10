package io.continuum.bench;

import com.typesafe.config.ConfigFactory;
import io.continuum.bench.echo.EchoMessage;
import io.continuum.bench.echo.EchoService;
import io.continuum.bench.echo.EchoServiceHandlerFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The floor of the invoke scenario: a Pekko gRPC server with one method that answers each request
 * with its payload, served by Pekko HTTP as Continuum's gateway is, until the process is stopped.
 */
@Command(
    name = "echo-server",
    description = "Serve the bare Pekko gRPC echo service (the invoke floor) until stopped.",
    mixinStandardHelpOptions = true)
final class EchoServerCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "19190")
  int port;

  /** Answers every request with itself. */
  static final class Echo implements EchoService {
    @Override
    public CompletionStage<EchoMessage> echo(EchoMessage in) {
      return CompletableFuture.completedFuture(in);
    }
  }

  @Override
  public Integer call() throws Exception {
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "echo",
            ConfigFactory.parseString(
                    "pekko.http.server.preview.enable-http2 = on\npekko.loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
    Http.get(system)
        .newServerAt("127.0.0.1", port)
        .bind(EchoServiceHandlerFactory.create(new Echo(), system))
        .toCompletableFuture()
        .get();
    System.out.println("echo ready on 127.0.0.1:" + port);
    system.getWhenTerminated().toCompletableFuture().get();
    return 0;
  }
}
