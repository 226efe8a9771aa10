package io.continuum.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.FunctionServiceClient;
import io.continuum.gateway.v1.ObjectServiceClient;
import io.continuum.gateway.v1.PlacementServiceClient;
import io.continuum.gateway.v1.ReadRequest;
import io.continuum.gateway.v1.TopicServiceClient;
import io.continuum.node.local.LocalCluster;
import io.continuum.node.local.NodeProcess;
import io.continuum.node.local.NodeSpec;
import io.continuum.persistence.embedded.JournalServer;
import io.continuum.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.grpc.javadsl.PekkoGrpcClient;

/**
 * Several Continuum node processes on 127.0.0.1, driven only from outside like a user: through the
 * gRPC gateway of each node and its management HTTP. Ports are picked free; each node logs to its
 * own file under the cluster's directory, which the test keeps for inspection.
 */
public final class TestCluster implements AutoCloseable {

  static final Duration READY = Duration.ofMinutes(3);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Set<String> drained = ConcurrentHashMap.newKeySet();
  private final LocalCluster cluster;
  private final ActorSystem<Void> clientSystem;
  private final Map<String, PekkoGrpcClient> clients = new ConcurrentHashMap<>();

  private TestCluster(LocalCluster cluster) {
    this.cluster = cluster;
    this.clientSystem =
        ActorSystem.create(
            Behaviors.empty(),
            "test-client",
            ConfigFactory.parseString("pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
  }

  /**
   * Starts one node per entry of {@code zones} (a node's name is its zone plus its position when
   * zones repeat) and waits until every node is ready.
   */
  public static TestCluster start(
      Path dir, String topology, List<String> zones, Map<String, String> env) {
    int[] ports = LoopbackPorts.pick(zones.size() * 3);
    List<NodeSpec> specs = new ArrayList<>();
    for (int i = 0; i < zones.size(); i++) {
      String zone = zones.get(i);
      String name = zones.indexOf(zone) == zones.lastIndexOf(zone) ? zone : zone + "-" + i;
      specs.add(new NodeSpec(name, zone, ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]));
    }
    LocalCluster cluster =
        LocalCluster.of(
            dir,
            topology,
            specs,
            env,
            List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    TestCluster test = new TestCluster(cluster);
    try {
      cluster.start().awaitReady(READY);
    } catch (RuntimeException e) {
      test.close();
      throw e;
    }
    return test;
  }

  public NodeProcess node(String name) {
    return cluster.node(name);
  }

  public List<NodeProcess> nodes() {
    return cluster.nodes();
  }

  /**
   * A gRPC client of the topic service of that node's gateway. A pekko-grpc client closes for good
   * after too many failed connection attempts (a node that was down for a while), so a closed one
   * is replaced.
   */
  public TopicServiceClient topics(NodeProcess node) {
    return client("topics", node, TopicServiceClient::create);
  }

  /** A gRPC client of the function service of that node's gateway, replaced when closed. */
  public FunctionServiceClient functions(NodeProcess node) {
    return client("functions", node, FunctionServiceClient::create);
  }

  /** A gRPC client of the placement service of that node's gateway, replaced when closed. */
  public PlacementServiceClient placement(NodeProcess node) {
    return client("placement", node, PlacementServiceClient::create);
  }

  /** A gRPC client of the object service of that node's gateway, replaced when closed. */
  public ObjectServiceClient objects(NodeProcess node) {
    return client("objects", node, ObjectServiceClient::create);
  }

  private <C extends PekkoGrpcClient> C client(
      String service,
      NodeProcess node,
      BiFunction<GrpcClientSettings, ClassicActorSystemProvider, C> create) {
    @SuppressWarnings("unchecked")
    C client =
        (C)
            clients.compute(
                service + "@" + node.spec().name(),
                (key, existing) ->
                    existing != null && !existing.closed().toCompletableFuture().isDone()
                        ? existing
                        : create.apply(
                            GrpcClientSettings.connectToServiceAt(
                                    "127.0.0.1", node.spec().gatewayPort(), clientSystem)
                                .withTls(false)
                                .withDeadline(Duration.ofSeconds(20)),
                            clientSystem));
    return client;
  }

  public ActorSystem<Void> clientSystem() {
    return clientSystem;
  }

  /** GET on a node's management HTTP; the JSON body, or {@code null} unless the status is 200. */
  public JsonNode management(NodeProcess node, String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(node.managementUrl() + path))
                  .timeout(Duration.ofSeconds(15))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until every node reports ready (after nodes were restarted one by one). */
  public void awaitReady() {
    cluster.awaitReady(READY);
  }

  /** Stops every node gracefully, starts them again on the same data and waits until ready. */
  public void restartAll() {
    closeClients();
    cluster.stopNodes();
    cluster.start().awaitReady(READY);
  }

  /** Polls {@code condition} until it holds; fails naming {@code what} and with the logs. */
  public void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      pause(100);
    }
  }

