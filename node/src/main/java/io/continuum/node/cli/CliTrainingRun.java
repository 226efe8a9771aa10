package io.continuum.node.cli;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.ClusterServiceGrpc;
import io.continuum.gateway.v1.ClusterStatus;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.CreateTopicResponse;
import io.continuum.gateway.v1.DeleteObjectRequest;
import io.continuum.gateway.v1.DeleteObjectResponse;
import io.continuum.gateway.v1.DescribeTopicRequest;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.FunctionServiceGrpc;
import io.continuum.gateway.v1.GetEntryRequest;
import io.continuum.gateway.v1.GetObjectRequest;
import io.continuum.gateway.v1.GetObjectResponse;
import io.continuum.gateway.v1.GetStateRequest;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.LatestRequest;
import io.continuum.gateway.v1.LatestResponse;
import io.continuum.gateway.v1.NodeStatus;
import io.continuum.gateway.v1.ObjectField;
import io.continuum.gateway.v1.ObjectServiceGrpc;
import io.continuum.gateway.v1.PlacementInfo;
import io.continuum.gateway.v1.PlacementServiceGrpc;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.PublishResponse;
import io.continuum.gateway.v1.ReadRequest;
import io.continuum.gateway.v1.ReadResponse;
import io.continuum.gateway.v1.SendRequest;
import io.continuum.gateway.v1.SendResponse;
import io.continuum.gateway.v1.SetPlacementRequest;
import io.continuum.gateway.v1.ShowPlacementRequest;
import io.continuum.gateway.v1.ShowPlacementResponse;
import io.continuum.gateway.v1.StateResponse;
import io.continuum.gateway.v1.StatusRequest;
import io.continuum.gateway.v1.SubscribeRequest;
import io.continuum.gateway.v1.TopicInfo;
import io.continuum.gateway.v1.TopicServiceGrpc;
import io.continuum.gateway.v1.UpdateObjectRequest;
import io.continuum.gateway.v1.UpdateObjectResponse;
import io.continuum.gateway.v1.ZoneStatus;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.okhttp.OkHttpServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the CLI's class-data sharing archive: the launchers run it once (with {@code
 * -XX:ArchiveClassesAtExit}) and then start every client command with the archive, which holds the
 * classes parsed and verified. It runs the usual client commands against a fake gateway in this
 * process, over a real socket, so that the archive holds the classes of a call, its reply and its
 * errors. Prints nothing; exits with 1 when a command did not end as expected.
 */
public final class CliTrainingRun {

  private CliTrainingRun() {}

  public static void main(String[] args) throws Exception {
    ContinuumCli.quietClientLogging();
    List<String> failures = run();
    if (!failures.isEmpty()) {
      System.err.println("continuum: the training run failed: " + failures);
    }
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  /** Runs the commands; the ones that did not end with the expected exit code. */
  static List<String> run() throws IOException, InterruptedException {
    Server server =
        OkHttpServerBuilder.forPort(0, InsecureServerCredentials.create())
            .addService(new FakeTopics())
            .addService(new FakeCluster())
            .addService(new FakeFunctions())
            .addService(new FakeObjects())
            .addService(new FakePlacement())
            .intercept(new Gzip())
            .build()
            .start();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    List<String> failures = new ArrayList<>();
    try {
      System.setOut(discard);
      System.setErr(discard);
      String gateway = "127.0.0.1:" + server.getPort();
      expect(failures, 0, "--help");
      expect(failures, 0, "topic", "--help");
      expect(failures, 0, "topic", "publish", "--help");
      expect(failures, 0, "status", "--gateway", gateway);
      expect(
          failures,
          0,
          "topic",
          "create",
          "t",
          "--zone",
          "edge-a",
          "--duplicate-window",
          "5m",
          "--gateway",
          gateway);
      expect(failures, 0, "topic", "publish", "t", "{\"t\":21.5}", "--gateway", gateway);
      expect(failures, 0, "topic", "get", "t", "1", "--gateway", gateway);
      expect(failures, 1, "topic", "get", "t", "99", "--gateway", gateway);
      expect(failures, 0, "topic", "latest", "t", "--gateway", gateway);
      expect(failures, 0, "topic", "read", "t", "1", "--gateway", gateway);
      expect(failures, 0, "topic", "describe", "t", "--gateway", gateway);
      expect(failures, 0, "topic", "tail", "t", "--from", "1", "--gateway", gateway);
      expect(failures, 0, "call", "counter", "c1", "{\"add\":5}", "--gateway", gateway);
      expect(failures, 0, "send", "counter", "c1", "{\"add\":1}", "--gateway", gateway);
      expect(failures, 0, "state", "counter", "c1", "--gateway", gateway);
      expect(failures, 0, "object", "update", "o", "f", "increment", "5", "--gateway", gateway);
      expect(failures, 0, "object", "get", "o", "f", "--gateway", gateway);
      expect(failures, 0, "object", "get", "o", "--gateway", gateway);
      expect(failures, 0, "object", "delete", "o", "--gateway", gateway);
      expect(failures, 0, "placement", "show", "--gateway", gateway);
      expect(
          failures,
          0,
          "placement",
          "set",
          "function",
          "counter",
          "--zone",
          "cloud",
          "--gateway",
          gateway);
      expect(failures, 1, "status", "--gateway", "127.0.0.1:" + closedPort());
      expect(failures, 2, "topic", "publish");
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    return failures;
  }

  private static void expect(List<String> failures, int exit, String... args) {
    PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
    int actual = ContinuumCli.commandLineFor(args).setOut(discard).setErr(discard).execute(args);
    if (actual != exit) {
      failures.add(String.join(" ", args) + " exited with " + actual + ", not " + exit);
    }
  }

  /** A port nothing listens on: calls to it fail as when no gateway runs. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Answers with one thing, or one failure: enough to run every path of a command. */
  private static <T> void reply(StreamObserver<T> observer, T value) {
    observer.onNext(value);
    observer.onCompleted();
  }

  /** Compresses the replies, as the gateway does for clients that accept gzip (grpc-java does). */
  private static final class Gzip implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      call.setCompression("gzip");
      return next.startCall(call, headers);
    }
  }

