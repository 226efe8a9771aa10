package io.continuum.topic;

import static io.continuum.topic.TopicTestSystem.bytes;
import static io.continuum.topic.TopicTestSystem.indexes;
import static io.continuum.topic.TopicTestSystem.payloads;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.continuum.journal.JournalDown;
import io.continuum.reply.Reason;
import io.continuum.reply.Rejection;
import io.continuum.topic.TopicEntity.Appended;
import io.continuum.topic.TopicEntity.Command;
import io.continuum.topic.TopicEntity.InJournal;
import io.continuum.topic.TopicEntity.Locate;
import io.continuum.topic.TopicEntity.LocateReply;
import io.continuum.topic.TopicEntity.Location;
import io.continuum.topic.TopicEntity.Publish;
import io.continuum.topic.TopicEntity.PublishReply;
import io.continuum.topic.TopicEntity.Published;
import io.continuum.topic.TopicEntity.Read;
import io.continuum.topic.TopicEntity.ReadLatest;
import io.continuum.topic.TopicEntity.ReadReply;
import io.continuum.topic.TopicEntity.Refused;
import io.continuum.topic.TopicEntity.Served;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.testkit.SnapshotMeta;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The topic entity through {@link EventSourcedBehaviorTestKit}, with serialization of commands,
 * events, state and replies checked. Every test has a topic of its own, so tests share the actor
 * system but no state.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicEntityTest {

  @JUnit5TestKit
  final ActorTestKit testKit = ActorTestKit.create("TopicEntityTest", TopicTestSystem.config());

  /** Upper bound of any wait for something that should happen. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** How long an answer that needs no journal may take. */
  private static final Duration QUIET = Duration.ofMillis(500);

  private final AtomicInteger topics = new AtomicInteger();

  @AfterEach
  void resetJournalFailures() {
    PersistenceTestKit.create(testKit.system()).resetPolicy();
  }

  /**
   * A new topic of its own name with {@code history} entries, at most 16 bytes per entry and a
   * duplicate window of two minutes.
   */
  private TopicSpec spec(long history) {
    return spec(history, Duration.ofMinutes(2));
  }

  private TopicSpec spec(long history, Duration duplicateWindow) {
    return new TopicSpec(
        "topic-" + topics.incrementAndGet(), "edge-a", history, 16, duplicateWindow);
  }

  /** The node's topic settings with {@code overrides} of {@code continuum.topics}. */
  private TopicSettings settings(String overrides) {
    return TopicSettings.fromConfig(
        ConfigFactory.parseString("continuum.topics {" + overrides + "}")
            .withFallback(testKit.system().settings().config()));
  }

  private EventSourcedBehaviorTestKit<Command, Appended, TopicState> topic(
      TopicSpec spec, TopicSettings settings) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), TopicEntity.create(spec, settings));
  }

  private EventSourcedBehaviorTestKit<Command, Appended, TopicState> topic() {
    return topic(spec(100), settings(""));
  }

  private static CommandResultWithReply<Command, Appended, TopicState, PublishReply> publish(
      EventSourcedBehaviorTestKit<Command, Appended, TopicState> topic, String payload) {
    return publish(topic, payload, null, 0);
  }

  private static CommandResultWithReply<Command, Appended, TopicState, PublishReply> publish(
      EventSourcedBehaviorTestKit<Command, Appended, TopicState> topic,
      String payload,
      String producer,
      long seq) {
    return topic.<PublishReply>runCommand(
        replyTo -> new Publish(bytes(payload), producer, seq, replyTo));
  }

  private static void publishAll(
      EventSourcedBehaviorTestKit<Command, Appended, TopicState> topic, int count) {
    for (int i = 1; i <= count; i++) {
      assertThat(publish(topic, "e" + i).reply()).isEqualTo(new Published(i, false));
    }
  }

  private static ReadReply read(
      EventSourcedBehaviorTestKit<Command, Appended, TopicState> topic, long from, int max) {
    return topic.<ReadReply>runCommand(replyTo -> new Read(from, max, 0, replyTo)).reply();
  }

  private static List<String> entries(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(i -> "e" + i).toList();
  }

  @Test
  void publishAssignsConsecutiveIndexesFromOne() {
    var topic = topic();

    var first = publish(topic, "a");
    var second = publish(topic, "b");
    var third = publish(topic, "c");

    assertThat(List.of(first.reply(), second.reply(), third.reply()))
        .containsExactly(new Published(1, false), new Published(2, false), new Published(3, false));
    assertThat(third.state().latest()).isEqualTo(3);
  }

  @Test
  void eachPublishPersistsOneAppendedEventWithIndexAndPayload() {
    var topic = topic();
    publish(topic, "a");

    var result = publish(topic, "b");

    Appended appended = result.eventOfType(Appended.class);
    assertThat(result.events()).hasSize(1);
    assertThat(appended.index()).isEqualTo(2);
    assertThat(appended.payload()).isEqualTo(bytes("b"));
    assertThat(appended.producerId()).isNull();
    assertThat(appended.producerSeq()).isZero();
    assertThat(appended.publishedAt()).isPositive();
  }

  @Test
  void entryOfExactlyTheLimitIsAccepted() {
    var topic = topic();

    var result = publish(topic, "x".repeat(16));

    assertThat(result.reply()).isEqualTo(new Published(1, false));
  }

  @Test
  void entryLargerThanTheTopicsLimitIsRefusedAndNothingPersisted() {
    var topic = topic();
    publish(topic, "a");

    var result = publish(topic, "x".repeat(17));

    Refused refused = result.replyOfType(Refused.class);
    assertThat(refused.rejection().reason()).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(refused.rejection().message())
        .contains("entry of 17 bytes")
        .contains("at most 16 bytes per entry");
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.state().latest()).isEqualTo(1);
  }

  @Test
  void repeatedProducerSequenceReturnsTheOriginalIndexAndAppendsNothing() {
    var topic = topic();
    publish(topic, "a", "p", 1);
    publish(topic, "b");

    var retry = publish(topic, "a", "p", 1);

    assertThat(retry.reply()).isEqualTo(new Published(1, true));
    assertThat(retry.hasNoEvents()).isTrue();
    assertThat(retry.state().latest()).isEqualTo(2);
  }

  @Test
  void nextProducerSequenceAppendsAtTheNextIndex() {
    var topic = topic();
    publish(topic, "a", "p", 1);

    var next = publish(topic, "b", "p", 2);

    assertThat(next.reply()).isEqualTo(new Published(2, false));
    Appended appended = next.eventOfType(Appended.class);
    assertThat(appended.producerId()).isEqualTo("p");
    assertThat(appended.producerSeq()).isEqualTo(2);
  }

  @Test
  void sameSequenceOfAnotherProducerIsNotADuplicate() {
    var topic = topic();
    publish(topic, "a", "p", 1);

    var other = publish(topic, "b", "q", 1);

    assertThat(other.reply()).isEqualTo(new Published(2, false));
  }

  @Test
  void aRepeatOfAnySequencePublishedWithinTheWindowReturnsTheOriginalIndex() {
    var topic = topic(spec(1000), settings(""));
    for (int seq = 1; seq <= 200; seq++) {
      publish(topic, "e" + seq, "p", seq);
    }

    var first = publish(topic, "e1", "p", 1);
    var last = publish(topic, "e200", "p", 200);

    assertThat(first.reply()).isEqualTo(new Published(1, true));
    assertThat(last.reply()).isEqualTo(new Published(200, true));
    assertThat(first.hasNoEvents()).isTrue();
    assertThat(last.state().latest()).isEqualTo(200);
  }

  @Test
  void aRepeatOfASequencePublishedBeforeTheWindowIsRefusedAndNothingPersisted() {
    var topic = topic(spec(1000, Duration.ofMillis(1)), settings(""));
    publish(topic, "e1", "p", 1);
    AtomicLong next = new AtomicLong(1);

    // Each later publish makes the topic forget what was published more than 1 ms before it.
    var stale =
        testKit
            .createTestProbe()
            .awaitAssert(
                WAIT,
                () -> {
                  publish(topic, "later", "p", next.incrementAndGet());
                  var repeat = publish(topic, "e1", "p", 1);
                  assertThat(repeat.reply()).isInstanceOf(Refused.class);
                  return repeat;
                });

    Rejection refused = ((Refused) stale.reply()).rejection();
    assertThat(refused.reason()).isEqualTo(Reason.FAILED_PRECONDITION);
    assertThat(refused.message())
        .startsWith("producer 'p' sequence 1 is older than what topic '")
        .contains("published within its duplicate window of 1ms.")
        .doesNotContain("keeps at most")
        .contains("cannot tell whether this one was published")
        .contains("continue with a higher sequence number");
    assertThat(stale.hasNoEvents()).isTrue();
    assertThat(stale.state().latest()).isEqualTo(next.get());
  }

  @Test
  void beyondTheMaximumTheOldestSequencesAreForgottenWithinTheWindowAndTheRefusalSaysSo() {
    var topic = topic(spec(1000), settings("max-remembered-sequences = 32"));
    for (int seq = 1; seq <= 33; seq++) {
      publish(topic, "e" + seq, "p", seq);
    }

    var stale = publish(topic, "e1", "p", 1);

    Rejection refused = ((Refused) stale.reply()).rejection();
    assertThat(refused.reason()).isEqualTo(Reason.FAILED_PRECONDITION);
    assertThat(refused.message())
        .contains("within its duplicate window of 2m, of which it keeps at most 32 (reached");
    assertThat(stale.hasNoEvents()).isTrue();
    assertThat(publish(topic, "e2", "p", 2).reply()).isEqualTo(new Published(2, true));
    assertThat(publish(topic, "e34", "p", 34).reply()).isEqualTo(new Published(34, false));
  }

  @Test
  void outOfOrderSequencesWithinTheWindowAreAccepted() {
    var topic = topic();
    publish(topic, "e5", "p", 5);

    var late = publish(topic, "e3", "p", 3);
    var later = publish(topic, "e4", "p", 4);
    var retry = publish(topic, "e3", "p", 3);

    assertThat(late.reply()).isEqualTo(new Published(2, false));
    assertThat(later.reply()).isEqualTo(new Published(3, false));
    assertThat(retry.reply()).isEqualTo(new Published(2, true));
  }

  @Test
  void recentEntriesAreServedFromMemory() {
    var topic = topic();
    publishAll(topic, 3);

    Served served = (Served) read(topic, 2, 10);

    assertThat(served.first()).isEqualTo(1);
    assertThat(served.latest()).isEqualTo(3);
    assertThat(indexes(served.entries())).containsExactly(2L, 3L);
    assertThat(payloads(served.entries())).containsExactly("e2", "e3");
  }

  @Test
  void readReturnsAtMostMaxEntries() {
    var topic = topic();
    publishAll(topic, 5);

    Served served = (Served) read(topic, 2, 2);

    assertThat(payloads(served.entries())).containsExactly("e2", "e3");
  }

  @Test
  void readReturnsAtMostTheReadBatchBytesButAlwaysOneEntry() {
    var topic = topic(spec(100), settings("read-batch-bytes = 5"));
    publishAll(topic, 3);
    publish(topic, "too-large");

    assertThat(payloads(((Served) read(topic, 1, 10)).entries())).containsExactly("e1", "e2");
    assertThat(payloads(((Served) read(topic, 4, 10)).entries())).containsExactly("too-large");
  }

  @Test
  void entriesOlderThanTheCacheAreLeftToTheJournal() {
    var topic = topic(spec(100), settings("cached-entries = 2"));
    publishAll(topic, 5);

    assertThat(read(topic, 1, 10)).isEqualTo(new InJournal(1, 5, 1, 5));
    assertThat(read(topic, 2, 2)).isEqualTo(new InJournal(1, 5, 2, 3));
    assertThat(payloads(((Served) read(topic, 4, 10)).entries())).containsExactly("e4", "e5");
  }

  @Test
  void readLatestServesTheNewestEntry() {
    var topic = topic();
    publishAll(topic, 3);

    Served served = (Served) topic.<ReadReply>runCommand(ReadLatest::new).reply();

    assertThat(payloads(served.entries())).containsExactly("e3");
    assertThat(served.latest()).isEqualTo(3);
  }

  @Test
  void readLatestOfAnEmptyTopicIsEmpty() {
    var topic = topic();

    var result = topic.<ReadReply>runCommand(ReadLatest::new);

    assertThat(result.reply()).isEqualTo(new Served(1, 0, List.of()));
  }

  @Test
  void readBeyondTheLatestWithoutWaitingIsEmpty() {
    var topic = topic();
    publishAll(topic, 3);

    assertThat(read(topic, 4, 10)).isEqualTo(new Served(1, 3, List.of()));
  }

  @Test
  void readOfAnEmptyTopicIsEmpty() {
    assertThat(read(topic(), 1, 10)).isEqualTo(new Served(1, 0, List.of()));
  }

  @Test
  void readBeforeTheRetainedHistoryIsOutOfRangeNamingTheOldestRetained() {
    var topic = topic(spec(5), settings(""));
    publishAll(topic, 12);

    Refused refused = (Refused) read(topic, 7, 10);

    assertThat(refused.rejection().reason()).isEqualTo(Reason.OUT_OF_RANGE);
    assertThat(refused.rejection().message())
        .contains("entry 7")
        .contains("the oldest retained entry is 8")
        .contains("history 5");
  }

  @Test
  void oldestRetainedEntryCanBeRead() {
    var topic = topic(spec(5), settings(""));
    publishAll(topic, 12);

    Served served = (Served) read(topic, 8, 10);

    assertThat(served.first()).isEqualTo(8);
    assertThat(served.latest()).isEqualTo(12);
    assertThat(payloads(served.entries())).isEqualTo(entries(8, 12));
  }

  @Test
  void readBeyondTheLatestReportsTheRetainedRange() {
    var topic = topic(spec(5), settings(""));
    publishAll(topic, 12);

    assertThat(read(topic, 13, 10)).isEqualTo(new Served(8, 12, List.of()));
  }

  @Test
  void waitingReadIsAnsweredByTheNextPublish() {
    var topic = topic();
    publishAll(topic, 2);
    TestProbe<ReadReply> reader = testKit.createTestProbe(ReadReply.class);

    topic.runCommand(new Read(3, 10, 10_000, reader.ref()));
    reader.expectNoMessage(Duration.ofMillis(300));
    publish(topic, "e3");

    Served served = reader.expectMessageClass(Served.class);
    assertThat(payloads(served.entries())).containsExactly("e3");
    assertThat(served.latest()).isEqualTo(3);
  }

  @Test
  void waitingReadEndsEmptyWhenItsWaitIsOver() {
    var topic = topic();
    publishAll(topic, 2);
    TestProbe<ReadReply> reader = testKit.createTestProbe(ReadReply.class);

    topic.runCommand(new Read(3, 10, 200, reader.ref()));

    assertThat(reader.expectMessageClass(Served.class, Duration.ofSeconds(3)))
        .isEqualTo(new Served(1, 2, List.of()));
  }

  @Test
  void waitingReadIsReleasedWhenTheTopicStops() {
    var topic = topic();
    publishAll(topic, 2);
    TestProbe<ReadReply> reader = testKit.createTestProbe(ReadReply.class);
    topic.runCommand(new Read(3, 10, 60_000, reader.ref()));

    topic.restart();

    assertThat(reader.expectMessageClass(Served.class)).isEqualTo(new Served(1, 2, List.of()));
  }

  @Test
  void publishAfterRestartContinuesAtTheNextIndex() {
    var topic = topic();
    publishAll(topic, 3);

    var restarted = topic.restart();
    var next = publish(topic, "e4");

    assertThat(restarted.state().latest()).isEqualTo(3);
    assertThat(next.reply()).isEqualTo(new Published(4, false));
  }

  @Test
  void duplicatePublishIsRecognisedAfterRestart() {
    var topic = topic();
    publish(topic, "a", "p", 1);
    publish(topic, "b", "p", 2);

    topic.restart();
    var retry = publish(topic, "b", "p", 2);

    assertThat(retry.reply()).isEqualTo(new Published(2, true));
    assertThat(retry.hasNoEvents()).isTrue();
  }

  @Test
  void replayedEntriesAreServedFromMemoryAgain() {
    var topic = topic();
    publishAll(topic, 3);

    topic.restart();

    assertThat(payloads(((Served) read(topic, 2, 10)).entries())).containsExactly("e2", "e3");
  }

  @Test
  void entriesAfterAFailedWriteAreServedOnceAndWithoutTheFailedEntry() {
    var topic = topic();
    publishAll(topic, 2);
    TestProbe<PublishReply> publisher = testKit.createTestProbe(PublishReply.class);
    topic.persistenceTestKit().failNextPersisted();

    // The write fails: the topic restarts (with backoff) and replays its journal.
    topic.runCommand(new Publish(bytes("lost"), null, 0, publisher.ref()));
    Served afterFailure = (Served) read(topic, 1, 10);
    var next = publish(topic, "e3");

    Rejection failed = ((Refused) publisher.receiveMessage()).rejection();
    assertThat(failed.reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(failed.message())
        .contains("may or may not be in the topic")
        .as("without a producer id, a retry is not safe to promise")
        .contains("a retry may publish it twice");
    assertThat(payloads(afterFailure.entries())).containsExactly("e1", "e2");
    assertThat(next.reply()).isEqualTo(new Published(3, false));
    assertThat(payloads(((Served) read(topic, 3, 10)).entries())).containsExactly("e3");
    assertThat(payloads(((Served) read(topic, 1, 10)).entries())).isEqualTo(entries(1, 3));
  }

  @Test
  void failedEntryIsNotServedWhenTheTopicRecoversFromASnapshotOfItsLastEntry() {
    var topic = topic(spec(100), settings("snapshot-every = 2"));
    publishAll(topic, 2);
    topic.persistenceTestKit().failNextPersisted();

    // Recovery starts from the snapshot at 2 and has no event to replay.
    topic.runCommand(
        new Publish(bytes("lost"), null, 0, testKit.<PublishReply>createTestProbe().ref()));
    Served afterFailure = (Served) read(topic, 1, 10);

    assertThat(afterFailure.latest()).isEqualTo(2);
    assertThat(payloads(afterFailure.entries())).containsExactly("e1", "e2");
  }

  @Test
  void snapshotsDeleteEventsOlderThanOneHistoryLength() {
    var spec = spec(5);
    var topic = topic(spec, settings("snapshot-every = 5"));
    publishAll(topic, 12);

    // Snapshot at 10 (every max(history, snapshot-every) = 5) deletes events up to 10 - 5.
    testKit
        .createTestProbe()
        .awaitAssert(
            () ->
                assertThat(
                        topic
                            .persistenceTestKit()
                            .persistedInStorage(TopicEntity.persistenceId(spec.name()).id()))
                    .extracting(event -> ((Appended) event).index())
                    .containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L));
  }

  @Test
  void snapshotIsTakenEverySnapshotEveryEntries() {
    var spec = spec(100);
    var topic = topic(spec, settings("snapshot-every = 4"));
    publishAll(topic, 9);

    testKit
        .createTestProbe()
        .awaitAssert(
            () -> {
              List<Pair<SnapshotMeta, Object>> snapshots =
                  topic
                      .snapshotTestKit()
                      .orElseThrow()
                      .persistedInStorage(TopicEntity.persistenceId(spec.name()).id());
              assertThat(snapshots).isNotEmpty();
              Pair<SnapshotMeta, Object> newest = snapshots.get(snapshots.size() - 1);
              assertThat(newest.first().sequenceNr()).isEqualTo(8);
              assertThat(((TopicState) newest.second()).latest()).isEqualTo(8);
              return null;
            });
  }

  @Test
  void restartFromASnapshotRecoversLatestAndProducerSequences() {
    var topic = topic(spec(5), settings("snapshot-every = 3"));
    for (int seq = 1; seq <= 12; seq++) {
      publish(topic, "e" + seq, "p", seq);
    }

    var restarted = topic.restart();

    assertThat(restarted.state().latest()).isEqualTo(12);
    assertThat(restarted.state().producers().indexOf("p", 12)).hasValue(12);
    // Recovered from the snapshot at 12: nothing replayed, so nothing is cached.
    assertThat(read(topic, 8, 10)).isEqualTo(new InJournal(8, 12, 8, 12));
    assertThat(((Refused) read(topic, 7, 10)).rejection().reason()).isEqualTo(Reason.OUT_OF_RANGE);
    assertThat(publish(topic, "e12", "p", 12).reply()).isEqualTo(new Published(12, true));
    assertThat(publish(topic, "e1", "p", 1).reply())
        .as("remembered in the snapshot, though its entry was evicted")
        .isEqualTo(new Published(1, true));
    assertThat(publish(topic, "e13", "p", 13).reply()).isEqualTo(new Published(13, false));
  }

  @Test
  void aTopicRecoversFromASnapshotWrittenBeforeDuplicateWindows() throws Exception {
    TopicSpec spec = spec(100);
    var topic = topic(spec, settings(""));
    Object version1 =
        TopicTestSystem.readStored(
            testKit.system(),
            TopicState.class,
            Map.of(
                "latest",
                40,
                "producers",
                Map.of(
                    "p",
                    Map.of(
                        "seqs",
                        LongStream.rangeClosed(9, 40).boxed().toList(),
                        "indexes",
                        LongStream.rangeClosed(9, 40).boxed().toList())),
                "zone",
                "edge-a"));
    topic
        .snapshotTestKit()
        .orElseThrow()
        .persistForRecovery(
            TopicEntity.persistenceId(spec.name()).id(),
            List.of(Pair.create(SnapshotMeta.create(40), version1)));

    var restarted = topic.restart();

    assertThat(restarted.state().latest()).isEqualTo(40);
    assertThat(publish(topic, "e9", "p", 9).reply())
        .as("remembered as before until the next append")
        .isEqualTo(new Published(9, true));
    assertThat(publish(topic, "e41", "p", 41).reply()).isEqualTo(new Published(41, false));
    assertThat(((Refused) publish(topic, "e40", "p", 40).reply()).rejection().reason())
        .as("forgotten by that append, without a time of publication: refused, not appended")
        .isEqualTo(Reason.FAILED_PRECONDITION);
    assertThat(publish(topic, "e41", "p", 41).reply()).isEqualTo(new Published(41, true));
  }

  @Test
  void restartReplaysOnlyTheEventsAfterTheNewestSnapshot() {
    var topic = topic(spec(3), settings("snapshot-every = 3"));
    publishAll(topic, 11);

    var restarted = topic.restart();

    // Snapshot at 9; 10 and 11 are replayed into memory, 9 is left to the journal.
    assertThat(restarted.state().latest()).isEqualTo(11);
    assertThat(read(topic, 9, 10)).isEqualTo(new InJournal(9, 11, 9, 11));
    assertThat(payloads(((Served) read(topic, 10, 10)).entries())).containsExactly("e10", "e11");
  }

  @Test
  void locateNamesThisNodesZoneAndAddress() {
    var topic = topic();

    LocateReply reply = topic.<LocateReply>runCommand(Locate::new).reply();

    assertThat(reply)
        .isEqualTo(
            new Location(
                "edge-a", Cluster.get(testKit.system()).selfMember().address().toString()));
  }

  @Test
  void duringAJournalOutagePublishesAreRefusedAtOnceReadsAreServedAndNothingWaitingRunsLater() {
    TopicSpec spec = spec(100);
    ActorRef<Command> topic = testKit.spawn(TopicEntity.create(spec, settings("")));
    for (int seq = 1; seq <= 2; seq++) {
      assertThat(publishTo(topic, "e" + seq, "p", seq, WAIT)).isEqualTo(new Published(seq, false));
    }
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    JournalDown.begin(journal, TopicEntity.persistenceId(spec.name()).id());

    PublishReply failedWrite = publishTo(topic, "lost", null, 0, WAIT);
    // Arrives while the topic restarts: it waits inside until the outage is noticed.
    TestProbe<PublishReply> waiting = testKit.createTestProbe();
    topic.tell(new Publish(bytes("waited"), null, 0, waiting.ref()));
    JournalDown.awaitRefusedAtOnce(
        testKit,
        WAIT,
        () -> ((Refused) publishTo(topic, "during", null, 0, QUIET)).rejection(),
        "the publish to topic '" + spec.name() + "' was not performed; retry");

    assertThat(((Refused) failedWrite).rejection().reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(publishTo(topic, "e2", "p", 2, QUIET))
        .as("a durable producer sequence needs no journal")
        .isEqualTo(new Published(2, true));
    assertThat(payloads(((Served) latestOf(topic)).entries())).containsExactly("e2");
    Served waitingRead = (Served) readFrom(topic, 1);
    assertThat(payloads(waitingRead.entries())).containsExactly("e1", "e2");

    journal.resetPolicy();
    assertThat(((Refused) waiting.receiveMessage(WAIT)).rejection().reason())
        .isEqualTo(Reason.UNAVAILABLE);
    testKit
        .createTestProbe()
        .awaitAssert(
            WAIT,
            () ->
                assertThat(publishTo(topic, "e3", "p", 3, QUIET))
                    .isEqualTo(new Published(3, false)));
    assertThat(payloads(((Served) readFrom(topic, 1)).entries())).isEqualTo(entries(1, 3));
  }

  @Test
  void anEntityLeftBehindByAMoveRefusesAsAbortedAndStopsAndItsSuccessorHasTheHistory() {
    TopicSpec spec = spec(100);
    AtomicReference<String> home = new AtomicReference<>("edge-a");
    List<String> evicted = new java.util.concurrent.CopyOnWriteArrayList<>();
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    ActorRef<Command> left =
        testKit.spawn(
            TopicEntity.create(spec, settings(""), "edge-a", home::get, evicted::add, shard.ref()));
    assertThat(publishTo(left, "e1", "p", 1, WAIT)).isEqualTo(new Published(1, false));

    home.set("cloud");
    Rejection moved = ((Refused) publishTo(left, "e2", "p", 2, WAIT)).rejection();

    assertThat(moved.reason()).isEqualTo(Reason.ABORTED);
    assertThat(moved.message())
        .isEqualTo("topic '" + spec.name() + "' moved from zone edge-a to cloud; retry");
    assertThat(((Refused) publishTo(left, "e2", "p", 2, WAIT)).rejection())
        .as("refused while it lingers")
        .isEqualTo(moved);
    assertThat(shard.expectMessageClass(ClusterSharding.Passivate.class, WAIT).entity())
        .as("passivates after lingering")
        .isEqualTo(left);
    ActorRef<Command> successor =
        testKit.spawn(
            TopicEntity.create(spec, settings(""), "cloud", home::get, evicted::add, shard.ref()));
    assertThat(publishTo(successor, "e2", "p", 2, WAIT)).isEqualTo(new Published(2, false));
    assertThat(evicted).as("the zone that wrote last is told to leave").containsExactly("edge-a");
    assertThat(publishTo(successor, "e1", "p", 1, WAIT))
        .as("the producer window came along")
        .isEqualTo(new Published(1, true));
  }

  @Test
  void anEntityMovedAwayAndBackBeforeItStoppedRefusesSoThatAFreshOneRecovers() {
    TopicSpec spec = spec(100);
    AtomicReference<String> home = new AtomicReference<>("edge-a");
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    ActorRef<Command> stale =
        testKit.spawn(
            TopicEntity.create(spec, settings(""), "edge-a", home::get, z -> {}, shard.ref()));
    assertThat(publishTo(stale, "e1", null, 0, WAIT)).isEqualTo(new Published(1, false));
    home.set("cloud");
    assertThat(publishTo(stale, "e2", null, 0, WAIT)).isInstanceOf(Refused.class);

    // Back before it stopped: cloud may have written meanwhile, which this entity never saw.
    home.set("edge-a");
    Rejection back = ((Refused) publishTo(stale, "e3", null, 0, WAIT)).rejection();

    assertThat(back.reason()).isEqualTo(Reason.ABORTED);
    assertThat(back.message())
        .isEqualTo("topic '" + spec.name() + "' moved back to zone edge-a and restarts; retry");
    assertThat(shard.expectMessageClass(ClusterSharding.Passivate.class, WAIT).entity())
        .isEqualTo(stale);
  }

  @Test
  void aStopArrivingWhileAWriteFailsStopsTheTopicOnceTheWriteIsOver() {
    TopicSpec spec = spec(100);
    ActorRef<Command> topic = testKit.spawn(TopicEntity.create(spec, settings("")));
    assertThat(publishTo(topic, "e1", null, 0, WAIT)).isEqualTo(new Published(1, false));
    PersistenceTestKit.create(testKit.system())
        .failNextPersisted(TopicEntity.persistenceId(spec.name()).id());
    TestProbe<PublishReply> publisher = testKit.createTestProbe();

    topic.tell(new Publish(bytes("e2"), null, 0, publisher.ref()));
    topic.tell(TopicEntity.Flush.INSTANCE);
    // The shard's stop message arrives while the write is in flight; the failed write restarts
    // the entity, which must not forget that it was asked to stop (its shard would hold every
    // message for it forever).
    topic.tell(TopicEntity.Stop.INSTANCE);

    assertThat(publisher.receiveMessage(WAIT)).isInstanceOf(Refused.class);
    publisher.expectTerminated(topic, WAIT);
  }

  @Test
  void aStaleEntityToldToLeavePassivates() {
    TopicSpec spec = spec(100);
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    ActorRef<Command> stale =
        testKit.spawn(
            TopicEntity.create(spec, settings(""), "edge-a", () -> "edge-a", z -> {}, shard.ref()));
    assertThat(publishTo(stale, "e1", null, 0, WAIT)).isEqualTo(new Published(1, false));

    stale.tell(new TopicEntity.Leave("edge-a"));
    assertThat(publishTo(stale, "e2", null, 0, WAIT))
        .as("its own zone taking over is no reason to leave")
        .isEqualTo(new Published(2, false));
    shard.expectNoMessage(Duration.ofMillis(100));
    stale.tell(new TopicEntity.Leave("cloud"));

    assertThat(shard.expectMessageClass(ClusterSharding.Passivate.class, WAIT).entity())
        .isEqualTo(stale);
  }

  private PublishReply publishTo(
      ActorRef<Command> topic, String payload, String producer, long seq, Duration within) {
    TestProbe<PublishReply> publisher = testKit.createTestProbe();
    topic.tell(new Publish(bytes(payload), producer, seq, publisher.ref()));
    return publisher.receiveMessage(within);
  }

  private ReadReply latestOf(ActorRef<Command> topic) {
    TestProbe<ReadReply> reader = testKit.createTestProbe();
    topic.tell(new ReadLatest(reader.ref()));
    return reader.receiveMessage(QUIET);
  }

  /**
   * Reads from {@code from}, waiting for new entries up to a second (not answered in an outage).
   */
  private ReadReply readFrom(ActorRef<Command> topic, long from) {
    TestProbe<ReadReply> reader = testKit.createTestProbe();
    topic.tell(new Read(from, 10, 1000, reader.ref()));
    return reader.receiveMessage(QUIET);
  }
}
