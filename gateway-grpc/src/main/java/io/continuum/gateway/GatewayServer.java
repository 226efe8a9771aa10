package io.continuum.gateway;

import io.continuum.function.Functions;
import io.continuum.object.ReplicatedObjects;
import io.continuum.operator.PlacementService;
import io.continuum.topic.Topics;
import io.continuum.zone.ZoneTopology;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the {@code continuum.v1} services on one port of a node with grpc-java's Netty server,
 * beside server reflection (v1 and v1alpha, for tools such as grpcurl) and the standard health
 * service ({@code grpc.health.v1}: {@code SERVING} while the gateway serves, {@code NOT_SERVING}
 * once the node shuts down).
 *
 * <p>Handlers run on the event loop that reads the call (no thread hop): each only starts
 * asynchronous work and returns; its response is sent from the Pekko thread that completes the
 * work.
 */
public final class GatewayServer {

  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

  private final Server server;
  private final HealthStatusManager health;
  private final SharedKillSwitch subscriptions;
  private final CallsInFlight inFlight;
  private final EventLoopGroup eventLoops;

  private GatewayServer(
      Server server,
      HealthStatusManager health,
      SharedKillSwitch subscriptions,
      CallsInFlight inFlight,
      EventLoopGroup eventLoops) {
    this.server = server;
    this.health = health;
    this.subscriptions = subscriptions;
    this.inFlight = inFlight;
    this.eventLoops = eventLoops;
  }

  /**
   * Binds the gateway on {@code host:port} (port 0: any free port). During coordinated shutdown it
   * stops taking calls (phase service-unbind), ends live subscriptions, and lets calls in flight
   * finish for up to {@link GatewaySettings#shutdownGrace()} before it ends them with {@code
   * UNAVAILABLE} (phase service-requests-done).
   *
   * @throws IllegalStateException when the port cannot be bound
   */
  public static GatewayServer start(
      ActorSystem<?> system,
      GatewaySettings settings,
      Topics topics,
      Functions functions,
      ReplicatedObjects objects,
      PlacementService placements,
      ZoneTopology topology,
      String host,
      int port) {
    SharedKillSwitch subscriptions = KillSwitches.shared("gateway-subscriptions");
    List<ServerServiceDefinition> services =
        List.of(
            new TopicGrpcService(topics, Materializer.matFromSystem(system), subscriptions)
                .bindService(),
            new FunctionGrpcService(functions).bindService(),
            new ClusterGrpcService(system, topology).bindService(),
            new ObjectGrpcService(objects).bindService(),
            new PlacementGrpcService(placements).bindService());
    HealthStatusManager health = new HealthStatusManager();
    RequestSizeLimit sizeLimit = new RequestSizeLimit(settings.maxRequestBytes());
    CallsInFlight inFlight = new CallsInFlight(settings.maxCallsInFlight());
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup eventLoops =
        epoll
            ? new EpollEventLoopGroup(
                settings.eventLoopThreads(), new DefaultThreadFactory("continuum-gateway", true))
            : new NioEventLoopGroup(
                settings.eventLoopThreads(), new DefaultThreadFactory("continuum-gateway", true));
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .channelType(channelType)
            .bossEventLoopGroup(eventLoops)
            .workerEventLoopGroup(eventLoops)
            .directExecutor()
            .maxInboundMessageSize(settings.maxRequestBytes())
            .addStreamTracerFactory(sizeLimit)
            .intercept(sizeLimit)
            // added last, so it runs first: the size limit closes calls through it
            .intercept(inFlight)
            // reflection v1 (grpcurl, current tools) and v1alpha (older ones, Pekko gRPC's client)
            .addService(ProtoReflectionServiceV1.newInstance())
            .addService(ProtoReflectionService.newInstance())
            .addService(health.getHealthService());
    services.forEach(builder::addService);
    Server server;
    try {
      server = builder.build().start();
    } catch (IOException e) {
      eventLoops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "the gateway cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
    }
    for (ServerServiceDefinition service : services) {
      health.setStatus(service.getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    GatewayServer gateway = new GatewayServer(server, health, subscriptions, inFlight, eventLoops);
    gateway.stopDuringShutdown(system, settings.shutdownGrace());
    return gateway;
  }

  /** The address the gateway is bound to. */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  private void stopDuringShutdown(ActorSystem<?> system, Duration grace) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceUnbind(),
        "gateway-unbind",
        () -> {
          health.enterTerminalState();
          server.shutdown();
          subscriptions.abort(
              Status.UNAVAILABLE
                  .withDescription(
                      "the node is shutting down; subscribe again (from the next index) through"
                          + " another node")
                  .asRuntimeException());
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        "gateway-requests-done",
        () -> terminate(grace, system));
  }

  private CompletionStage<Done> terminate(Duration grace, ActorSystem<?> system) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
              log.info("Ending the gateway's calls still running after {}", grace);
              inFlight.closeAll(
                  Status.UNAVAILABLE.withDescription(
                      "the node shut down before the call completed (it may still take effect);"
                          + " retry through another node"));
              server.shutdownNow();
              server.awaitTermination(1, TimeUnit.SECONDS);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
          } finally {
            eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
          }
          return Done.getInstance();
        },
        system.dispatchers().lookup(DispatcherSelector.blocking()));
  }
}
