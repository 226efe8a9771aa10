package io.continuum.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.continuum.function.ApplicationRuntime;
import io.continuum.gateway.GatewayServer;
import io.continuum.gateway.GatewaySettings;
import io.continuum.object.ObjectSchema;
import io.continuum.object.ReplicatedObjects;
import io.continuum.operator.PlacementService;
import io.continuum.persistence.PersistenceBackend;
import io.continuum.placement.PlacementConfig;
import io.continuum.placement.PlacementDirectory;
import io.continuum.placement.PlacementKind;
import io.continuum.placement.PlacementPolicy;
import io.continuum.placement.Routing;
import io.continuum.sdk.model.Application;
import io.continuum.sdk.model.InvalidApplicationException;
import io.continuum.sharding.ZoneSharding;
import io.continuum.topic.Topics;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Continuum cluster node: an actor system with Cluster, the Split Brain Resolver and Cluster
 * Sharding; the node's zone and tier as cluster roles; storage prepared; topic entities; the
 * applications found on the classpath and in the apps directory; the gRPC gateway; Pekko Management
 * with health checks and Continuum's routes; and Cluster Bootstrap. SIGTERM runs coordinated
 * shutdown, which leaves the cluster cleanly.
 *
 * <pre>{@code
 * ContinuumNode node = ContinuumNode.start(ConfigFactory.parseString("continuum.zone = edge-a"));
 * node.stop().toCompletableFuture().join();
 * }</pre>
 */
public final class ContinuumNode {

  static {
    CommonPool.sizeForAsyncStages(); // before anything of this JVM uses the pool
  }

  private static final Logger log = LoggerFactory.getLogger(ContinuumNode.class);
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final ActorSystem<Void> system;
  private final ZoneSharding zones;
  private final Topics topics;
  private final ApplicationRuntime applications;
  private final ReplicatedObjects objects;
  private final PlacementService placements;
  private final InetSocketAddress gateway;

  private ContinuumNode(
      ActorSystem<Void> system,
      ZoneSharding zones,
      Topics topics,
      ApplicationRuntime applications,
      ReplicatedObjects objects,
      PlacementService placements,
      InetSocketAddress gateway) {
    this.system = system;
    this.zones = zones;
    this.topics = topics;
    this.applications = applications;
    this.objects = objects;
    this.placements = placements;
    this.gateway = gateway;
  }

  /** Runs a node configured by system properties, environment and {@code application.conf}. */
  public static void main(String[] args) {
    try {
      start(ConfigFactory.empty());
    } catch (IllegalArgumentException | InvalidApplicationException e) {
      System.err.println("continuum: " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * Starts a node and returns once its gateway serves; joining the cluster continues in the
   * background (see the readiness check).
   *
   * @param overrides settings that take precedence over {@code application.conf} and defaults
   * @throws IllegalArgumentException or {@link InvalidApplicationException} naming what is wrong
   *     with the configuration or the applications
   */
  public static ContinuumNode start(Config overrides) {
    Config config = NodeConfig.load(overrides);
    CommonPool.warnIfThreadPerStage(log);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "continuum", config);
    try {
      PersistenceBackend backend = PersistenceBackend.of(config);
      await(backend.prepare(system));
      ZoneSharding zones = ZoneSharding.create(system);
      PlacementDirectory directory =
          PlacementDirectory.start(
              system,
              Path.of(config.getString("continuum.data-dir")),
              config.getDuration("continuum.placement-directory.write-timeout"));
      Topics topics =
          Topics.start(
              system,
              zones,
              backend,
              topic -> directory.find(PlacementKind.TOPIC, topic).map(PlacementPolicy::zone));
      Application application =
          Application.define(AppLoader.load(config.getString("continuum.apps.dir")));
      PlacementConfig placementConfig = PlacementConfig.fromConfig(config);
      ReplicatedObjects objects =
          ReplicatedObjects.start(
              system,
              zones.topology(),
              zones.selfZone(),
              ObjectSchema.Catalog.of(application.objects()),
              object ->
                  directory
                      .find(PlacementKind.OBJECT, object)
                      .or(() -> placementConfig.find(PlacementKind.OBJECT, object))
                      .map(PlacementPolicy::routing)
                      .orElse(Routing.ROUND_ROBIN));
      ApplicationRuntime applications =
          ApplicationRuntime.start(
              system, zones, topics, objects, placementConfig, directory, application);
      PlacementService placements =
          new PlacementService(
              zones.topology(),
              application,
              placementConfig,
              directory,
              applications.functions(),
              topics,
              objects);
      GatewayServer gateway =
          GatewayServer.start(
              system,
              GatewaySettings.fromConfig(config),
              topics,
              applications.functions(),
              objects,
              placements,
              zones.topology(),
              config.getString("continuum.node.bind-host"),
              config.getInt("continuum.node.gateway-port"));
      ContinuumNode node =
          new ContinuumNode(
              system, zones, topics, applications, objects, placements, gateway.address());
      NodeRegistry.get(system.classicSystem()).register(node);
      if (config.getBoolean("continuum.cluster.crash-downing.enabled")) {
        system.systemActorOf(
            CrashDowning.create(
                config.getDuration("continuum.cluster.crash-downing.connect-timeout"),
                config.getDuration("continuum.cluster.crash-downing.confirm-after"),
                config.getDuration("continuum.cluster.crash-downing.rewatch-after")),
            "crash-downing",
            Props.empty());
      }
      await(PekkoManagement.get(system.classicSystem()).start());
      ClusterBootstrap.get(system.classicSystem()).start();
      node.exitWithParent(config.getLong("continuum.node.parent-pid"));
      log.info(
          "Continuum node in zone {} of {} ({} backend) serves gRPC on {}",
          zones.selfZone().name(),
          zones.topology().toCompact(),
          backend.name().toLowerCase(),
          gateway.address());
      return node;
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  private void exitWithParent(long parentPid) {
    if (parentPid > 0) {
      ProcessHandle.of(parentPid)
          .ifPresentOrElse(parent -> parent.onExit().thenRun(this::stop), this::stop);
    }
  }

  /** Where things live and why, and moving them. */
  public PlacementService placements() {
    return placements;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public ZoneSharding zones() {
    return zones;
  }

  public Topics topics() {
    return topics;
  }

  /** The applications this node runs. */
  public ApplicationRuntime applications() {
    return applications;
  }

  /** Replicated objects, served by this node's replica of its zone. */
  public ReplicatedObjects objects() {
    return objects;
  }

  /** The bound address of the gRPC gateway. */
  public InetSocketAddress gateway() {
    return gateway;
  }

  /** Leaves the cluster and terminates, as on SIGTERM. */
  public CompletionStage<Done> stop() {
    return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (Exception e) {
      throw new IllegalStateException("node failed to start: " + e.getMessage(), e);
    }
  }
}
