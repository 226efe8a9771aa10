package io.continuum.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.SubscribeRequest;
import io.continuum.gateway.v1.TopicServiceGrpc;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Pekko stream answering a server-streaming call over a real HTTP/2 connection: it runs at the
 * pace the client reads, stops when the client cancels, and ends a failed call with its status.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamingReplyTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ByteString KILOBYTE = ByteString.copyFrom(new byte[1024]);

  private static ActorSystem system;

  /** What the next call's subscription streams. */
  private volatile Source<Entry, ?> source;

  private final AtomicLong produced = new AtomicLong();
  private final CompletableFuture<Done> sourceEnded = new CompletableFuture<>();
  private Server server;
  private ManagedChannel channel;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("streaming-reply-test");
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @BeforeEach
  void serve() throws Exception {
    Materializer materializer = Materializer.matFromSystem(system);
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .directExecutor()
            .addService(
                new TopicServiceGrpc.TopicServiceImplBase() {
                  @Override
                  public void subscribe(SubscribeRequest in, StreamObserver<Entry> out) {
                    StreamingReply.run(source, out, materializer);
                  }
                })
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  /** Endless 1 KB entries, counted as the stream produces them. */
  private Source<Entry, ?> endless() {
    return Source.fromIterator(() -> Stream.iterate(1L, i -> i + 1).iterator())
        .map(
            index -> {
              produced.incrementAndGet();
              return Entry.newBuilder().setIndex(index).setPayload(KILOBYTE).build();
            })
        .watchTermination(
            (mat, done) -> {
              done.whenComplete((ok, failure) -> sourceEnded.complete(Done.getInstance()));
              return mat;
            });
  }

  @Test
  void aClientThatStopsReadingHoldsTheStreamBackAndResumesIt() throws Exception {
    source = endless();
    Subscriber subscriber = subscribe(1);

    assertThat(subscriber.next().getIndex()).isEqualTo(1);
    long held = awaitStable(produced);
    assertThat(held)
        .as("entries produced while the client read one (flow-control windows hold ~1 MB)")
        .isLessThan(10_000);

    subscriber.request(held + 10);
    for (long i = 2; i <= held + 11; i++) {
      assertThat(subscriber.next().getIndex()).isEqualTo(i);
    }
    subscriber.cancel();
  }

  @Test
  void aClientThatCancelsStopsTheStream() throws Exception {
    source = endless();
    Subscriber subscriber = subscribe(1);
    assertThat(subscriber.next().getIndex()).isEqualTo(1);

    subscriber.cancel();

    sourceEnded.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void aFailedStreamEndsTheCallWithItsStatus() throws Exception {
    source = Source.failed(new RejectedException(Reason.NOT_FOUND, "topic t does not exist"));
    Subscriber subscriber = subscribe(1);

    Status end = subscriber.end.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(end.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(end.getDescription()).isEqualTo("topic t does not exist");
  }

  @Test
  void aFinishedStreamCompletesTheCall() throws Exception {
    source = Source.range(1, 3).map(i -> Entry.newBuilder().setIndex(i).build());
    Subscriber subscriber = subscribe(10);

    assertThat(subscriber.next().getIndex()).isEqualTo(1);
    assertThat(subscriber.next().getIndex()).isEqualTo(2);
    assertThat(subscriber.next().getIndex()).isEqualTo(3);
    assertThat(subscriber.end.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).isOk()).isTrue();
  }

  private Subscriber subscribe(int initialRequest) {
    Subscriber subscriber = new Subscriber(initialRequest);
    TopicServiceGrpc.newStub(channel).subscribe(SubscribeRequest.getDefaultInstance(), subscriber);
    return subscriber;
  }

  /** Waits until {@code counter} stops growing for a while; returns its value then. */
  private static long awaitStable(AtomicLong counter) throws InterruptedException {
    long last = -1;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(300); // sampling a counter for quiescence: there is no event to wait on
      long now = counter.get();
      if (now == last) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("still producing after " + WAIT + ": " + last);
  }

  /** A client that reads only as many entries as it requests. */
  private static final class Subscriber implements ClientResponseObserver<SubscribeRequest, Entry> {
    private final int initialRequest;
    private final BlockingQueue<Entry> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    private ClientCallStreamObserver<SubscribeRequest> call;

    Subscriber(int initialRequest) {
      this.initialRequest = initialRequest;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> call) {
      this.call = call;
      call.disableAutoRequestWithInitial(initialRequest);
    }

    Entry next() throws InterruptedException {
      Entry entry = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(entry).as("an entry within %s", WAIT).isNotNull();
      return entry;
    }

    void request(long count) {
      call.request((int) count);
    }

    void cancel() {
      call.cancel("the test is done", null);
    }

    @Override
    public void onNext(Entry entry) {
      received.add(entry);
    }

    @Override
    public void onError(Throwable failure) {
      end.complete(Status.fromThrowable(failure));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }
  }
}
