package io.continuum.persistence.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.continuum.persistence.embedded.v1.AtomicEvents;
import io.continuum.persistence.embedded.v1.DeleteEvents;
import io.continuum.persistence.embedded.v1.DeleteSnapshots;
import io.continuum.persistence.embedded.v1.Events;
import io.continuum.persistence.embedded.v1.HighestRequest;
import io.continuum.persistence.embedded.v1.JournalGrpc;
import io.continuum.persistence.embedded.v1.LoadSnapshotRequest;
import io.continuum.persistence.embedded.v1.ReplayRequest;
import io.continuum.persistence.embedded.v1.ReplayResponse;
import io.continuum.persistence.embedded.v1.SaveSnapshot;
import io.continuum.persistence.embedded.v1.Serialized;
import io.continuum.persistence.embedded.v1.SnapshotCriteria;
import io.continuum.persistence.embedded.v1.StoredEvent;
import io.continuum.persistence.embedded.v1.StoredSnapshot;
import io.continuum.persistence.embedded.v1.WriteRequest;
import io.continuum.persistence.embedded.v1.WriteResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The journal service as a node sees it: over TCP, through its write stream and reads. */
@Timeout(60)
class JournalServerTest {

  @TempDir Path dir;

  private JournalServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    server = JournalServer.serve(dir, JournalSettings.defaults());
    channel = connect();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void eventsAreReplayedInOrderWithinTheAskedRange() {
    Writer writer = new Writer();
    assertThat(writer.write(events("Fn|counter|c1", 1, 5)).getRefusal()).isEmpty();

    assertThat(sequenceNrs(replay("Fn|counter|c1", 2, 4, 100))).containsExactly(2L, 3L, 4L);
    assertThat(sequenceNrs(replay("Fn|counter|c1", 1, Long.MAX_VALUE, 2))).containsExactly(1L, 2L);
    assertThat(replay("Fn|counter|c", 1, Long.MAX_VALUE, 100).getEventsList())
        .as("another persistence id, whose name is a prefix")
        .isEmpty();
    assertThat(highest("Fn|counter|c1")).isEqualTo(5);
    assertThat(highest("Fn|counter|c2")).isZero();
  }

