package io.continuum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.continuum.gateway.v1.ClusterServiceClient;
import io.continuum.gateway.v1.FunctionServiceClient;
import io.continuum.gateway.v1.FunctionServiceGrpc;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.PlacementServiceClient;
import io.continuum.gateway.v1.TopicServiceClient;
import io.continuum.node.ContinuumNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.grpc.javadsl.PekkoGrpcClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Continuum node, started once per test class (its {@code @Nested} classes share it), and
 * gRPC clients that reach its gateway over a real socket. Register it as a static
 * {@code @RegisterExtension} field. Every port is free when chosen; data lives in a temporary
 * directory. The node runs the applications on the test classpath: {@link NotebookApp}.
 */
final class GatewayNode implements BeforeAllCallback, AfterAllCallback {

  /** The zone of the node; the topology adds {@code cloud}, which has no node. */
  static final String ZONE = "edge-a";

  static final String OTHER_ZONE = "cloud";
  static final long DEFAULT_HISTORY = 500;
  static final int DEFAULT_MAX_ENTRY_BYTES = 64 * 1024;
  static final int ENTRY_BYTES_LIMIT = 1024 * 1024;

  /** Payload bytes one read returns at most, and the bytes the cache of a topic holds. */
  static final int READ_BATCH_BYTES = 2 * 1024 * 1024;

  /** The gateway's request limit, {@code continuum.gateway.max-request-bytes} of a node. */
  static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  /** Few cached entries, so that reads of older entries exercise the journal. */
  static final int CACHED_ENTRIES = 16;

  /** The duplicate window of a topic created without one, in milliseconds. */
  static final long DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

  /** The longest duplicate window a topic may declare, in milliseconds. */
  static final long DUPLICATE_WINDOW_LIMIT_MS = 3_600_000;

  /** Upper bound of any single call or wait of a test. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Map<String, ?> settings;
  private String owner;
  private Path dataDir;
  private Config config;
  private ContinuumNode node;
  private int gatewayPort;
  private int managementPort;
  private ActorSystem<Void> clientSystem;
  private TopicServiceClient topics;
  private ClusterServiceClient cluster;
  private FunctionServiceClient functions;
  private PlacementServiceClient placement;

  /** A node with the settings below. */
  GatewayNode() {
    this(Map.of());
  }