  private static final class FakeTopics extends TopicServiceGrpc.TopicServiceImplBase {
    private static final Entry ENTRY =
        Entry.newBuilder().setIndex(1).setPayload(ByteString.copyFromUtf8("{\"t\":21.5}")).build();
    private static final TopicInfo TOPIC =
        TopicInfo.newBuilder()
            .setName("t")
            .setHomeZone("edge-a")
            .setHistoryLength(100)
            .setMaxEntryBytes(1024)
            .setDuplicateWindowMs(300_000)
            .setFirstIndex(1)
            .setLatestIndex(1)
            .build();

    @Override
    public void create(CreateTopicRequest request, StreamObserver<CreateTopicResponse> observer) {
      reply(observer, CreateTopicResponse.newBuilder().setCreated(true).setTopic(TOPIC).build());
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> observer) {
      reply(observer, PublishResponse.newBuilder().setIndex(1).build());
    }

    @Override
    public void get(GetEntryRequest request, StreamObserver<Entry> observer) {
      if (request.getIndex() != 1) {
        observer.onError(
            Status.NOT_FOUND.withDescription("no entry " + request.getIndex()).asException());
        return;
      }
      reply(observer, ENTRY);
    }

    @Override
    public void latest(LatestRequest request, StreamObserver<LatestResponse> observer) {
      reply(observer, LatestResponse.newBuilder().setIndex(1).setEntry(ENTRY).build());
    }

    @Override
    public void read(ReadRequest request, StreamObserver<ReadResponse> observer) {
      reply(observer, ReadResponse.newBuilder().addEntries(ENTRY).setLatestIndex(1).build());
    }

    @Override
    public void describe(DescribeTopicRequest request, StreamObserver<TopicInfo> observer) {
      reply(observer, TOPIC);
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<Entry> entries) {
      entries.onNext(ENTRY);
      entries.onNext(ENTRY.toBuilder().setIndex(2).build());
      entries.onCompleted();
    }
  }

  private static final class FakeCluster extends ClusterServiceGrpc.ClusterServiceImplBase {
    @Override
    public void status(StatusRequest request, StreamObserver<ClusterStatus> observer) {
      String address = "pekko://continuum@127.0.0.1:7355";
      NodeStatus node =
          NodeStatus.newBuilder()
              .setAddress(address)
              .setStatus("up")
              .setReachable(true)
              .setGateway("127.0.0.1:9090")
              .setManagement("127.0.0.1:8558")
              .build();
      ZoneStatus zone =
          ZoneStatus.newBuilder()
              .setName("edge-a")
              .setTier("edge")
              .addFallback("cloud")
              .addNodes(node)
              .build();
      reply(
          observer,
          ClusterStatus.newBuilder().addZones(zone).setSelf(address).setLeader(address).build());
    }
  }

  private static final class FakeFunctions extends FunctionServiceGrpc.FunctionServiceImplBase {
    @Override
    public void invoke(InvokeRequest request, StreamObserver<InvokeResponse> observer) {
      reply(
          observer,
          InvokeResponse.newBuilder()
              .setHasReply(true)
              .setPayload(ByteString.copyFromUtf8("{\"total\":5}"))
              .build());
    }

    @Override
    public void send(SendRequest request, StreamObserver<SendResponse> observer) {
      reply(observer, SendResponse.newBuilder().setMessageId("m1").build());
    }

    @Override
    public void getState(GetStateRequest request, StreamObserver<StateResponse> observer) {
      reply(
          observer,
          StateResponse.newBuilder().setState(ByteString.copyFromUtf8("{\"total\":6}")).build());
    }
  }

  private static final class FakeObjects extends ObjectServiceGrpc.ObjectServiceImplBase {
    private static final ObjectField FIELD =
        ObjectField.newBuilder().setName("f").setType("pncounter").setJson("5").build();

    @Override
    public void update(UpdateObjectRequest request, StreamObserver<UpdateObjectResponse> observer) {
      reply(observer, UpdateObjectResponse.newBuilder().setField(FIELD).setVersion("v1").build());
    }

    @Override
    public void get(GetObjectRequest request, StreamObserver<GetObjectResponse> observer) {
      reply(
          observer,
          GetObjectResponse.newBuilder().setObject(request.getObject()).addFields(FIELD).build());
    }

    @Override
    public void delete(DeleteObjectRequest request, StreamObserver<DeleteObjectResponse> observer) {
      reply(observer, DeleteObjectResponse.newBuilder().setVersion("v2").build());
    }
  }

  private static final class FakePlacement extends PlacementServiceGrpc.PlacementServiceImplBase {
    private static final PlacementInfo PLACEMENT =
        PlacementInfo.newBuilder()
            .setKind("function")
            .setName("counter")
            .setZone("cloud")
            .addAllowedZones("cloud")
            .setRouting("round_robin")
            .putSources("zone", "default")
            .setNode("pekko://continuum@127.0.0.1:7357")
            .setNodeZone("cloud")
            .build();

    @Override
    public void show(ShowPlacementRequest request, StreamObserver<ShowPlacementResponse> observer) {
      reply(observer, ShowPlacementResponse.newBuilder().addPlacements(PLACEMENT).build());
    }

    @Override
    public void set(SetPlacementRequest request, StreamObserver<PlacementInfo> observer) {
      reply(observer, PLACEMENT);
    }
  }
}
