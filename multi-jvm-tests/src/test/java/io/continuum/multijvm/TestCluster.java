package io.continuum.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.continuum.gateway.v1.TopicServiceClient;
import io.continuum.node.local.LocalCluster;
import io.continuum.node.local.NodeProcess;
import io.continuum.node.local.NodeSpec;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;

/**
 * Several Continuum node processes on 127.0.0.1, driven only from outside like a user: through the
 * gRPC gateway of each node and its management HTTP. Ports are picked free; each node logs to its
 * own file under the cluster's directory, which the test keeps for inspection.
 */
final class TestCluster implements AutoCloseable {

  static final Duration READY = Duration.ofMinutes(3);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final LocalCluster cluster;
  private final ActorSystem<Void> clientSystem;
  private final Map<String, TopicServiceClient> topicClients = new ConcurrentHashMap<>();

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
  static TestCluster start(Path dir, String topology, List<String> zones, Map<String, String> env) {
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

  NodeProcess node(String name) {
    return cluster.node(name);
  }

  List<NodeProcess> nodes() {
    return cluster.nodes();
  }

  /**
   * A gRPC client of the topic service of that node's gateway. A pekko-grpc client closes for good
   * after too many failed connection attempts (a node that was down for a while), so a closed one
   * is replaced.
   */
  TopicServiceClient topics(NodeProcess node) {
    return topicClients.compute(
        node.spec().name(),
        (name, client) ->
            client != null && !client.closed().toCompletableFuture().isDone()
                ? client
                : TopicServiceClient.create(
                    GrpcClientSettings.connectToServiceAt(
                            "127.0.0.1", node.spec().gatewayPort(), clientSystem)
                        .withTls(false)
                        .withDeadline(Duration.ofSeconds(20)),
                    clientSystem));
  }

  ActorSystem<Void> clientSystem() {
    return clientSystem;
  }

  /** GET on a node's management HTTP; the JSON body, or {@code null} unless the status is 200. */
  JsonNode management(NodeProcess node, String path) {
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
  void awaitReady() {
    cluster.awaitReady(READY);
  }

  /** Stops every node gracefully, starts them again on the same data and waits until ready. */
  void restartAll() {
    topicClients.values().forEach(TopicServiceClient::close);
    topicClients.clear();
    cluster.stopNodes();
    cluster.start().awaitReady(READY);
  }

  /** Polls {@code condition} until it holds; fails naming {@code what} and with the logs. */
  void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * A future of the call that fails after {@code timeout}. A call in flight to a node that stops
   * may never complete, and the futures pekko-grpc returns cannot be completed from outside ({@code
   * orTimeout} on them has no effect), so the timeout is on a future of our own.
   */
  static <T> CompletableFuture<T> within(CompletionStage<T> call, Duration timeout) {
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
  static <T> T await(CompletionStage<T> call) {
    try {
      return call.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("call failed: " + e.getMessage(), e);
    }
  }

  /** Appends a line to {@code test.log} in the cluster's directory, beside the nodes' logs. */
  void note(String line) {
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
  String logTails(int lines) {
    return cluster.nodes().stream()
        .map(n -> "==== " + n.spec().name() + " (" + n.log() + ")\n" + n.logTail(lines))
        .collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    topicClients.values().forEach(TopicServiceClient::close);
    cluster.close();
    clientSystem.terminate();
  }
}