  /** A node with {@code settings} besides (or instead of) the settings below. */
  GatewayNode(Map<String, ?> settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (owner != null) {
      return; // a @Nested class shares the node of its enclosing class
    }
    owner = context.getUniqueId();
    dataDir = Files.createTempDirectory("continuum-gateway-test");
    gatewayPort = freePort();
    managementPort = freePort();
    int remotePort = freePort();
    config =
        ConfigFactory.parseMap(settings)
            .withFallback(
                ConfigFactory.parseMap(
                    Map.ofEntries(
                        Map.entry("continuum.zone", ZONE),
                        Map.entry(
                            "continuum.topology", ZONE + ":edge>" + OTHER_ZONE + ", cloud:cloud"),
                        Map.entry("continuum.data-dir", dataDir.toString()),
                        Map.entry("continuum.node.gateway-port", gatewayPort),
                        Map.entry("pekko.management.http.port", managementPort),
                        Map.entry("pekko.remote.artery.canonical.port", remotePort),
                        Map.entry("continuum.topics.default-history", DEFAULT_HISTORY),
                        Map.entry(
                            "continuum.topics.default-max-entry-bytes", DEFAULT_MAX_ENTRY_BYTES),
                        Map.entry("continuum.topics.entry-bytes-limit", ENTRY_BYTES_LIMIT),
                        Map.entry("continuum.topics.cached-entries", CACHED_ENTRIES),
                        Map.entry("continuum.topics.cached-bytes", READ_BATCH_BYTES),
                        Map.entry("continuum.topics.read-batch-bytes", READ_BATCH_BYTES),
                        Map.entry(
                            "continuum.topics.default-duplicate-window",
                            DEFAULT_DUPLICATE_WINDOW_MS + "ms"),
                        Map.entry(
                            "continuum.topics.duplicate-window-limit",
                            DUPLICATE_WINDOW_LIMIT_MS + "ms"),
                        Map.entry("pekko.coordinated-shutdown.exit-jvm", "off"),
                        Map.entry("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off"))));
    node = ContinuumNode.start(config);
    awaitReady();
    clientSystem =
        ActorSystem.create(
            Behaviors.empty(),
            "gateway-test-client",
            ConfigFactory.parseString("pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
    connectClients();
  }

  private void connectClients() {
    topics = TopicServiceClient.create(clientSettings(), clientSystem);
    cluster = ClusterServiceClient.create(clientSettings(), clientSystem);
    functions = FunctionServiceClient.create(clientSettings(), clientSystem);
    placement = PlacementServiceClient.create(clientSettings(), clientSystem);
  }

  private void closeClients() throws Exception {
    for (PekkoGrpcClient client : List.<PekkoGrpcClient>of(topics, cluster, functions, placement)) {
      client.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (!context.getUniqueId().equals(owner)) {
      return;
    }
    try {
      if (topics != null) {
        closeClients();
      }
      if (clientSystem != null) {
        clientSystem.terminate();
        clientSystem.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      if (node != null) {
        node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      deleteRecursively(dataDir);
    }
  }

  TopicServiceClient topics() {
    return topics;
  }

  ClusterServiceClient cluster() {
    return cluster;
  }

  /** A client of the node's {@code FunctionService}, whose application is {@link NotebookApp}. */
  FunctionServiceClient functions() {
    return functions;
  }

  /** A client of the node's {@code PlacementService}. */
  PlacementServiceClient placement() {
    return placement;
  }

  ActorSystem<Void> clientSystem() {
    return clientSystem;
  }

  int gatewayPort() {
    return gatewayPort;
  }

  int managementPort() {
    return managementPort;
  }

  /** Stops the node as SIGTERM would; the clients stay open. */
  CompletionStage<Done> stopNode() {
    return node.stop();
  }

  /**
   * Stops the node as SIGTERM would and starts it again with the same settings, data and ports;
   * returns once it is ready, with new clients (the old ones' connections were closed).
   */
  void restartNode() throws Exception {
    node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    node.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    node = ContinuumNode.start(config);
    awaitReady();
    closeClients();
    connectClients();
  }

  /** The node's cluster address, e.g. {@code pekko://continuum@127.0.0.1:41234}. */
  String address() {
    return node.system().address().toString();
  }

  /** Settings of a plaintext client of the gateway whose calls time out after CALL_TIMEOUT. */
  GrpcClientSettings clientSettings() {
    return GrpcClientSettings.connectToServiceAt("127.0.0.1", gatewayPort, clientSystem)
        .withTls(false)
        .withDeadline(CALL_TIMEOUT);
  }

  /** A new plaintext grpc-java channel to the gateway; the caller shuts it down. */
  ManagedChannel channel() {
    return NettyChannelBuilder.forAddress("127.0.0.1", gatewayPort).usePlaintext().build();
  }

  /**
   * Invokes, through {@code channel}, a notebook whose handler takes {@code duration} and writes
   * the notebook's id.
   */
  static ListenableFuture<InvokeResponse> stall(
      ManagedChannel channel, String id, Duration duration) {
    return FunctionServiceGrpc.newFutureStub(channel)
        .invoke(
            InvokeRequest.newBuilder()
                .setType(NotebookApp.TYPE)
                .setId(id)
                .setPayload(
                    ByteString.copyFromUtf8(
                        "{\"millis\":" + duration.toMillis() + ",\"text\":\"" + id + "\"}"))
                .build());
  }

  /** The result of a call, waiting at most {@link #CALL_TIMEOUT}. */
  static <T> T await(CompletionStage<T> call) {
    try {
      return call.toCompletableFuture().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("call failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + CALL_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Asserts that a call fails with {@code code} and a description containing every one of {@code
   * words}; returns the status.
   */
  static Status assertRejected(CompletionStage<?> call, Status.Code code, String... words) {
    Status status = statusOf(call);
    assertThat(status.getCode()).as("status of a call failing with %s", status).isEqualTo(code);
    assertThat(status.getDescription()).as("description of %s", status).isNotBlank();
    if (words.length > 0) {
      assertThat(status.getDescription()).as("description of %s", status).contains(words);
    }
    return status;
  }

  /** The status a call fails with; fails the test when the call succeeds. */
  static Status statusOf(CompletionStage<?> call) {
    try {
      Object value = call.toCompletableFuture().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return fail("expected the call to fail, but it returned " + value);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(StatusRuntimeException.class);
      return ((StatusRuntimeException) e.getCause()).getStatus();
    } catch (TimeoutException e) {
      return fail("no answer within " + CALL_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  private void awaitReady() throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    int lastStatus = -1;
    while (System.nanoTime() < deadline) {
      try {
        lastStatus = http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (lastStatus == 200) {
          return;
        }
      } catch (IOException e) {
        lastStatus = -1;
      }
      Thread.sleep(100); // polling an HTTP endpoint: there is no event to wait on
    }
    throw new IllegalStateException(
        "node not ready within " + STARTUP + " (last /ready status " + lastStatus + ")");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
