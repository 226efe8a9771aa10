package io.continuum.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.topic.TopicRegistry.Accepted;
import io.continuum.topic.TopicRegistry.Command;
import io.continuum.topic.TopicRegistry.Conflict;
import io.continuum.topic.TopicRegistry.Find;
import io.continuum.topic.TopicRegistry.Lookup;
import io.continuum.topic.TopicRegistry.Register;
import io.continuum.topic.TopicRegistry.RegisterReply;
import io.continuum.topic.TopicRegistry.Registered;
import io.continuum.topic.TopicRegistry.State;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicRegistryTest {

  @JUnit5TestKit
  final ActorTestKit testKit = ActorTestKit.create("TopicRegistryTest", TopicTestSystem.config());

  private static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);

  private final AtomicInteger names = new AtomicInteger();

  private record Registry(
      String name, EventSourcedBehaviorTestKit<Command, Registered, State> kit) {

    CommandResultWithReply<Command, Registered, State, RegisterReply> register(
        String zone, Long history, Integer maxBytes) {
      return register(new TopicRequest(name, zone, history, maxBytes, null));
    }

    CommandResultWithReply<Command, Registered, State, RegisterReply> register(
        TopicRequest request) {
      TopicSpec ifAbsent = request.withDefaults("cloud", 100_000, 1024, DEFAULT_WINDOW);
      return kit.<RegisterReply>runCommand(replyTo -> new Register(request, ifAbsent, replyTo));
    }

    Lookup find() {
      return kit.<Lookup>runCommand(Find::new).reply();
    }
  }

  /** The registry entity of a topic name no other test uses. */
  private Registry registry() {
    String name = "topic-" + names.incrementAndGet();
    return new Registry(
        name,
        EventSourcedBehaviorTestKit.create(
            testKit.system(), TopicRegistry.create(name, DEFAULT_WINDOW)));
  }

  @Test
  void firstRegisterCreatesTheTopicWithDefaultsFilledIn() {
    Registry registry = registry();
    TopicSpec expected = new TopicSpec(registry.name(), "cloud", 500, 1024, DEFAULT_WINDOW);

    var result = registry.register(null, 500L, null);

    assertThat(result.reply()).isEqualTo(new Accepted(expected, true));
    assertThat(result.events()).containsExactly(new Registered(expected));
    assertThat(result.state().spec()).isEqualTo(expected);
  }

  @Test
  void repeatWithTheSameOptionsIsAcceptedWithoutPersisting() {
    Registry registry = registry();
    TopicSpec existing = new TopicSpec(registry.name(), "edge-a", 500, 64, DEFAULT_WINDOW);
    registry.register("edge-a", 500L, 64);

    var result = registry.register("edge-a", 500L, 64);

    assertThat(result.reply()).isEqualTo(new Accepted(existing, false));
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void repeatWithUnsetOptionsMatchesTheExistingTopic() {
    Registry registry = registry();
    TopicSpec existing = new TopicSpec(registry.name(), "edge-a", 500, 64, DEFAULT_WINDOW);
    registry.register("edge-a", 500L, 64);

    var result = registry.register(null, null, null);

    assertThat(result.reply()).isEqualTo(new Accepted(existing, false));
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.state().spec()).isEqualTo(existing);
  }

  @Test
  void repeatWithDifferentOptionsIsAConflictListingEachDifference() {
    Registry registry = registry();
    TopicSpec existing = new TopicSpec(registry.name(), "edge-a", 500, 64, DEFAULT_WINDOW);
    registry.register("edge-a", 500L, 64);

    var result =
        registry.register(
            new TopicRequest(registry.name(), "cloud", 600L, 128, Duration.ofMinutes(5)));

    assertThat(result.reply())
        .isEqualTo(
            new Conflict(
                existing,
                java.util.List.of(
                    "zone edge-a (asked cloud)",
                    "history 500 (asked 600)",
                    "max entry bytes 64 (asked 128)",
                    "duplicate window 2m (asked 5m)")));
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.state().spec()).isEqualTo(existing);
  }

  @Test
  void conflictListsOnlyTheOptionsThatDiffer() {
    Registry registry = registry();
    registry.register("edge-a", 500L, 64);

    var result = registry.register("edge-a", null, 128);

    assertThat(((Conflict) result.reply()).differences())
        .containsExactly("max entry bytes 64 (asked 128)");
  }

  @Test
  void aTopicRegisteredBeforeTopicsHadADuplicateWindowGetsTheDefault() throws Exception {
    Registry registry = registry();
    Object stored =
        TopicTestSystem.readStored(
            testKit.system(),
            Registered.class,
            Map.of(
                "spec",
                Map.of(
                    "name",
                    registry.name(),
                    "homeZone",
                    "edge-a",
                    "historyLength",
                    500,
                    "maxEntryBytes",
                    64)));
    registry
        .kit()
        .persistenceTestKit()
        .persistForRecovery("TopicRegistry|" + registry.name(), List.of(stored));

    registry.kit().restart();

    TopicSpec withDefault = new TopicSpec(registry.name(), "edge-a", 500, 64, DEFAULT_WINDOW);
    assertThat(((Registered) stored).spec().duplicateWindow()).isNull();
    assertThat(registry.find().found()).contains(withDefault);
    assertThat(
            registry
                .register(new TopicRequest(registry.name(), null, null, null, DEFAULT_WINDOW))
                .reply())
        .isEqualTo(new Accepted(withDefault, false));
  }

  @Test
  void findBeforeRegistrationFindsNothing() {
    assertThat(registry().find().found()).isEmpty();
  }

  @Test
  void findAfterRegistrationReturnsTheSpec() {
    Registry registry = registry();
    registry.register("edge-a", 500L, 64);

    assertThat(registry.find().found())
        .contains(new TopicSpec(registry.name(), "edge-a", 500, 64, DEFAULT_WINDOW));
  }

  @Test
  void registrationSurvivesARestart() {
    Registry registry = registry();
    registry.register("edge-a", 500L, 64);

    registry.kit().restart();

    assertThat(registry.find().found())
        .contains(new TopicSpec(registry.name(), "edge-a", 500, 64, DEFAULT_WINDOW));
    assertThat(registry.register(null, null, null).reply())
        .isInstanceOfSatisfying(
            Accepted.class, accepted -> assertThat(accepted.created()).isFalse());
  }
}
