package io.continuum.persistence.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.continuum.persistence.PersistenceBackend;
import io.continuum.serialization.CborSerializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded journal under real event-sourced entities: nodes (actor systems) that write to one
 * journal server over TCP, as the nodes of {@code continuum dev} do.
 */
@Timeout(120)
class EmbeddedJournalTest {

  private static final Duration ASK = Duration.ofSeconds(10);

  @TempDir Path dir;

  private JournalServer server;
  private final java.util.List<ActorTestKit> nodes = new java.util.ArrayList<>();

  @BeforeEach
  void start() {
    server = JournalServer.serve(dir, JournalSettings.defaults());
  }

  @AfterEach
  void stop() {
    nodes.forEach(ActorTestKit::shutdownTestKit);
    server.close();
  }

  @Test
  void anEntityRecoversItsEventsAndSnapshotsOnAnotherNode() {
    ActorTestKit first = node();
    ActorRef<Command> counter = first.spawn(Counter.create("Counter|c1", 3));
    for (long n = 1; n <= 10; n++) {
      assertThat(ask(first, counter, n)).isEqualTo(LongStream.rangeClosed(1, n).sum());
    }
    first.shutdownTestKit();

    ActorTestKit second = node();
    ActorRef<Command> recovered = second.spawn(Counter.create("Counter|c1", 3));

    assertThat(ask(second, recovered, 0)).isEqualTo(55);
  }

  @Test
  void aStaleIncarnationsWriteFailsAndItRecoversWhatTheOtherWrote() {
    ActorTestKit a = node();
    ActorTestKit b = node();
    ActorRef<Command> onA = a.spawn(Counter.create("Counter|moved", 1000));
    assertThat(ask(a, onA, 1)).isEqualTo(1);
    ActorRef<Command> onB = b.spawn(Counter.create("Counter|moved", 1000));
    assertThat(ask(b, onB, 10)).isEqualTo(11);

    // A still believes the total is 1: its write at sequence number 2 conflicts, it restarts and
    // recovers B's event.
    CompletionStage<Long> stale = asking(a, onA, 100);

    assertThat(stale.toCompletableFuture())
        .as("the stale write is never acknowledged")
        .failsWithin(Duration.ofSeconds(15));
    assertThat(ask(a, onA, 0)).isEqualTo(11);
    List<EventEnvelope> events = events(a, "Counter|moved");
    assertThat(events).extracting(e -> ((Added) e.event()).amount()).containsExactly(1L, 10L);
  }

  @Test
  void aReadOfTheJournalReturnsEveryEventAcrossPages() {
    ActorTestKit node = node();
    ActorRef<Command> counter = node.spawn(Counter.create("Counter|many", 100_000));
    long count = JournalService.PAGE_EVENTS + 500L;
    assertThat(askMany(node, counter, count)).isEqualTo(count);
    assertThat(askMany(node, counter, 1)).isEqualTo(count + 1);

    List<EventEnvelope> events = events(node, "Counter|many");

    assertThat(events).hasSize((int) count + 1);
    assertThat(events).extracting(EventEnvelope::sequenceNr).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void writesFailWhileTheJournalIsDownAndSucceedOnceItIsBack() {
    int port =
        server.address().substring(server.address().indexOf(':') + 1).transform(Integer::parseInt);
    ActorTestKit node = node();
    ActorRef<Command> counter = node.spawn(Counter.create("Counter|outage", 1000));
    assertThat(ask(node, counter, 1)).isEqualTo(1);

    server.close();
    assertThat(asking(node, counter, 5).toCompletableFuture())
        .as("a write while the journal is down is never acknowledged")
        .failsWithin(Duration.ofSeconds(15));

    server = JournalServer.serve(dir, JournalSettings.defaults(), port);
    node.createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(30),
            Duration.ofMillis(200),
            () -> {
              assertThat(ask(node, counter, 0)).isEqualTo(1);
              return null;
            });
    assertThat(ask(node, counter, 2)).isEqualTo(3);
  }

  private ActorTestKit node() {
    Config config =
        PersistenceBackend.configure(
            ConfigFactory.parseString(
                "continuum.persistence.backend = embedded\n"
                    + "continuum.persistence.embedded.journal = \""
                    + server.address()
                    + "\"\npekko.loglevel = INFO"));
    ActorTestKit node = ActorTestKit.create("node" + nodes.size(), config);
    nodes.add(node);
    return node;
  }

  private static long ask(ActorTestKit node, ActorRef<Command> counter, long amount) {
    return asking(node, counter, amount).toCompletableFuture().join();
  }

  private static CompletionStage<Long> asking(
      ActorTestKit node, ActorRef<Command> counter, long amount) {
    return AskPattern.ask(
        counter, replyTo -> new Add(amount, replyTo), ASK, node.system().scheduler());
  }

  /** Adds {@code count} units, each one event, all persisted in one atomic write. */
  private static long askMany(ActorTestKit node, ActorRef<Command> counter, long count) {
    return AskPattern.<Command, Long>ask(
            counter, replyTo -> new AddEach(count, replyTo), ASK, node.system().scheduler())
        .toCompletableFuture()
        .join();
  }

  private static List<EventEnvelope> events(ActorTestKit node, String persistenceId) {
    return PersistenceQuery.get(node.system())
        .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, EmbeddedReadJournal.IDENTIFIER)
        .currentEventsByPersistenceId(persistenceId, 0, Long.MAX_VALUE)
        .runWith(Sink.seq(), node.system())
        .toCompletableFuture()
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
  }

  interface Command extends CborSerializable {}

  record Add(long amount, ActorRef<Long> replyTo) implements Command {}

  record AddEach(long units, ActorRef<Long> replyTo) implements Command {}

  record Added(long amount) implements CborSerializable {}

  record Total(long total) implements CborSerializable {}

  /** A persistent counter: each addition is an event, a snapshot every few. */
  static final class Counter
      extends EventSourcedBehaviorWithEnforcedReplies<Command, Added, Total> {
    private final int snapshotEvery;

    private Counter(String persistenceId, int snapshotEvery) {
      super(
          PersistenceId.ofUniqueId(persistenceId),
          SupervisorStrategy.restartWithBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 0));
      this.snapshotEvery = snapshotEvery;
    }

    static Behavior<Command> create(String persistenceId, int snapshotEvery) {
      return new Counter(persistenceId, snapshotEvery);
    }

    @Override
    public Total emptyState() {
      return new Total(0);
    }

    @Override
    public CommandHandlerWithReply<Command, Added, Total> commandHandler() {
      return newCommandHandlerWithReplyBuilder()
          .forAnyState()
          .onCommand(
              Add.class,
              (total, add) ->
                  add.amount() == 0
                      ? Effect().reply(add.replyTo(), total.total())
                      : Effect()
                          .persist(new Added(add.amount()))
                          .thenReply(add.replyTo(), Total::total))
          .onCommand(
              AddEach.class,
              (total, add) ->
                  Effect()
                      .persist(
                          LongStream.range(0, add.units()).mapToObj(i -> new Added(1)).toList())
                      .thenReply(add.replyTo(), Total::total))
          .build();
    }

    @Override
    public EventHandler<Total, Added> eventHandler() {
      return newEventHandlerBuilder()
          .forAnyState()
          .onEvent(Added.class, (total, added) -> new Total(total.total() + added.amount()))
          .build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
      return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
    }
  }
}