  @Test
  void aWriteBelowTheHighestSequenceNumberIsRefusedAsAConflictAndWritesNothing() {
    Writer first = new Writer();
    Writer stale = new Writer();
    first.write(events("Topic|t", 1, 3));

    WriteResponse refused = stale.write(events("Topic|t", 3, 4));

    assertThat(refused.getConflict()).isTrue();
    assertThat(refused.getRefusal()).contains("Topic|t", "up to sequence number 3", "conflicts");
    assertThat(highest("Topic|t")).isEqualTo(3);
    assertThat(sequenceNrs(replay("Topic|t", 1, 10, 10))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aConflictFailsOnlyItsOwnRequestOfACommitNeverItsNeighbours() throws Exception {
    Writer writer = new Writer();
    writer.write(events("Topic|busy", 1, 1));
    // Sent back to back, they are queued together and committed in one transaction.
    CompletableFuture<WriteResponse> before = writer.send(events("Fn|a|1", 1, 1));
    CompletableFuture<WriteResponse> conflicting = writer.send(events("Topic|busy", 1, 1));
    CompletableFuture<WriteResponse> after = writer.send(events("Fn|a|2", 1, 2));

    assertThat(before.get(10, TimeUnit.SECONDS).getRefusal()).isEmpty();
    assertThat(conflicting.get(10, TimeUnit.SECONDS).getConflict()).isTrue();
    assertThat(after.get(10, TimeUnit.SECONDS).getRefusal()).isEmpty();
    assertThat(highest("Fn|a|2")).isEqualTo(2);
  }

  @Test
  void aRequestIsAllOrNothingAcrossItsWrites() {
    Writer writer = new Writer();
    writer.write(events("Topic|b", 1, 1));
    WriteRequest.Builder both =
        WriteRequest.newBuilder()
            .setEvents(
                Events.newBuilder()
                    .addWrites(atomic("Topic|a", 1, 1))
                    .addWrites(atomic("Topic|b", 1, 1)));

    assertThat(writer.write(both).getConflict()).isTrue();
    assertThat(highest("Topic|a")).as("the write of Topic|a was not committed").isZero();
  }

  @Test
  void deletingManyEventsTakesSeveralCommitsAndKeepsTheHighest() {
    Writer writer = new Writer();
    long count = GroupCommit.DELETES_PER_COMMIT * 2L + 10;
    writer.write(events("Topic|long", 1, count));

    WriteResponse deleted =
        writer.write(
            WriteRequest.newBuilder()
                .setDeleteEvents(
                    DeleteEvents.newBuilder()
                        .setPersistenceId("Topic|long")
                        .setToSequenceNr(count - 3)));

    assertThat(deleted.getRefusal()).isEmpty();
    assertThat(sequenceNrs(replay("Topic|long", 1, Long.MAX_VALUE, 100)))
        .containsExactly(count - 2, count - 1, count);
    assertThat(highest("Topic|long")).isEqualTo(count);
    assertThat(writer.write(events("Topic|long", count, count)).getConflict())
        .as("deleted sequence numbers are never written again")
        .isTrue();
  }

  @Test
  void aReplayLargerThanAPageComesInSeveralPages() {
    Writer writer = new Writer();
    int size = 512 * 1024;
    writer.write(events("Topic|big", 1, 12, size));

    ReplayResponse first = replay("Topic|big", 1, Long.MAX_VALUE, 100);

    assertThat(first.getMore()).isTrue();
    assertThat(first.getEventsCount()).isEqualTo(JournalService.PAGE_BYTES / (size + 64));
    ReplayResponse rest =
        replay(
            "Topic|big", first.getEvents(first.getEventsCount() - 1).getSequenceNr() + 1, 12, 100);
    assertThat(first.getEventsCount() + rest.getEventsCount()).isEqualTo(12);
  }

  @Test
  void theLatestSnapshotWithinTheCriteriaIsLoaded() {
    Writer writer = new Writer();
    for (long seq : List.of(10L, 20L, 30L)) {
      writer.write(
          WriteRequest.newBuilder()
              .setSaveSnapshot(
                  SaveSnapshot.newBuilder()
                      .setPersistenceId("Fn|s|1")
                      .setSnapshot(
                          StoredSnapshot.newBuilder()
                              .setSequenceNr(seq)
                              .setTimestamp(1000 + seq)
                              .setSnapshot(serialized("state-" + seq)))));
    }

    assertThat(loadSnapshot("Fn|s|1", criteria(Long.MAX_VALUE, Long.MAX_VALUE)).getSequenceNr())
        .isEqualTo(30);
    assertThat(loadSnapshot("Fn|s|1", criteria(25, Long.MAX_VALUE)).getSequenceNr()).isEqualTo(20);
    assertThat(loadSnapshot("Fn|s|1", criteria(Long.MAX_VALUE, 1015)).getSequenceNr())
        .isEqualTo(10);

    writer.write(
        WriteRequest.newBuilder()
            .setDeleteSnapshots(
                DeleteSnapshots.newBuilder()
                    .setPersistenceId("Fn|s|1")
                    .setCriteria(criteria(20, Long.MAX_VALUE))));
    assertThat(loadSnapshot("Fn|s|1", criteria(Long.MAX_VALUE, Long.MAX_VALUE)).getSequenceNr())
        .isEqualTo(30);
    assertThat(
            JournalGrpc.newBlockingStub(channel)
                .loadSnapshot(
                    LoadSnapshotRequest.newBuilder()
                        .setPersistenceId("Fn|s|1")
                        .setCriteria(criteria(29, Long.MAX_VALUE))
                        .build())
                .hasSnapshot())
        .isFalse();
  }

  @Test
  void whatWasAcknowledgedIsThereAfterTheServerRestarts() throws InterruptedException {
    new Writer().write(events("Topic|kept", 1, 100));
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();

    server = JournalServer.serve(dir, JournalSettings.defaults());
    channel = connect();

    assertThat(highest("Topic|kept")).isEqualTo(100);
    assertThat(replay("Topic|kept", 1, 100, 1000).getEventsCount()).isEqualTo(100);
  }

  @Test
  void aWriterThatVanishesMidStreamLeavesNoLockAndNothingHalfWritten() throws Exception {
    ManagedChannel vanishing = connect();
    Writer gone = new Writer(vanishing);
    gone.write(events("Fn|x|1", 1, 1));
    gone.send(events("Fn|x|1", 2, 3));
    vanishing.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

    Writer takeover = new Writer();
    long highest = highest("Fn|x|1");
    assertThat(highest).as("the request was committed whole or not at all").isIn(1L, 3L);
    assertThat(takeover.write(events("Fn|x|1", highest + 1, highest + 1)).getRefusal()).isEmpty();
  }

  @Test
  void anInvalidPersistenceIdIsRefusedWithTheReason() {
    WriteResponse refused = new Writer().write(events("x".repeat(600), 1, 1));

    assertThat(refused.getConflict()).isFalse();
    assertThat(refused.getRefusal()).contains("persistence id", "1 to 502 UTF-8 bytes");
  }

  private ManagedChannel connect() {
    return NettyChannelBuilder.forTarget(server.address()).usePlaintext().build();
  }

  /** A write stream, as a node holds one. */
  private final class Writer {
    private final Map<Long, CompletableFuture<WriteResponse>> answers = new ConcurrentHashMap<>();
    private final StreamObserver<WriteRequest> requests;
    private long ids;

    Writer() {
      this(channel);
    }

    Writer(ManagedChannel channel) {
      requests =
          JournalGrpc.newStub(channel)
              .write(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(WriteResponse response) {
                      answers.get(response.getId()).complete(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                      answers.values().forEach(a -> a.completeExceptionally(t));
                    }

                    @Override
                    public void onCompleted() {}
                  });
    }

    synchronized CompletableFuture<WriteResponse> send(WriteRequest.Builder request) {
      long id = ++ids;
      CompletableFuture<WriteResponse> answer = new CompletableFuture<>();
      answers.put(id, answer);
      requests.onNext(request.setId(id).build());
      return answer;
    }

    WriteResponse write(WriteRequest.Builder request) {
      return send(request).orTimeout(Duration.ofSeconds(20).toSeconds(), TimeUnit.SECONDS).join();
    }
  }

  private ReplayResponse replay(String id, long from, long to, long max) {
    return JournalGrpc.newBlockingStub(channel)
        .replay(
            ReplayRequest.newBuilder()
                .setPersistenceId(id)
                .setFromSequenceNr(from)
                .setToSequenceNr(to)
                .setMax(max)
                .build());
  }

  private long highest(String id) {
    return JournalGrpc.newBlockingStub(channel)
        .highest(HighestRequest.newBuilder().setPersistenceId(id).build())
        .getHighestSequenceNr();
  }

  private StoredSnapshot loadSnapshot(String id, SnapshotCriteria criteria) {
    return JournalGrpc.newBlockingStub(channel)
        .loadSnapshot(
            LoadSnapshotRequest.newBuilder().setPersistenceId(id).setCriteria(criteria).build())
        .getSnapshot();
  }

  private static SnapshotCriteria criteria(long maxSeq, long maxTimestamp) {
    return SnapshotCriteria.newBuilder()
        .setMaxSequenceNr(maxSeq)
        .setMaxTimestamp(maxTimestamp)
        .build();
  }

  private static WriteRequest.Builder events(String id, long from, long to) {
    return events(id, from, to, 16);
  }

  private static WriteRequest.Builder events(String id, long from, long to, int size) {
    return WriteRequest.newBuilder()
        .setEvents(Events.newBuilder().addWrites(atomic(id, from, to, size)));
  }

  private static AtomicEvents atomic(String id, long from, long to) {
    return atomic(id, from, to, 16);
  }

  private static AtomicEvents atomic(String id, long from, long to, int size) {
    AtomicEvents.Builder atomic = AtomicEvents.newBuilder().setPersistenceId(id);
    LongStream.rangeClosed(from, to)
        .forEach(
            seq ->
                atomic.addEvents(
                    StoredEvent.newBuilder()
                        .setSequenceNr(seq)
                        .setWriterUuid("writer")
                        .setPayload(
                            Serialized.newBuilder()
                                .setBytes(ByteString.copyFrom(new byte[size]))
                                .setSerializerId(4))));
    return atomic.build();
  }

  private static Serialized serialized(String text) {
    return Serialized.newBuilder()
        .setBytes(ByteString.copyFromUtf8(text))
        .setSerializerId(4)
        .build();
  }

  private static List<Long> sequenceNrs(ReplayResponse page) {
    return page.getEventsList().stream().map(StoredEvent::getSequenceNr).toList();
  }
}