  /** Sleeps, for polling and pacing; an interrupt ends the test. */
  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every entry of a topic, read through {@code reader}'s gateway in pages of 1,000. */
  public List<Entry> readAll(NodeProcess reader, String topic) {
    List<Entry> all = new ArrayList<>();
    long from = 1;
    while (true) {
      List<Entry> page =
          await(
                  topics(reader)
                      .read(
                          ReadRequest.newBuilder()
                              .setTopic(topic)
                              .setFromIndex(from)
                              .setMax(1000)
                              .build()))
              .getEntriesList();
      if (page.isEmpty()) {
        return all;
      }
      all.addAll(page);
      from = page.get(page.size() - 1).getIndex() + 1;
    }
  }

  /**
   * A future of the call that fails after {@code timeout}. A call in flight to a node that stops
   * may never complete, and the futures pekko-grpc returns cannot be completed from outside ({@code
   * orTimeout} on them has no effect), so the timeout is on a future of our own.
   */
  public static <T> CompletableFuture<T> within(CompletionStage<T> call, Duration timeout) {
    CompletableFuture<T> result = new CompletableFuture<>();
    call.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            result.completeExceptionally(failure);
          } else {
            result.complete(value);
          }
        });
    return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits for a gRPC call. */
  public static <T> T await(CompletionStage<T> call) {
    try {
      return call.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("call failed: " + e.getMessage(), e);
    }
  }

  /** Appends a line to {@code test.log} in the cluster's directory, beside the nodes' logs. */
  public void note(String line) {
    try {
      Files.writeString(
          cluster.dataDir().resolve("logs").resolve("test.log"),
          java.time.LocalTime.now() + " " + line + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The tail of every node's log, for failure reports. */
  public String logTails(int lines) {
    return cluster.nodes().stream()
        .map(n -> "==== " + n.spec().name() + " (" + n.log() + ")\n" + n.logTail(lines))
        .collect(Collectors.joining("\n"));
  }

  /**
   * Prints a measured figure of a fault scenario on stdout and into {@code test.log}, as one line
   * starting with {@code fault-suite:}.
   */
  public void figure(String format, Object... args) {
    String line = "fault-suite: " + String.format(java.util.Locale.ROOT, format, args);
    System.out.println(line);
    note(line);
  }

  /** The embedded journal the nodes write to, empty when they use another backend. */
  public Optional<JournalServer> journal() {
    return cluster.journal();
  }

  /**
   * A planned restart, as an operator does it behind a load balancer: takes the node out of service
   * ({@link #inService}), stops it gracefully, starts it again on the same data, waits until it is
   * ready and puts it back in service.
   */
  public void restart(NodeProcess node) {
    drained.add(node.spec().name());
    try {
      node.stop(Duration.ofSeconds(30));
      node.start();
      awaitReady(node);
    } finally {
      drained.remove(node.spec().name());
    }
  }

  /**
   * False while a planned {@link #restart} has taken the node out of service: clients should not
   * pick its gateway then, as a load balancer would not. Crashed and frozen nodes stay in service
   * (clients cannot tell).
   */
  public boolean inService(NodeProcess node) {
    return !drained.contains(node.spec().name());
  }

  /** Waits until that node reports ready; fails at once when its process exits. */
  public void awaitReady(NodeProcess node) {
    await(
        node.spec().name() + " to be ready",
        READY,
        () -> {
          if (!node.isAlive()) {
            throw new AssertionError(
                "node " + node.spec().name() + " exited:\n" + node.logTail(40));
          }
          return node.isReady();
        });
  }

  /**
   * The node that hosts a topic now, as management HTTP of {@code observer} reports it, or empty
   * while the topic is not located.
   */
  public Optional<NodeProcess> hostOf(String topic, NodeProcess observer) {
    JsonNode location = management(observer, "/continuum/topics/" + topic);
    if (location == null || !location.hasNonNull("node")) {
      return Optional.empty();
    }
    String address = location.get("node").asText();
    return nodes().stream().filter(n -> address.endsWith(":" + n.spec().remotePort())).findFirst();
  }

  /**
   * True once {@code observer} no longer counts {@code node} as a live member: the node is downed,
   * removed, or has left.
   */
  public boolean isDownedAsSeenBy(NodeProcess observer, NodeProcess node) {
    JsonNode members = management(observer, "/cluster/members");
    if (members == null) {
      return false;
    }
    for (JsonNode member : members.get("members")) {
      if (member.get("node").asText().endsWith(":" + node.spec().remotePort())) {
        String status = member.get("status").asText();
        return status.equals("Down") || status.equals("Removed") || status.equals("Exiting");
      }
    }
    return true;
  }

  /**
   * Waits until {@code observer} counts {@code node} as downed; the seconds from {@code since}
   * (System.nanoTime), measured to the 100 ms poll.
   */
  public double awaitDowned(NodeProcess node, NodeProcess observer, long since, Duration timeout) {
    await(
        node.spec().name() + " downed as " + observer.spec().name() + " sees it",
        timeout,
        () -> isDownedAsSeenBy(observer, node));
    return (System.nanoTime() - since) / 1e9;
  }

  /** A fresh directory for a cluster of that name under {@code target/clusters}. */
  public static Path directory(String name) {
    return Path.of("target", "clusters", name + "-" + System.currentTimeMillis());
  }

  private void closeClients() {
    clients.values().forEach(PekkoGrpcClient::close);
    clients.clear();
  }

  @Override
  public void close() {
    closeClients();
    cluster.close();
    clientSystem.terminate();
  }
}
