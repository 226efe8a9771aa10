package io.continuum.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.continuum.function.FunctionInstance.Acknowledged;
import io.continuum.function.FunctionInstance.Command;
import io.continuum.function.FunctionInstance.DelayedFired;
import io.continuum.function.FunctionInstance.Deliver;
import io.continuum.function.FunctionInstance.DeliveryAck;
import io.continuum.function.FunctionInstance.Event;
import io.continuum.function.FunctionInstance.GetState;
import io.continuum.function.FunctionInstance.Handled;
import io.continuum.function.FunctionInstance.Idle;
import io.continuum.function.FunctionInstance.Invoke;
import io.continuum.function.FunctionInstance.InvokeReply;
import io.continuum.function.FunctionInstance.Refused;
import io.continuum.function.FunctionInstance.Replied;
import io.continuum.function.FunctionInstance.StateReply;
import io.continuum.journal.JournalDown;
import io.continuum.reply.Reason;
import io.continuum.reply.Rejection;
import io.continuum.sdk.Address;
import io.continuum.sdk.App;
import io.continuum.sdk.ContinuumApp;
import io.continuum.sdk.ObjectValue;
import io.continuum.sdk.Rejected;
import io.continuum.sdk.model.Application;
import io.continuum.sdk.model.Effects;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.ReadEvents;
import org.apache.pekko.persistence.testkit.StorageFailure;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.RestartResult;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A function instance through {@link EventSourcedBehaviorTestKit}, with serialization of commands,
 * events, state and replies checked. Outbox deliveries go to a {@link FakeDeliverer} that the test
 * completes, and passivation requests to a probe standing in for the shard. Tests share the actor
 * system (one for the class, so that {@code @Nested} classes see it) but every test has an instance
 * of its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FunctionInstanceTest {

  /** Notebooks: every effect a handler can ask for, and every way a handler can fail. */
  static final class Notebook implements ContinuumApp {

    /** The state: lines written so far. Decoded from JSON, the list is mutable. */
    record Page(List<String> lines) {}

    /** Appends a line and replies with the page. */
    record Write(String line) {}

    /** Appends a line without replying. */
    record Jot(String line) {}

    /** Asks notebook {@code to} to write a line. */
    record Pass(String to, String line) {}

    /** Publishes a line to the topic {@code news}. */
    record Announce(String line) {}

    /** Writes a line to this notebook after a delay. */
    record Remind(long afterMillis, String line) {}

    /** Asks for every effect, then refuses on application grounds. */
    record Refuse(String reason) {}

    /** Asks for every effect, then fails. */
    record Crash(String why) {}

    /** Returns no state. */
    record Blank(String why) {}

    /** Changes the page in place, then refuses. */
    record Scribble(String line) {}

    /** Sends to a function type nobody declared. */
    record SendNowhere(String line) {}

    /** Publishes to a topic nobody declared. */
    record PublishNowhere(String line) {}

    /** Appends a line to the page in place and returns the same page. */
    record WriteInPlace(String line) {}

    /** Replies with the words the object {@code tally} counted, then adds {@code words}. */
    record Count(long words) {}

    /** Updates a field the object {@code tally} does not declare. */
    record Miscount(long letters) {}

    static Page append(Page page, String line) {
      List<String> lines = new ArrayList<>(page.lines());
      lines.add(line);
      return new Page(List.copyOf(lines));
    }

    static void askForEverything(io.continuum.sdk.Context context) {
      context.reply(new Page(List.of("reply")));
      context.send("notebook", "other", new Write("sent"));
      context.sendSelfAfter(Duration.ofMillis(1), new Write("delayed"));
      context.publish("news", new Write("published"));
    }

    @Override
    public void define(App app) {
      app.topic("news");
      app.function("notebook", Page.class, new Page(List.of()))
          .on(
              Write.class,
              (context, page, write) -> {
                Page next = append(page, write.line());
                context.reply(next);
                return next;
              })
          .on(Jot.class, (context, page, jot) -> append(page, jot.line()))
          .on(
              Pass.class,
              (context, page, pass) -> {
                context.send("notebook", pass.to(), new Write(pass.line()));
                return append(page, "passed " + pass.line());
              })
          .on(
              Announce.class,
              (context, page, announce) -> {
                context.publish("news", new Write(announce.line()));
                return page;
              })
          .on(
              Remind.class,
              (context, page, remind) -> {
                context.sendSelfAfter(
                    Duration.ofMillis(remind.afterMillis()), new Write(remind.line()));
                return page;
              })
          .on(
              Refuse.class,
              (context, page, refuse) -> {
                askForEverything(context);
                throw new Rejected(refuse.reason());
              })
          .on(
              Crash.class,
              (context, page, crash) -> {
                askForEverything(context);
                throw new IllegalStateException(crash.why());
              })
          .on(Blank.class, (context, page, blank) -> null)
          .on(
              Scribble.class,
              (context, page, scribble) -> {
                page.lines().add(scribble.line());
                throw new Rejected("no scribbling");
              })
          .on(
              SendNowhere.class,
              (context, page, message) -> {
                context.send("nobody", "x", new Write(message.line()));
                return page;
              })
          .on(
              PublishNowhere.class,
              (context, page, message) -> {
                context.publish("gossip", new Write(message.line()));
                return page;
              });
      app.object("tally", o -> o.pnCounter("words"));
      app.function("tallier", Page.class, new Page(List.of()))
          .reads("tally")
          .on(
              Count.class,
              (context, page, count) -> {
                context.reply(
                    new Page(List.of("seen " + context.object("tally").counter("words"))));
                context.update("tally", "words", "increment", count.words());
                return page;
              })
          .on(
              Miscount.class,
              (context, page, miscount) -> {
                context.update("tally", "letters", "increment", miscount.letters());
                return page;
              });
      app.function("scratchpad", Page.class, new Page(new ArrayList<>()))
          .on(
              WriteInPlace.class,
              (context, page, write) -> {
                page.lines().add(write.line());
                return page;
              });
    }
  }

  /** Records every delivery; the test completes each as it wants. */
  static final class FakeDeliverer implements Deliverer {

    /** One delivery attempt, and the time it was made (epoch milliseconds). */
    record Delivery(
        String sender, OutboxEntry entry, long at, CompletableFuture<Optional<Rejection>> result) {

      void succeed() {
        result.complete(Optional.empty());
      }

      void refuse(Rejection refusal) {
        result.complete(Optional.of(refusal));
      }

      void fail() {
        result.completeExceptionally(new IllegalStateException("destination unreachable"));
      }
    }

    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<Optional<Rejection>> deliver(String sender, OutboxEntry entry) {
      Delivery delivery =
          new Delivery(sender, entry, System.currentTimeMillis(), new CompletableFuture<>());
      deliveries.add(delivery);
      return delivery.result();
    }

    /** The next delivery attempt; fails the test when none comes within {@link #WAIT}. */
    Delivery next() {
      try {
        Delivery delivery = deliveries.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return delivery != null ? delivery : fail("no delivery within " + WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted");
      }
    }

    /** Asserts that no delivery is attempted for {@code duration}. */
    void expectNone(Duration duration) {
      try {
        Delivery delivery = deliveries.poll(duration.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(delivery).as("unexpected delivery").isNull();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  /** Upper bound of any wait for something that should happen. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** How long to watch for something that should not happen. */
  private static final Duration QUIET = Duration.ofMillis(300);

  private static final FunctionSettings SETTINGS =
      settings(100, new FunctionSettings.Replies(3, Duration.ZERO, 3));

  /** The settings of these tests, with a snapshot every {@code snapshotEvery} events. */
  private static FunctionSettings settings(int snapshotEvery, FunctionSettings.Replies replies) {
    return new FunctionSettings(
        Duration.ofSeconds(3),
        Duration.ofSeconds(1),
        Duration.ofMillis(100),
        Duration.ofHours(1), // Idle arrives only when a test sends it
        snapshotEvery,
        replies,
        Duration.ofMinutes(1),
        Duration.ofSeconds(3),
        MAX_MESSAGE_BYTES);
  }

  /** The largest reply or effect of these tests' handlers. */
  private static final int MAX_MESSAGE_BYTES = 4096;

  private static final String WRITE = Notebook.Write.class.getName();

  static Config config() {
    return EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load());
  }

  private static final ActorTestKit testKit = ActorTestKit.create("FunctionInstanceTest", config());

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  private final Application application = Application.define(List.of(new Notebook()));
  private final MessageCodec codec = new MessageCodec();
  private final AtomicInteger instances = new AtomicInteger();

  private FakeDeliverer deliverer;

  /** The zone of the instances under test. */
  private static final String ZONE = "edge-a";

  /** Where placement puts instances; a test moves them by changing it. */
  private volatile String home = ZONE;

  /** The zones whose incarnations were told to leave. */
  private final List<String> evicted = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final IdleInstances idle = new IdleInstances(1 << 20);

  private ObjectReader objects =
      ids ->
          CompletableFuture.completedFuture(
              Map.of("tally", new ObjectValue("tally", Map.of("words", 7L))));
  private TestProbe<ClusterSharding.ShardCommand> shard;
  private Address address;
  private EventSourcedBehaviorTestKit<Command, Event, FunctionState> notebook;

  @BeforeEach
  void newNotebook() {
    deliverer = new FakeDeliverer();
    shard = testKit.createTestProbe();
    address = newAddress("notebook");
    notebook = instance(address, SETTINGS);
  }

  @AfterEach
  void resetJournalFailures() {
    PersistenceTestKit.create(testKit.system()).resetPolicy();
  }

  private Address newAddress(String type) {
    return new Address(type, "i-" + instances.incrementAndGet());
  }

  private EventSourcedBehaviorTestKit<Command, Event, FunctionState> instance(
      Address address, FunctionSettings settings) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), behavior(address, settings));
  }

  private Behavior<Command> behavior(Address address, FunctionSettings settings) {
    return FunctionInstance.create(
        address,
        ZONE,
        () -> home,
        evicted::add,
        application.function(address.type()).orElseThrow(),
        FunctionHost.of(testKit.system(), application, codec, settings, deliverer, objects, idle),
        shard.ref());
  }

  private CommandResultWithReply<Command, Event, FunctionState, InvokeReply> invoke(
      Object message) {
    return invoke(notebook, message, null);
  }

  private CommandResultWithReply<Command, Event, FunctionState, InvokeReply> invoke(
      EventSourcedBehaviorTestKit<Command, Event, FunctionState> instance,
      Object message,
      String requestId) {
    return instance.runCommand(
        replyTo ->
            new Invoke(message.getClass().getName(), codec.encode(message), requestId, 0, replyTo));
  }

  private CommandResultWithReply<Command, Event, FunctionState, DeliveryAck> deliver(
      String sender, long seq, Object message) {
    return notebook.runCommand(
        replyTo ->
            new Deliver(sender, seq, message.getClass().getName(), codec.encode(message), replyTo));
  }

  private String stateJson(EventSourcedBehaviorTestKit<Command, Event, FunctionState> instance) {
    return json(instance.<StateReply>runCommand(GetState::new).reply().state());
  }

  private List<String> lines() {
    return codec
        .decode(notebook.<StateReply>runCommand(GetState::new).reply().state(), Notebook.Page.class)
        .lines();
  }

  private static String json(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** The JSON of a {@link Replied}; fails when the invocation was refused. */
  private static String replyJson(InvokeReply reply) {
    assertThat(reply).isInstanceOf(Replied.class);
    return json(((Replied) reply).payload());
  }

  /** An outbox entry as one readable line. */
  private static String describe(OutboxEntry entry) {
    return entry.channel()
        + " #"
        + entry.seq()
        + " "
        + entry.kind()
        + " "
        + entry.target()
        + " "
        + entry.messageType().substring(entry.messageType().lastIndexOf('$') + 1)
        + " "
        + json(entry.payload());
  }

  private String selfChannel() {
    return "fn:notebook|" + address.id();
  }

  private List<Object> journal() {
    return notebook
        .persistenceTestKit()
        .persistedInStorage(FunctionInstance.persistenceId(address).id());
  }

  /** Runs {@code assertion} until it passes, at most {@link #WAIT}. */
  private void eventually(Runnable assertion) {
    testKit
        .createTestProbe()
        .awaitAssert(
            WAIT,
            () -> {
              assertion.run();
              return null;
            });
  }

  @Nested
  class Invocations {

    @Test
    void aNewInstanceHasTheInitialStateAsJson() {
      assertThat(stateJson(notebook)).isEqualTo("{\"lines\":[]}");
      assertThat(journal()).isEmpty();
    }

    @Test
    void anInvocationPersistsOneEventWithTheNewStateAndRepliesWithTheHandlersReply() {
      var result = invoke(new Notebook.Write("first"));

      Handled handled = result.eventOfType(Handled.class);
      assertThat(result.events()).hasSize(1);
      assertThat(json(handled.state())).isEqualTo("{\"lines\":[\"first\"]}");
      assertThat(handled.sender()).isNull();
      assertThat(handled.outbox()).isEmpty();
      assertThat(handled.delayed()).isEmpty();
      assertThat(handled.reply()).isNull();
      assertThat(((Replied) result.reply()).messageType()).isEqualTo(Notebook.Page.class.getName());
      assertThat(replyJson(result.reply())).isEqualTo("{\"lines\":[\"first\"]}");
    }

    @Test
    void eachInvocationContinuesFromTheLastState() {
      invoke(new Notebook.Write("a"));
      invoke(new Notebook.Jot("b"));

      var result = invoke(new Notebook.Write("c"));

      assertThat(replyJson(result.reply())).isEqualTo("{\"lines\":[\"a\",\"b\",\"c\"]}");
      assertThat(stateJson(notebook)).isEqualTo("{\"lines\":[\"a\",\"b\",\"c\"]}");
    }

    @Test
    void aHandlerThatGivesNoReplyIsAnsweredWithAnEmptyReply() {
      var result = invoke(new Notebook.Jot("quiet"));

      assertThat(result.reply()).isInstanceOf(Replied.class);
      assertThat(((Replied) result.reply()).messageType()).isNull();
      assertThat(((Replied) result.reply()).payload()).isNull();
      assertThat(lines()).containsExactly("quiet");
    }

    @Test
    void anInvocationWhoseEventIsNotPersistedIsAbortedForARetryAndChangesNothing() {
      invoke(new Notebook.Write("kept"));
      TestProbe<InvokeReply> caller = testKit.createTestProbe();
      notebook.persistenceTestKit().failNextPersisted(FunctionInstance.persistenceId(address).id());

      notebook.runCommand(
          new Invoke(WRITE, codec.encode(new Notebook.Write("lost")), null, 0, caller.ref()));

      Rejection aborted = ((Refused) caller.receiveMessage()).rejection();
      assertThat(aborted.reason()).isEqualTo(Reason.ABORTED);
      assertThat(aborted.message())
          .contains("may or may not have been recorded; retry with the same request id");
      assertThat(lines()).containsExactly("kept");
      assertThat(replyJson(invoke(new Notebook.Write("again")).reply()))
          .isEqualTo("{\"lines\":[\"kept\",\"again\"]}");
    }

    @Test
    void aMessageTypeWithoutHandlerIsRefusedListingTheAcceptedTypes() {
      var result =
          notebook.<InvokeReply>runCommand(
              replyTo ->
                  new Invoke(
                      "java.lang.String",
                      "\"hello\"".getBytes(StandardCharsets.UTF_8),
                      null,
                      0,
                      replyTo));

      assertThat(result.reply()).isInstanceOf(Refused.class);
      Rejection rejection = ((Refused) result.reply()).rejection();
      assertThat(rejection.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(rejection.message())
          .startsWith("function 'notebook' has no handler for java.lang.String; it accepts ")
          .contains("Write {\"line\": String}", "Remind {\"afterMillis\": long, \"line\": String}");
      assertThat(result.events()).isEmpty();
    }
  }

  @Nested
  class Atomicity {

    @Test
    void aRejectedInvocationIsRefusedWithTheApplicationsMessageAndChangesNothing() {
      invoke(new Notebook.Write("before"));

      var result = invoke(new Notebook.Refuse("the notebook is closed"));

      assertThat(result.reply())
          .isEqualTo(
              new Refused(new Rejection(Reason.FAILED_PRECONDITION, "the notebook is closed")));
      assertThat(result.events()).isEmpty();
      assertThat(result.state().outbox()).isEmpty();
      assertThat(result.state().delayed()).isEmpty();
      assertThat(lines()).containsExactly("before");
      deliverer.expectNone(QUIET);
    }

    @Test
    void aFailingHandlerIsRefusedAsInternalNamingTheFailureAndChangesNothing() {
      invoke(new Notebook.Write("before"));

      var result = invoke(new Notebook.Crash("disk on fire"));

      assertThat(result.reply())
          .isEqualTo(
              new Refused(
                  new Rejection(
                      Reason.INTERNAL,
                      "function 'notebook' failed on Crash: IllegalStateException: disk on fire")));
      assertThat(result.events()).isEmpty();
      assertThat(result.state().outbox()).isEmpty();
      assertThat(result.state().delayed()).isEmpty();
      assertThat(lines()).containsExactly("before");
      deliverer.expectNone(QUIET);
    }

    @Test
    void aHandlerReturningNoStateIsRefusedAsInternal() {
      var result = invoke(new Notebook.Blank("oops"));

      assertThat(result.reply())
          .isEqualTo(
              new Refused(new Rejection(Reason.INTERNAL, "function 'notebook' returned no state")));
      assertThat(result.events()).isEmpty();
    }

    @Test
    void aMessageToAnUndeclaredFunctionTypeRefusesTheWholeInvocation() {
      var result = invoke(new Notebook.SendNowhere("hello"));

      assertThat(result.reply())
          .isEqualTo(
              new Refused(
                  new Rejection(
                      Reason.INTERNAL,
                      "function 'notebook' sent to unknown function type 'nobody'")));
      assertThat(result.events()).isEmpty();
    }

    @Test
    void aPublishToAnUndeclaredTopicRefusesTheWholeInvocation() {
      var result = invoke(new Notebook.PublishNowhere("hello"));

      assertThat(result.reply())
          .isEqualTo(
              new Refused(
                  new Rejection(
                      Reason.INTERNAL,
                      "function 'notebook' published to topic 'gossip', which the application"
                          + " does not declare")));
      assertThat(result.events()).isEmpty();
    }

    @Test
    void aReplyLargerThanAMessageBetweenNodesRefusesTheInvocationNamingTheLimit() {
      var result = invoke(new Notebook.Write("x".repeat(MAX_MESSAGE_BYTES)));

      assertThat(result.reply()).isInstanceOf(Refused.class);
      Rejection rejection = ((Refused) result.reply()).rejection();
      assertThat(rejection.reason()).isEqualTo(Reason.INTERNAL);
      assertThat(rejection.message())
          .startsWith("function 'notebook' produced a reply of ")
          .endsWith(
              " bytes; a message between nodes carries at most "
                  + MAX_MESSAGE_BYTES
                  + " bytes (pekko.remote.artery.advanced.maximum-frame-size less 64 KiB)");
      assertThat(result.events()).isEmpty();
    }

    @Test
    void anEffectLargerThanAMessageBetweenNodesRefusesTheInvocationNamingIt() {
      var result = invoke(new Notebook.Pass("other", "x".repeat(MAX_MESSAGE_BYTES)));

      assertThat(((Refused) result.reply()).rejection().message())
          .contains("produced a send to 'notebook|other' of ");
      assertThat(result.events()).isEmpty();
      assertThat(result.state().outbox()).isEmpty();
      deliverer.expectNone(QUIET);
    }

    @Test
    void theInstanceHandlesTheNextMessageNormallyAfterAFailure() {
      invoke(new Notebook.Crash("once"));
      invoke(new Notebook.Refuse("twice"));

      var result = invoke(new Notebook.Write("still here"));

      assertThat(replyJson(result.reply())).isEqualTo("{\"lines\":[\"still here\"]}");
      assertThat(result.events()).hasSize(1);
    }

    @Test
    void aRefusedHandlerThatChangedItsStateInPlaceLeavesNoTrace() {
      invoke(new Notebook.Write("a"));
      invoke(new Notebook.Scribble("scribbled"));

      var result = invoke(new Notebook.Write("b"));

      assertThat(replyJson(result.reply())).isEqualTo("{\"lines\":[\"a\",\"b\"]}");
    }

    @Test
    void instancesNeverSeeEachOthersChangesToTheInitialState() {
      var first = instance(newAddress("scratchpad"), SETTINGS);
      var second = instance(newAddress("scratchpad"), SETTINGS);

      invoke(first, new Notebook.WriteInPlace("mine"), null);

      assertThat(stateJson(first)).isEqualTo("{\"lines\":[\"mine\"]}");
      assertThat(stateJson(second)).isEqualTo("{\"lines\":[]}");
    }

    @Test
    void aRefusedDeliveryIsAnsweredWithTheRefusalAndNotMarkedAsSeen() {
      var refused = deliver("peer", 1, new Notebook.Refuse("not from you"));

      assertThat(refused.reply())
          .isEqualTo(new DeliveryAck(1, new Rejection(Reason.FAILED_PRECONDITION, "not from you")));
      assertThat(refused.events()).isEmpty();
      assertThat(refused.state().hasSeen("peer", 1)).isFalse();
    }
  }

  @Nested
  class Outbox {

    @Test
    void aSentMessageIsPersistedWithTheStateThenDeliveredAndAcknowledged() {
      var result = invoke(new Notebook.Pass("friend", "hi"));

      Handled handled = result.eventOfType(Handled.class);
      assertThat(handled.outbox())
          .extracting(FunctionInstanceTest::describe)
          .containsExactly("fn:notebook|friend #1 SEND notebook|friend Write {\"line\":\"hi\"}");
      assertThat(json(handled.state())).isEqualTo("{\"lines\":[\"passed hi\"]}");

      FakeDeliverer.Delivery delivery = deliverer.next();
      assertThat(delivery.sender())
          .isEqualTo("fn:notebook|" + address.id() + ">fn:notebook|friend");
      assertThat(describe(delivery.entry()))
          .isEqualTo("fn:notebook|friend #1 SEND notebook|friend Write {\"line\":\"hi\"}");

      delivery.succeed();

      eventually(
          () -> {
            assertThat(journal()).contains(new Acknowledged("fn:notebook|friend", 1));
            assertThat(notebook.getState().outbox()).isEmpty();
          });
      deliverer.expectNone(QUIET);
    }

    @Test
    void aPublishIsDeliveredToItsTopic() {
      invoke(new Notebook.Announce("extra"));

      FakeDeliverer.Delivery delivery = deliverer.next();

      assertThat(describe(delivery.entry()))
          .isEqualTo("topic:news #1 PUBLISH news Write {\"line\":\"extra\"}");
      assertThat(delivery.sender()).isEqualTo("fn:notebook|" + address.id() + ">topic:news");
      delivery.succeed();
      eventually(() -> assertThat(journal()).contains(new Acknowledged("topic:news", 1)));
    }

    @Test
    void entriesOfOneChannelAreDeliveredOneAtATimeWithIncreasingSequenceNumbers() {
      invoke(new Notebook.Pass("friend", "one"));
      invoke(new Notebook.Pass("friend", "two"));

      FakeDeliverer.Delivery first = deliverer.next();
      deliverer.expectNone(QUIET);
      first.succeed();
      FakeDeliverer.Delivery second = deliverer.next();
      second.succeed();

      assertThat(describe(first.entry())).contains("#1", "one");
      assertThat(describe(second.entry())).contains("#2", "two");
      eventually(() -> assertThat(notebook.getState().outbox()).isEmpty());
      invoke(new Notebook.Pass("friend", "three"));
      assertThat(describe(deliverer.next().entry())).contains("#3", "three");
    }

    @Test
    void channelsAreDeliveredIndependently() {
      invoke(new Notebook.Pass("friend", "one"));
      invoke(new Notebook.Pass("neighbour", "two"));
      invoke(new Notebook.Announce("three"));

      List<String> entries =
          List.of(deliverer.next(), deliverer.next(), deliverer.next()).stream()
              .map(d -> describe(d.entry()))
              .toList();

      assertThat(entries)
          .containsExactlyInAnyOrder(
              "fn:notebook|friend #1 SEND notebook|friend Write {\"line\":\"one\"}",
              "fn:notebook|neighbour #1 SEND notebook|neighbour Write {\"line\":\"two\"}",
              "topic:news #1 PUBLISH news Write {\"line\":\"three\"}");
    }

    @Test
    void aFailedDeliveryIsRetriedUntilTheDestinationTakesIt() {
      invoke(new Notebook.Pass("friend", "hi"));

      FakeDeliverer.Delivery first = deliverer.next();
      first.fail();
      FakeDeliverer.Delivery retry = deliverer.next();
      retry.succeed();

      assertThat(describe(retry.entry())).isEqualTo(describe(first.entry()));
      assertThat(retry.sender()).isEqualTo(first.sender());
      eventually(() -> assertThat(notebook.getState().outbox()).isEmpty());
      deliverer.expectNone(QUIET);
    }

    @Test
    void aDeliveryRefusedByTheDestinationIsAcknowledgedAndNotRetried() {
      invoke(new Notebook.Pass("friend", "hi"));

      deliverer.next().refuse(new Rejection(Reason.FAILED_PRECONDITION, "friend is closed"));

      eventually(
          () -> {
            assertThat(journal()).contains(new Acknowledged("fn:notebook|friend", 1));
            assertThat(notebook.getState().outbox()).isEmpty();
          });
      deliverer.expectNone(QUIET);
    }

    @Test
    void anUnacknowledgedDeliveryIsRepeatedAfterARestart() {
      invoke(new Notebook.Pass("friend", "hi"));
      FakeDeliverer.Delivery beforeRestart = deliverer.next();

      RestartResult<FunctionState> restarted = notebook.restart();

      assertThat(restarted.state().outbox()).hasSize(1);
      FakeDeliverer.Delivery afterRestart = deliverer.next();
      assertThat(describe(afterRestart.entry())).isEqualTo(describe(beforeRestart.entry()));
      afterRestart.succeed();
      eventually(() -> assertThat(notebook.getState().outbox()).isEmpty());
    }

    @Test
    void sequenceNumbersContinueAfterARestart() {
      invoke(new Notebook.Pass("friend", "one"));
      deliverer.next().succeed();
      eventually(() -> assertThat(notebook.getState().outbox()).isEmpty());

      notebook.restart();
      invoke(new Notebook.Pass("friend", "two"));

      assertThat(describe(deliverer.next().entry())).contains("#2", "two");
    }
  }

  @Nested
  class Moves {

    @Test
    void everyHandledMessageRecordsTheZoneOfTheIncarnationThatWroteIt() {
      invoke(new Notebook.Write("one"));

      assertThat(journal()).singleElement().extracting(e -> ((Handled) e).zone()).isEqualTo(ZONE);
      assertThat(notebook.getState().zone()).isEqualTo(ZONE);
    }

    @Test
    void anIncarnationLeftBehindByAMoveRefusesAsAbortedChangesNothingAndPassivates() {
      invoke(new Notebook.Write("before"));
      home = "cloud";

      CommandResultWithReply<Command, Event, FunctionState, InvokeReply> invoked =
          invoke(new Notebook.Write("after"));
      CommandResultWithReply<Command, Event, FunctionState, DeliveryAck> delivered =
          deliver("fn:x", 1, new Notebook.Write("after"));

      assertThat(((Refused) invoked.reply()).rejection().reason()).isEqualTo(Reason.ABORTED);
      assertThat(((Refused) invoked.reply()).rejection().message())
          .contains("moved from zone edge-a to cloud", "retry");
      assertThat(delivered.reply().refusal().reason()).isEqualTo(Reason.ABORTED);
      assertThat(FunctionInstance.unlessMoved(CompletableFuture.completedFuture(delivered.reply())))
          .as("a sender delivers again, as to an unreachable instance")
          .isCompletedExceptionally();
      assertThat(invoked.events()).isEmpty();
      assertThat(delivered.events()).isEmpty();
      assertThat(lines()).containsExactly("before");
      shard.expectMessageClass(ClusterSharding.Passivate.class);
    }

    @Test
    void anIncarnationMovedAwayAndBackBeforeItStoppedRefusesSoThatAFreshOneRecovers() {
      invoke(new Notebook.Write("before"));
      home = "cloud";
      assertThat(invoke(new Notebook.Write("away")).reply()).isInstanceOf(Refused.class);
      shard.expectMessageClass(ClusterSharding.Passivate.class);

      // Back before it stopped: cloud may have written meanwhile, which this one never saw.
      home = ZONE;
      CommandResultWithReply<Command, Event, FunctionState, InvokeReply> back =
          invoke(new Notebook.Write("back"));

      Rejection refusal = ((Refused) back.reply()).rejection();
      assertThat(refusal.reason()).isEqualTo(Reason.ABORTED);
      assertThat(refusal.message()).contains("moved back to zone edge-a and restarts", "retry");
      assertThat(back.events()).isEmpty();
      shard.expectMessageClass(ClusterSharding.Passivate.class);
    }

    @Test
    void anIncarnationTakingOverFromAnotherZoneEvictsItAndOneToldToLeavePassivates() {
      notebook.initialize(
          new Handled(
              null,
              0,
              codec.encode(new Notebook.Page(List.of("x"))),
              List.of(),
              List.of(),
              null,
              "cloud"));
      notebook.restart();

      eventually(() -> assertThat(evicted).isNotEmpty().containsOnly("cloud"));
      notebook.runCommand(new FunctionInstance.Leave("cloud"));
      shard.expectMessageClass(ClusterSharding.Passivate.class);
      notebook.runCommand(new FunctionInstance.Leave(ZONE));
      shard.expectNoMessage(QUIET);
      assertThat(((Refused) invoke(new Notebook.Write("late")).reply()).rejection().reason())
          .as("told to leave, it never serves again")
          .isEqualTo(Reason.ABORTED);
    }
  }

  @Nested
  class Objects {

    private EventSourcedBehaviorTestKit<Command, Event, FunctionState> tallier() {
      return instance(newAddress("tallier"), SETTINGS);
    }

    @Test
    void aHandlerReadsTheObjectsItsTypeDeclaresAndItsUpdatesGoThroughTheOutbox() {
      EventSourcedBehaviorTestKit<Command, Event, FunctionState> tallier = tallier();

      assertThat(replyJson(invoke(tallier, new Notebook.Count(3), null).reply()))
          .isEqualTo("{\"lines\":[\"seen 7\"]}");
      FakeDeliverer.Delivery delivery = deliverer.next();

      assertThat(delivery.entry().channel()).isEqualTo("object:tally");
      assertThat(delivery.entry().kind()).isEqualTo(OutboxEntry.Kind.OBJECT);
      assertThat(codec.decode(delivery.entry().payload(), Effects.ObjectUpdate.class))
          .isEqualTo(new Effects.ObjectUpdate("tally", "words", "increment", List.of("3")));
      assertThat(delivery.sender()).endsWith(">object:tally");
    }

    @Test
    void anObjectThatCannotBeReadRefusesTheMessageAsUnavailableAndChangesNothing() {
      objects = ids -> CompletableFuture.failedFuture(new IllegalStateException("zone cut off"));
      EventSourcedBehaviorTestKit<Command, Event, FunctionState> tallier = tallier();

      CommandResultWithReply<Command, Event, FunctionState, InvokeReply> result =
          invoke(tallier, new Notebook.Count(3), null);

      assertThat(result.reply()).isInstanceOf(Refused.class);
      Rejection refusal = ((Refused) result.reply()).rejection();
      assertThat(refusal.reason()).isEqualTo(Reason.UNAVAILABLE);
      assertThat(refusal.message()).contains("object 'tally'", "zone cut off", "retry");
      assertThat(result.events()).isEmpty();
    }

    @Test
    void anUpdateOfAnUndeclaredFieldRefusesTheInvocationNamingTheFields() {
      CommandResultWithReply<Command, Event, FunctionState, InvokeReply> result =
          invoke(tallier(), new Notebook.Miscount(2), null);

      assertThat(result.reply()).isInstanceOf(Refused.class);
      assertThat(((Refused) result.reply()).rejection().message())
          .contains("field 'letters' of object 'tally'", "words");
      assertThat(result.events()).isEmpty();
    }
  }

  @Nested
  class Deduplication {

    @Test
    void aDeliveredMessageIsHandledAndAcknowledgedWithItsSenderAndSequenceNumber() {
      var result = deliver("peer", 1, new Notebook.Write("hello"));

      assertThat(result.reply()).isEqualTo(new DeliveryAck(1, null));
      Handled handled = result.eventOfType(Handled.class);
      assertThat(handled.sender()).isEqualTo("peer");
      assertThat(handled.seq()).isEqualTo(1);
      assertThat(lines()).containsExactly("hello");
    }

    @Test
    void aRepeatedDeliveryIsAcknowledgedWithoutRunningTheHandler() {
      deliver("peer", 1, new Notebook.Write("hello"));

      var repeat = deliver("peer", 1, new Notebook.Write("hello"));

      assertThat(repeat.reply()).isEqualTo(new DeliveryAck(1, null));
      assertThat(repeat.events()).isEmpty();
      assertThat(lines()).containsExactly("hello");
    }

    @Test
    void aSequenceNumberBelowTheHighestHandledIsARepeatToo() {
      deliver("peer", 2, new Notebook.Write("second"));

      var older = deliver("peer", 1, new Notebook.Write("first"));

      assertThat(older.reply()).isEqualTo(new DeliveryAck(1, null));
      assertThat(older.events()).isEmpty();
      assertThat(lines()).containsExactly("second");
    }

    @Test
    void sendersAreTrackedSeparately() {
      deliver("peer-a", 1, new Notebook.Write("from a"));

      var fromB = deliver("peer-b", 1, new Notebook.Write("from b"));

      assertThat(fromB.events()).hasSize(1);
      assertThat(lines()).containsExactly("from a", "from b");
    }
  }

  @Nested
  class RequestIds {

    @Test
    void aRetriedInvocationGetsTheFirstReplyAndRunsNothing() {
      var first = invoke(notebook, new Notebook.Write("once"), "req-1");

      var retry = invoke(notebook, new Notebook.Write("once"), "req-1");

      assertThat(first.eventOfType(Handled.class).reply().requestId()).isEqualTo("req-1");
      assertThat(replyJson(retry.reply())).isEqualTo(replyJson(first.reply()));
      assertThat(((Replied) retry.reply()).messageType())
          .isEqualTo(((Replied) first.reply()).messageType());
      assertThat(retry.events()).isEmpty();
      assertThat(lines()).containsExactly("once");
    }

    @Test
    void anInvocationArrivingAfterItsCallersDeadlineIsRefusedWithoutRunning() {
      Notebook.Write late = new Notebook.Write("late");

      CommandResultWithReply<Command, Event, FunctionState, InvokeReply> result =
          notebook.runCommand(
              replyTo ->
                  new Invoke(
                      late.getClass().getName(),
                      codec.encode(late),
                      "r-late",
                      System.currentTimeMillis() - 1,
                      replyTo));

      assertThat(((Refused) result.reply()).rejection().reason())
          .isEqualTo(Reason.DEADLINE_EXCEEDED);
      assertThat(result.events()).isEmpty();
      assertThat(lines()).isEmpty();
    }

    @Test
    void aRetryOfAnInvocationWithoutReplyGetsAnEmptyReplyAgain() {
      invoke(notebook, new Notebook.Jot("once"), "req-1");

      var retry = invoke(notebook, new Notebook.Jot("once"), "req-1");

      assertThat(((Replied) retry.reply()).payload()).isNull();
      assertThat(retry.events()).isEmpty();
      assertThat(lines()).containsExactly("once");
    }

    @Test
    void differentRequestIdsRunSeparately() {
      invoke(notebook, new Notebook.Write("same"), "req-1");

      var other = invoke(notebook, new Notebook.Write("same"), "req-2");

      assertThat(other.events()).hasSize(1);
      assertThat(lines()).containsExactly("same", "same");
    }

    @Test
    void onlyTheMostRecentRequestIdsAreRemembered() {
      invoke(notebook, new Notebook.Write("1"), "req-1");
      invoke(notebook, new Notebook.Write("2"), "req-2");
      invoke(notebook, new Notebook.Write("3"), "req-3");
      invoke(notebook, new Notebook.Write("4"), "req-4");

      var forgotten = invoke(notebook, new Notebook.Write("1"), "req-1");
      var remembered = invoke(notebook, new Notebook.Write("4"), "req-4");

      assertThat(forgotten.events()).as("beyond max-remembered-replies = 3").hasSize(1);
      assertThat(remembered.events()).isEmpty();
    }

    @Test
    void repliesYoungerThanTheRetentionAreKeptBeyondTheMinimumCount() {
      notebook =
          instance(
              address,
              settings(
                  SETTINGS.snapshotEvery(),
                  new FunctionSettings.Replies(1, Duration.ofHours(1), 100)));
      for (int i = 1; i <= 5; i++) {
        invoke(notebook, new Notebook.Write(Integer.toString(i)), "req-" + i);
      }

      assertThat(invoke(notebook, new Notebook.Write("1"), "req-1").events()).isEmpty();
      assertThat(notebook.getState().replies().toList()).hasSize(5);
    }

    @Test
    void aRefusedInvocationIsNotRememberedSoItsRetryRunsAgain() {
      invoke(notebook, new Notebook.Refuse("not yet"), "req-1");

      var retry = invoke(notebook, new Notebook.Refuse("not yet"), "req-1");

      assertThat(retry.reply()).isInstanceOf(Refused.class);
    }
  }

  @Nested
  class DelayedMessages {

    @Test
    void aDelayedMessageIsPersistedAndDeliveredOnlyWhenDue() {
      var result = invoke(new Notebook.Remind(300, "tea"));

      Handled handled = result.eventOfType(Handled.class);
      assertThat(handled.outbox()).isEmpty();
      assertThat(handled.delayed()).hasSize(1);
      DelayedMessage delayed = handled.delayed().get(0);
      assertThat(delayed.target()).isEqualTo("notebook|" + address.id());
      assertThat(delayed.messageType()).isEqualTo(WRITE);
      assertThat(json(delayed.payload())).isEqualTo("{\"line\":\"tea\"}");

      FakeDeliverer.Delivery delivery = deliverer.next();

      assertThat(delivery.at()).isGreaterThanOrEqualTo(delayed.dueAt());
      assertThat(describe(delivery.entry()))
          .isEqualTo(
              selfChannel() + " #1 SEND notebook|" + address.id() + " Write {\"line\":\"tea\"}");
      delivery.succeed();
      eventually(
          () -> {
            assertThat(journal()).contains(new Acknowledged(selfChannel(), 1));
            assertThat(journal())
                .filteredOn(DelayedFired.class::isInstance)
                .singleElement()
                .extracting(e -> ((DelayedFired) e).ids())
                .isEqualTo(List.of(delayed.id()));
            assertThat(notebook.getState().delayed()).isEmpty();
            assertThat(notebook.getState().outbox()).isEmpty();
          });
    }

    @Test
    void aDelayedMessageSurvivesARestartAndFiresOnce() {
      var result = invoke(new Notebook.Remind(1_500, "after restart"));
      DelayedMessage delayed = result.eventOfType(Handled.class).delayed().get(0);

      RestartResult<FunctionState> restarted = notebook.restart();

      assertThat(restarted.state().delayed())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.id()).isEqualTo(delayed.id());
                assertThat(d.dueAt()).isEqualTo(delayed.dueAt());
              });
      FakeDeliverer.Delivery delivery = deliverer.next();
      assertThat(delivery.at()).isGreaterThanOrEqualTo(delayed.dueAt());
      assertThat(json(delivery.entry().payload())).isEqualTo("{\"line\":\"after restart\"}");
      delivery.succeed();
      eventually(() -> assertThat(notebook.getState().isQuiet()).isTrue());
      deliverer.expectNone(QUIET);
    }

    @Test
    void delayedMessagesFireInTheOrderOfTheirTime() {
      invoke(new Notebook.Remind(600, "later"));
      invoke(new Notebook.Remind(200, "sooner"));

      FakeDeliverer.Delivery first = deliverer.next();
      first.succeed();
      FakeDeliverer.Delivery second = deliverer.next();

      assertThat(json(first.entry().payload())).contains("sooner");
      assertThat(json(second.entry().payload())).contains("later");
      assertThat(second.entry().seq()).isEqualTo(first.entry().seq() + 1);
    }

    @Test
    void messagesThatCameDueWhileTheInstanceWasDownAreReleasedInTheOrderOfTheirTime() {
      long now = System.currentTimeMillis();
      String self = "notebook|" + address.id();
      notebook.initialize(
          new Handled(
              null,
              0,
              codec.encode(new Notebook.Page(List.of())),
              List.of(),
              List.of(
                  new DelayedMessage(
                      1, now - 1_000, self, WRITE, codec.encode(new Notebook.Write("second"))),
                  new DelayedMessage(
                      2, now - 2_000, self, WRITE, codec.encode(new Notebook.Write("first")))),
              null,
              ZONE));

      FakeDeliverer.Delivery first = deliverer.next();
      first.succeed();
      FakeDeliverer.Delivery second = deliverer.next();

      assertThat(json(first.entry().payload())).isEqualTo("{\"line\":\"first\"}");
      assertThat(json(second.entry().payload())).isEqualTo("{\"line\":\"second\"}");
      assertThat(second.entry().seq()).isEqualTo(first.entry().seq() + 1);
    }
  }

  @Nested
  class Passivation {

    @Test
    void anIdleInstanceWithNothingPendingAsksTheShardToPassivateIt() {
      invoke(new Notebook.Write("done"));

      notebook.runCommand(Idle.INSTANCE);

      assertThat(shard.expectMessageClass(ClusterSharding.Passivate.class).entity()).isNotNull();
    }

    @Test
    void anIdleInstanceWithAnUnacknowledgedDeliveryStaysActiveUntilItIsAcknowledged() {
      invoke(new Notebook.Pass("friend", "hi"));
      FakeDeliverer.Delivery delivery = deliverer.next();

      notebook.runCommand(Idle.INSTANCE);

      shard.expectNoMessage(QUIET);
      delivery.succeed();
      eventually(() -> assertThat(notebook.getState().outbox()).isEmpty());
      notebook.runCommand(Idle.INSTANCE);
      shard.expectMessageClass(ClusterSharding.Passivate.class);
    }

    @Test
    void anIdleInstanceWithADelayedMessageStaysActive() {
      invoke(new Notebook.Remind(60_000, "much later"));

      notebook.runCommand(Idle.INSTANCE);

      shard.expectNoMessage(QUIET);
    }
  }

  /**
   * An idle instance leaves its compact form when it stops, and its next incarnation starts from
   * it, reading nothing from the journal but the highest sequence number.
   */
  @Nested
  class Compaction {

    /** Sends {@link Idle}, then the shard's stop, as the shard does when asked to passivate. */
    @SuppressWarnings("unchecked")
    private void passivateIdle() {
      notebook.runCommand(Idle.INSTANCE);
      ActorRef<Command> entity = shard.expectMessageClass(ClusterSharding.Passivate.class).entity();
      entity.tell(FunctionInstance.Stop.INSTANCE);
      eventually(() -> assertThat(idle.size()).isEqualTo(1));
    }

    @Test
    void anIdleInstanceStartsAgainFromItsCompactFormWithoutReadingItsEvents() {
      invoke(new Notebook.Write("kept"));
      deliver("peer", 1, new Notebook.Write("delivered"));
      passivateIdle();
      PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
      journal.withPolicy(new RefuseReadingEvents());

      notebook.restart();
      journal.resetPolicy(); // this test kit reads the events of every command it runs

      assertThat(idle.size()).as("the form is taken").isZero();
      assertThat(lines()).containsExactly("kept", "delivered");
      assertThat(deliver("peer", 1, new Notebook.Write("delivered")).events()).isEmpty();
      assertThat(invoke(new Notebook.Write("more")).events()).hasSize(1);
      assertThat(journal()).hasSize(3);
    }

    @Test
    void aRetryArrivingAfterCompactionWithinTheRetentionGetsItsStoredReply() {
      FunctionSettings keepAnHour =
          settings(100, new FunctionSettings.Replies(0, Duration.ofHours(1), 100));
      notebook = instance(address, keepAnHour);
      var first = invoke(notebook, new Notebook.Write("once"), "req-1");
      passivateIdle();

      notebook.restart();

      var retry = invoke(notebook, new Notebook.Write("once"), "req-1");
      assertThat(retry.events()).isEmpty();
      assertThat(replyJson(retry.reply())).isEqualTo(replyJson(first.reply()));
      assertThat(lines()).containsExactly("once");
    }

    @Test
    void repliesOlderThanTheRetentionAreLeftOutOfTheCompactForm() {
      invoke(notebook, new Notebook.Write("once"), "req-1"); // SETTINGS: retention 0

      passivateIdle();

      notebook.restart();
      assertThat(notebook.getState().replies().size()).isZero();
    }

    @Test
    void aCompactFormBehindTheJournalIsDiscardedAndTheInstanceRestartsFromTheJournal() {
      invoke(new Notebook.Write("one"));
      passivateIdle();
      // Another incarnation wrote after the form was made (its event changes nothing here).
      notebook
          .persistenceTestKit()
          .persistForRecovery(
              FunctionInstance.persistenceId(address).id(),
              List.of(new FunctionInstance.Acknowledged("fn:elsewhere", 1)));

      notebook.restart();

      var refused = invoke(new Notebook.Write("two"));
      assertThat(((Refused) refused.reply()).rejection().reason()).isEqualTo(Reason.ABORTED);
      assertThat(refused.events()).isEmpty();
      shard.expectMessageClass(ClusterSharding.Passivate.class);
      notebook.restart();
      assertThat(invoke(new Notebook.Write("two")).events()).hasSize(1);
      assertThat(lines()).containsExactly("one", "two");
      assertThat(journal()).hasSize(3);
    }

    @Test
    void aCompactFormOfAnotherShardIncarnationIsNotUsed() {
      invoke(new Notebook.Write("one"));
      idle.put(
          idleKeyOf(address),
          new IdleInstances.Compact(
              FunctionState.EMPTY, 1, Adapter.toClassic(testKit.createTestProbe().ref())));

      notebook.restart();

      assertThat(idle.size()).isZero();
      assertThat(lines()).containsExactly("one");
    }

    @Test
    void anInstanceWithSomethingToDeliverLeavesNoCompactForm() {
      invoke(new Notebook.Remind(60_000, "much later"));
      notebook.runCommand(Idle.INSTANCE);

      notebook.restart();

      assertThat(idle.size()).isZero();
    }
  }

  /** A journal that refuses every replay of events (highest sequence numbers it answers). */
  private static final class RefuseReadingEvents implements ProcessingPolicy<JournalOperation> {
    @Override
    public ProcessingResult tryProcess(String persistenceId, JournalOperation operation) {
      return operation instanceof ReadEvents
          ? StorageFailure.create()
          : ProcessingSuccess.getInstance();
    }
  }

  private static String idleKeyOf(Address address) {
    return ZONE + "|" + address.type() + "|" + address.id();
  }

  @Nested
  class Recovery {

    @Test
    void stateDeduplicationAndRepliesSurviveARestart() {
      deliver("peer", 1, new Notebook.Write("delivered"));
      var invoked = invoke(notebook, new Notebook.Write("invoked"), "req-1");

      notebook.restart();

      assertThat(lines()).containsExactly("delivered", "invoked");
      assertThat(deliver("peer", 1, new Notebook.Write("delivered")).events()).isEmpty();
      var retry = invoke(notebook, new Notebook.Write("invoked"), "req-1");
      assertThat(retry.events()).isEmpty();
      assertThat(replyJson(retry.reply())).isEqualTo(replyJson(invoked.reply()));
    }

    @Test
    void anInstanceRecoversFromASnapshot() {
      FunctionSettings snapshotEveryThree = settings(3, SETTINGS.replies());
      notebook = instance(address, snapshotEveryThree);
      for (int i = 1; i <= 7; i++) {
        invoke(new Notebook.Jot("line " + i));
      }
      deliver("peer", 5, new Notebook.Jot("line 8"));

      notebook.restart();

      assertThat(lines()).hasSize(8).startsWith("line 1").endsWith("line 8");
      assertThat(deliver("peer", 5, new Notebook.Jot("line 8")).events()).isEmpty();
      assertThat(
              notebook
                  .snapshotTestKit()
                  .orElseThrow()
                  .persistedInStorage(FunctionInstance.persistenceId(address).id()))
          .as("snapshots taken")
          .isNotEmpty();
    }
  }

  @Nested
  class JournalOutages {

    private final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    private ActorRef<Command> live;

    private InvokeReply call(String requestId, Object message, Duration within) {
      TestProbe<InvokeReply> caller = testKit.createTestProbe();
      live.tell(
          new Invoke(
              message.getClass().getName(), codec.encode(message), requestId, 0, caller.ref()));
      return caller.receiveMessage(within);
    }

    /** Waits until the instance refuses a write at once, as it does once it noticed the outage. */
    private void awaitOutageNoticed() {
      JournalDown.awaitRefusedAtOnce(
          testKit,
          WAIT,
          () -> ((Refused) call("r-during", new Notebook.Write("during"), QUIET)).rejection(),
          "the invocation of notebook/"
              + address.id()
              + " was not performed; retry with the same request id");
    }

    private List<String> liveLines() {
      TestProbe<StateReply> reader = testKit.createTestProbe();
      live.tell(new GetState(reader.ref()));
      return codec.decode(reader.receiveMessage().state(), Notebook.Page.class).lines();
    }

    @Test
    void aStopArrivingWhileAWriteFailsStopsTheInstanceOnceTheWriteIsOver() {
      live = testKit.spawn(behavior(address, SETTINGS));
      call("r-1", new Notebook.Write("one"), WAIT);
      journal.failNextPersisted(FunctionInstance.persistenceId(address).id());
      TestProbe<InvokeReply> caller = testKit.createTestProbe();

      live.tell(new Invoke(WRITE, codec.encode(new Notebook.Write("two")), "r-2", 0, caller.ref()));
      // The shard's stop message arrives while the write is in flight; the failed write restarts
      // the instance, which must not forget that it was asked to stop (its shard would hold every
      // message for it forever).
      live.tell(FunctionInstance.Stop.INSTANCE);

      assertThat(((Refused) caller.receiveMessage(WAIT)).rejection().reason())
          .isEqualTo(Reason.ABORTED);
      caller.expectTerminated(live, WAIT);
    }

    @Test
    void aStopDuringAnOutageStopsTheInstanceAtOnce() {
      live = testKit.spawn(behavior(address, SETTINGS));
      call("r-1", new Notebook.Write("one"), WAIT);
      JournalDown.begin(journal, FunctionInstance.persistenceId(address).id());
      call("r-lost", new Notebook.Write("lost"), WAIT);
      awaitOutageNoticed();

      live.tell(FunctionInstance.Stop.INSTANCE);

      testKit.createTestProbe().expectTerminated(live, WAIT);
    }

    @Test
    void invocationsAreRefusedAtOnceStoredRepliesAndStateAreServedAndNothingWaitingRunsLater() {
      live = testKit.spawn(behavior(address, SETTINGS));
      InvokeReply kept = call("r-kept", new Notebook.Write("kept"), WAIT);
      JournalDown.begin(journal, FunctionInstance.persistenceId(address).id());

      Rejection failedWrite =
          ((Refused) call("r-lost", new Notebook.Write("lost"), WAIT)).rejection();
      // Arrives while the instance restarts: it waits inside until the outage is noticed.
      TestProbe<InvokeReply> waiting = testKit.createTestProbe();
      live.tell(
          new Invoke(
              WRITE, codec.encode(new Notebook.Write("waited")), "r-waited", 0, waiting.ref()));
      awaitOutageNoticed();

      assertThat(failedWrite.reason()).isEqualTo(Reason.ABORTED);
      assertThat(liveLines()).as("state read from memory").containsExactly("kept");
      assertThat(call("r-kept", new Notebook.Write("kept"), QUIET))
          .as("a stored reply needs no journal")
          .usingRecursiveComparison()
          .isEqualTo(kept);

      journal.resetPolicy();
      Rejection waited = ((Refused) waiting.receiveMessage(WAIT)).rejection();
      assertThat(waited.reason()).isEqualTo(Reason.UNAVAILABLE);
      testKit
          .createTestProbe()
          .awaitAssert(
              WAIT,
              () ->
                  assertThat(call("r-after", new Notebook.Write("after"), QUIET))
                      .isInstanceOf(Replied.class));
      assertThat(liveLines()).containsExactly("kept", "after");
    }
  }
}
