package io.continuum.persistence.embedded;

import io.continuum.persistence.embedded.v1.HighestRequest;
import io.continuum.persistence.embedded.v1.JournalGrpc;
import io.continuum.persistence.embedded.v1.LoadSnapshotRequest;
import io.continuum.persistence.embedded.v1.ReplayRequest;
import io.continuum.persistence.embedded.v1.ReplayResponse;
import io.continuum.persistence.embedded.v1.SnapshotCriteria;
import io.continuum.persistence.embedded.v1.StoredSnapshot;
import io.continuum.persistence.embedded.v1.WriteRequest;
import io.continuum.persistence.embedded.v1.WriteResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * A node's connection to its embedded journal, shared by the journal, snapshot store and read
 * journal plugins: one channel, and one write stream on it that carries every write of the node.
 *
 * <p>The journal is the {@link JournalServer} at {@code continuum.persistence.embedded.journal}
 * ({@code host:port}, which {@code continuum dev} gives its nodes), or, when that is empty, one
 * this process serves itself over {@code continuum.persistence.embedded.dir} through gRPC's
 * in-process transport (one per directory, shared by the actor systems of this process).
 *
 * <p>Any failure to reach the journal fails the call with an {@link IOException} saying so: Pekko
 * then restarts the entity whose write or recovery failed, which is how entities notice an outage.
 */
public final class JournalConnection implements Extension {

  /** The extension's id. */
  public static final Id ID = new Id();

  /** Looks the connection up, or opens it. */
  public static final class Id extends AbstractExtensionId<JournalConnection>
      implements ExtensionIdProvider {
    private Id() {}

    @Override
    public JournalConnection createExtension(ExtendedActorSystem system) {
      return new JournalConnection(system);
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }

  /** The connection of an actor system. */
  public static JournalConnection get(ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem());
  }

  private static final Map<Path, SharedServer> IN_PROCESS = new HashMap<>();

  /** A journal this process serves itself, and how many connections use it. */
  private static final class SharedServer {
    final JournalServer server;
    int users;

    SharedServer(JournalServer server) {
      this.server = server;
    }
  }

  private final JournalSettings settings;
  private final String address;
  private final Path servedDir;
  private final ManagedChannel channel;
  private final JournalGrpc.JournalStub stub;
  private final EventCodec codec;
  private WriteStream writes;

  private JournalConnection(ExtendedActorSystem system) {
    var config = system.settings().config();
    this.settings = JournalSettings.fromConfig(config);
    this.codec = new EventCodec(SerializationExtension.get(system));
    String configured = config.getString("continuum.persistence.embedded.journal");
    if (configured.isBlank()) {
      this.servedDir =
          Path.of(config.getString("continuum.persistence.embedded.dir")).toAbsolutePath();
      this.address = acquire(servedDir, settings).address();
      this.channel = InProcessChannelBuilder.forName(address).directExecutor().build();
    } else {
      this.servedDir = null;
      this.address = configured.trim();
      this.channel =
          NettyChannelBuilder.forTarget(address)
              .usePlaintext()
              .directExecutor()
              .maxInboundMessageSize(JournalServer.MAX_MESSAGE_BYTES)
              .keepAliveTime(5, TimeUnit.SECONDS)
              .keepAliveTimeout(5, TimeUnit.SECONDS)
              .keepAliveWithoutCalls(true)
              .build();
    }
    this.stub =
        JournalGrpc.newStub(channel).withMaxOutboundMessageSize(JournalServer.MAX_MESSAGE_BYTES);
    system.registerOnTermination(this::close);
  }

  private static synchronized JournalServer acquire(Path dir, JournalSettings settings) {
    SharedServer shared =
        IN_PROCESS.computeIfAbsent(
            dir, d -> new SharedServer(JournalServer.inProcess(d, settings)));
    shared.users++;
    return shared.server;
  }

  private static synchronized void release(Path dir) {
    SharedServer shared = IN_PROCESS.get(dir);
    if (shared != null && --shared.users == 0) {
      IN_PROCESS.remove(dir);
      shared.server.close();
    }
  }

  EventCodec codec() {
    return codec;
  }

  /** Sends a write on the node's write stream; completes once it is committed or refused. */
  CompletionStage<WriteResponse> write(WriteRequest.Builder request) {
    return writeStream().send(request);
  }

  private synchronized WriteStream writeStream() {
    if (writes == null || writes.isBroken()) {
      if (writes != null) {
        // the journal may be back: try to connect now rather than after the channel's backoff
        channel.resetConnectBackoff();
      }
      writes = new WriteStream(stub, this::unreachable);
    }
    return writes;
  }

  /** One page of events of a persistence id. */
  CompletionStage<ReplayResponse> replay(String persistenceId, long from, long to, long max) {
    ReplayRequest request =
        ReplayRequest.newBuilder()
            .setPersistenceId(persistenceId)
            .setFromSequenceNr(from)
            .setToSequenceNr(to)
            .setMax(max)
            .build();
    return call((s, answer) -> s.replay(request, answer));
  }

  /** The highest sequence number written for a persistence id. */
  CompletionStage<Long> highest(String persistenceId) {
    HighestRequest request = HighestRequest.newBuilder().setPersistenceId(persistenceId).build();
    return this.<io.continuum.persistence.embedded.v1.HighestResponse>call(
            (s, answer) -> s.highest(request, answer))
        .thenApply(response -> response.getHighestSequenceNr());
  }

  /** The latest snapshot of a persistence id that the criteria select. */
  CompletionStage<Optional<StoredSnapshot>> loadSnapshot(
      String persistenceId, SnapshotCriteria criteria) {
    LoadSnapshotRequest request =
        LoadSnapshotRequest.newBuilder()
            .setPersistenceId(persistenceId)
            .setCriteria(criteria)
            .build();
    return this.<io.continuum.persistence.embedded.v1.LoadSnapshotResponse>call(
            (s, answer) -> s.loadSnapshot(request, answer))
        .thenApply(
            response ->
                response.hasSnapshot() ? Optional.of(response.getSnapshot()) : Optional.empty());
  }

  private <T> CompletionStage<T> call(BiConsumer<JournalGrpc.JournalStub, StreamObserver<T>> rpc) {
    CompletableFuture<T> result = new CompletableFuture<>();
    rpc.accept(
        stub.withDeadlineAfter(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS),
        new StreamObserver<>() {
          @Override
          public void onNext(T value) {
            result.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            if (Status.fromThrowable(t).getCode() == Status.Code.UNAVAILABLE) {
              channel.resetConnectBackoff();
            }
            result.completeExceptionally(unreachable(t));
          }

          @Override
          public void onCompleted() {}
        });
    return result;
  }

  /** The failure of a call that did not get an answer from the journal. */
  private Throwable unreachable(Throwable cause) {
    if (cause instanceof StatusRuntimeException grpc
        && grpc.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
      return new IllegalArgumentException(grpc.getStatus().getDescription());
    }
    Status status = Status.fromThrowable(cause);
    return new IOException(
        "the embedded journal at "
            + address
            + " did not answer: "
            + status.getCode()
            + (status.getDescription() != null ? " " + status.getDescription() : ""),
        cause);
  }

  private void close() {
    synchronized (this) {
      if (writes != null) {
        writes.close();
      }
    }
    channel.shutdown();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (servedDir != null) {
      release(servedDir);
    }
  }
}
