package io.continuum.bench;

import com.typesafe.config.ConfigFactory;
import io.continuum.bench.echo.EchoMessage;
import io.continuum.bench.echo.EchoService;
import io.continuum.bench.echo.EchoServiceGrpc;
import io.continuum.bench.echo.EchoServiceHandlerFactory;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The floors of the invoke scenario: a gRPC server with one method that answers each request with
 * its payload, until the process is stopped. Two stacks: Pekko gRPC served by Pekko HTTP/2 (the
 * gateway's stack until now), or grpc-java's Netty server (the gateway's next one).
 */
@Command(
    name = "echo-server",
    description = "Serve the bare echo service (the invoke floor) until stopped.",
    mixinStandardHelpOptions = true)
final class EchoServerCommand implements Callable<Integer> {

  /** The stack of the echo server. */
  enum Stack {
    /** Pekko gRPC on Pekko HTTP/2. */
    pekko,
    /** grpc-java on Netty. */
    grpc
  }

  @Option(names = "--port", defaultValue = "19190")
  int port;

  @Option(
      names = "--stack",
      defaultValue = "pekko",
      description = "pekko (Pekko gRPC on Pekko HTTP) or grpc (grpc-java on Netty).")
  Stack stack;

  /** Answers every request with itself (Pekko gRPC). */
  static final class PekkoEcho implements EchoService {
    @Override
    public CompletionStage<EchoMessage> echo(EchoMessage in) {
      return CompletableFuture.completedFuture(in);
    }
  }

  /** Answers every request with itself (grpc-java). */
  static final class GrpcEcho extends EchoServiceGrpc.EchoServiceImplBase {
    @Override
    public void echo(EchoMessage in, StreamObserver<EchoMessage> reply) {
      reply.onNext(in);
      reply.onCompleted();
    }
  }

  @Override
  public Integer call() throws Exception {
    return stack == Stack.pekko ? servePekko() : serveGrpc();
  }

  private int servePekko() throws Exception {
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "echo",
            ConfigFactory.parseString(
                    "pekko.http.server.preview.enable-http2 = on\npekko.loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
    Http.get(system)
        .newServerAt("127.0.0.1", port)
        .bind(EchoServiceHandlerFactory.create(new PekkoEcho(), system))
        .toCompletableFuture()
        .get();
    System.out.println("echo ready on 127.0.0.1:" + port + " (pekko-grpc)");
    system.getWhenTerminated().toCompletableFuture().get();
    return 0;
  }

  private int serveGrpc() throws Exception {
    // The handler never blocks, so it runs on Netty's event loop: no hop to an executor.
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(new GrpcEcho())
            .directExecutor()
            .build()
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    System.out.println("echo ready on 127.0.0.1:" + port + " (grpc-java)");
    server.awaitTermination();
    return 0;
  }
}
