package io.continuum.sdk.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import io.continuum.sdk.ContinuumApp;
import io.continuum.sdk.Handler;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.assertj.core.api.ListAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Application#define} and {@link Application#requireZones}: a valid application becomes a
 * model the runtime reads; every invalid declaration is reported with a message naming the problem,
 * and all problems of one definition are reported together.
 */
class ApplicationTest {

  record Reading(String sensor, double celsius) {}

  record Reset() {}

  record Total(double sum) {}

  private static final Total ZERO = new Total(0);

  private static final Handler<Total, Reading> ADD =
      (context, total, reading) -> new Total(total.sum() + reading.celsius());

  private static final Handler<Total, Reset> RESET = (context, total, reset) -> ZERO;

  /** An application declared by a lambda; its class name is the test's, with a suffix. */
  private static ContinuumApp app(ContinuumApp definition) {
    return definition;
  }

  private static Application define(ContinuumApp... apps) {
    return Application.define(List.of(apps));
  }

  /** The problems {@link Application#define} reports for {@code apps}. */
  private static ListAssert<String> assertProblems(ContinuumApp... apps) {
    return assertThat(rejected(apps).problems());
  }

  /** The exception {@link Application#define} throws for {@code apps}. */
  private static InvalidApplicationException rejected(ContinuumApp... apps) {
    try {
      define(apps);
    } catch (InvalidApplicationException e) {
      return e;
    }
    return fail("expected the application to be rejected");
  }

  @Nested
  class ValidApplication {

    @Test
    void declarationsBecomeTheModelTheRuntimeReads() {
      Function<Reading, String> bySensor = Reading::sensor;
      ContinuumApp app =
          app(
              a -> {
                a.topic("readings").zone("edge-a").history(500).maxEntryBytes(1024);
                a.topic("alerts");
                a.function("average", Total.class, ZERO)
                    .on(Reading.class, ADD)
                    .on(Reset.class, RESET)
                    .subscribe("readings", Reading.class, bySensor)
                    .zoneOfTopic("readings");
                a.function("archive", Total.class, ZERO).on(Reading.class, ADD).zone("cloud");
              });

      Application application = define(app);

      assertThat(application.topics())
          .containsExactly(
              new TopicModel("readings", "edge-a", 500L, 1024),
              new TopicModel("alerts", null, null, null));
      FunctionModel<?> average = application.function("average").orElseThrow();
      assertThat(average.stateType()).isEqualTo(Total.class);
      assertThat(average.initialState()).isEqualTo(ZERO);
      assertThat(average.handlers().keySet()).containsExactly(Reading.class, Reset.class);
      assertThat(average.handlerFor(Reading.class)).isPresent();
      assertThat(average.handlerFor(Total.class)).isEmpty();
      assertThat(average.subscriptions())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.topic()).isEqualTo("readings");
                assertThat(s.messageType()).isEqualTo(Reading.class);
                assertThat(s.key().apply(new Reading("pi-7", 40))).isEqualTo("pi-7");
              });
      assertThat(average.zone()).isNull();
      assertThat(average.zoneOfTopic()).isEqualTo("readings");
      assertThat(application.function("archive").orElseThrow().zone()).isEqualTo("cloud");
      assertThat(application.functions())
          .extracting(FunctionModel::name)
          .containsExactly("average", "archive");
    }

    @Test
    void unknownNamesAreAbsentNotErrors() {
      Application application = define(app(a -> a.topic("t")));

      assertThat(application.function("nothing")).isEmpty();
      assertThat(application.topic("nothing")).isEmpty();
      assertThat(application.topic("t")).isPresent();
    }

    @Test
    void instancePlacementIsAskedPerId() {
      Application application =
          define(
              app(
                  a ->
                      a.function("average", Total.class, ZERO)
                          .on(Reading.class, ADD)
                          .placeInstances(id -> id.startsWith("farm-") ? "edge-farm" : null)));

      FunctionModel<?> average = application.function("average").orElseThrow();

      assertThat(average.instanceZone("farm-1")).contains("edge-farm");
      assertThat(average.instanceZone("office-1")).isEmpty();
    }

    @Test
    void severalApplicationsMakeOneModel() {
      Application application =
          define(
              app(a -> a.topic("readings")),
              app(
                  a ->
                      a.function("average", Total.class, ZERO)
                          .on(Reading.class, ADD)
                          .subscribe("readings", Reading.class, Reading::sensor)));

      assertThat(application.function("average")).isPresent();
      assertThat(application.topic("readings")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "cpu-raw", "Sensors.v2", "ns:topic_1", "9lives"})
    void namesOfLettersDigitsAndPunctuationAreValid(String name) {
      Application application =
          define(app(a -> a.function(name, Total.class, ZERO).on(Reading.class, ADD)));

      assertThat(application.function(name)).isPresent();
    }

    @Test
    void aNameOfTwoHundredCharactersIsValid() {
      String name = "t".repeat(200);

      assertThat(define(app(a -> a.topic(name))).topic(name)).isPresent();
    }
  }

  @Nested
  class InvalidDeclarations {

    @Test
    void aTopicDeclaredTwiceNamesTheTopicAndTheApplication() {
      ContinuumApp app =
          app(
              a -> {
                a.topic("readings");
                a.topic("readings");
              });

      assertProblems(app)
          .singleElement()
          .asString()
          .startsWith("topic 'readings' is declared twice (in ")
          .contains(app.getClass().getName());
    }

    @Test
    void aTopicDeclaredByTwoApplicationsNamesTheSecond() {
      ContinuumApp first = app(a -> a.topic("readings"));
      ContinuumApp second = app(a -> a.topic("readings"));

      assertProblems(first, second)
          .containsExactly(
              "topic 'readings' is declared twice (in " + second.getClass().getName() + ")");
    }

    @Test
    void aFunctionDeclaredTwiceIsReported() {
      ContinuumApp app =
          app(
              a -> {
                a.function("average", Total.class, ZERO).on(Reading.class, ADD);
                a.function("average", Total.class, ZERO).on(Reset.class, RESET);
              });

      assertProblems(app)
          .containsExactly(
              "function 'average' is declared twice (in " + app.getClass().getName() + ")");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"has space", "-leading-dash", "slash/ed", "pipe|d", "ümlaut"})
    void anInvalidTopicNameIsReportedWithTheRule(String name) {
      assertProblems(app(a -> a.topic(name)))
          .containsExactly(
              "invalid topic name '" + name + "': use 1-200 letters, digits, '.', '_', ':' or '-'");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"has space", "_leading", "a|b"})
    void anInvalidFunctionNameIsReportedWithTheRule(String name) {
      assertProblems(app(a -> a.function(name, Total.class, ZERO).on(Reading.class, ADD)))
          .containsExactly(
              "invalid function name '"
                  + name
                  + "': use 1-200 letters, digits, '.', '_', ':' or '-'");
    }

    @Test
    void aNameLongerThanTwoHundredCharactersIsInvalid() {
      String name = "t".repeat(201);

      assertProblems(app(a -> a.topic(name)))
          .singleElement()
          .asString()
          .startsWith("invalid topic name '" + name + "'");
    }

    @Test
    void aFunctionWithoutStateTypeOrInitialStateIsReported() {
      assertProblems(
              app(
                  a -> {
                    a.function("no-type", null, ZERO).on(Reading.class, ADD);
                    a.function("no-initial", Total.class, null).on(Reading.class, ADD);
                  }))
          .containsExactly(
              "function 'no-type' needs a state type and an initial state",
              "function 'no-initial' needs a state type and an initial state");
    }

    @Test
    void aFunctionWithoutHandlerIsReported() {
      assertProblems(app(a -> a.function("idle", Total.class, ZERO)))
          .containsExactly("function 'idle' declares no handler");
    }

    @Test
    void twoHandlersForOneMessageTypeAreReported() {
      assertProblems(
              app(
                  a ->
                      a.function("average", Total.class, ZERO)
                          .on(Reading.class, ADD)
                          .on(Reading.class, ADD)))
          .containsExactly("function 'average' declares two handlers for Reading");
    }

    @Test
    void aHandlerForNoMessageTypeIsReported() {
      assertProblems(
              app(
                  a ->
                      a.function("average", Total.class, ZERO)
                          .on(Reading.class, ADD)
                          .on(null, ADD)))
          .containsExactly("function 'average' declares a handler for no message type");
    }

    @Test
    void aNullHandlerIsReportedWithItsMessageType() {
      assertProblems(app(a -> a.function("average", Total.class, ZERO).on(Reading.class, null)))
          .containsExactly(
              "function 'average' declares no handler for Reading",
              "function 'average' declares no handler");
    }

    @Test
    void aSubscriptionToAnUndeclaredTopicIsReported() {
      assertProblems(
              app(
                  a ->
                      a.function("average", Total.class, ZERO)
                          .on(Reading.class, ADD)
                          .subscribe("readings", Reading.class, Reading::sensor)))
          .containsExactly("function 'average' subscribes to undeclared topic 'readings'");
    }

    @Test
    void aSubscriptionWhoseMessageTypeHasNoHandlerIsReported() {
      assertProblems(
              app(
                  a -> {
                    a.topic("readings");
                    a.function("average", Total.class, ZERO)
                        .on(Reset.class, RESET)
                        .subscribe("readings", Reading.class, Reading::sensor);
                  }))
          .containsExactly(
              "function 'average' subscribes to 'readings' as Reading but has no handler for it");
    }

    @Test
    void aSubscriptionWithoutMessageTypeIsReported() {
      assertProblems(
              app(
                  a -> {
                    a.topic("readings");
                    a.function("average", Total.class, ZERO)
                        .on(Reading.class, ADD)
                        .subscribe("readings", null, r -> "key");
                  }))
          .containsExactly("function 'average' subscribes to 'readings' without a message type");
    }

    @Test
    void aSubscriptionWithoutKeyIsReported() {
      assertProblems(
              app(
                  a -> {
                    a.topic("readings");
                    a.function("average", Total.class, ZERO)
                        .on(Reading.class, ADD)
                        .subscribe("readings", Reading.class, null);
                  }))
          .containsExactly(
              "function 'average' subscribes to 'readings' without a key to pick the instance");
    }

    @Test
    void followingTheZoneOfAnUndeclaredTopicIsReported() {
      assertProblems(
              app(
                  a ->
                      a.function("average", Total.class, ZERO)
                          .on(Reading.class, ADD)
                          .zoneOfTopic("readings")))
          .containsExactly("function 'average' follows the zone of undeclared topic 'readings'");
    }

    @Test
    void aZoneAndTheZoneOfATopicTogetherAreReported() {
      assertProblems(
              app(
                  a -> {
                    a.topic("readings");
                    a.function("average", Total.class, ZERO)
                        .on(Reading.class, ADD)
                        .zone("edge-a")
                        .zoneOfTopic("readings");
                  }))
          .containsExactly(
              "function 'average' declares more than one of a zone, the zone of a topic and the"
                  + " zone of an object");
    }

    @Test
    void objectsNamedByFunctionsMustBeDeclaredAndHaveFields() {
      assertProblems(
              app(
                  a -> {
                    a.object("empty", o -> {});
                    a.object("stats", o -> o.pnCounter("n").gSet("n"));
                    a.function("average", Total.class, ZERO)
                        .on(Reading.class, ADD)
                        .reads("stats", "nowhere")
                        .zoneOfObject("elsewhere");
                  }))
          .containsExactly(
              "object 'stats' declares field 'n' twice",
              "function 'average' names undeclared object 'nowhere'",
              "function 'average' names undeclared object 'elsewhere'",
              "object 'empty' declares no fields");
    }

    @Test
    void everyProblemIsReportedTogetherInTheMessage() {
      ContinuumApp app =
          app(
              a -> {
                a.topic("bad name");
                a.function("idle", Total.class, ZERO);
                a.function("average", Total.class, ZERO)
                    .on(Reading.class, ADD)
                    .on(Reading.class, ADD)
                    .subscribe("missing", Reading.class, Reading::sensor);
              });

      InvalidApplicationException rejected = rejected(app);

      assertThat(rejected.problems())
          .containsExactly(
              "invalid topic name 'bad name': use 1-200 letters, digits, '.', '_', ':' or '-'",
              "function 'average' declares two handlers for Reading",
              "function 'idle' declares no handler",
              "function 'average' subscribes to undeclared topic 'missing'");
      assertThat(rejected)
          .hasMessage("invalid application: " + String.join("; ", rejected.problems()));
    }
  }

  @Nested
  class Zones {

    private final Set<String> clusterZones = Set.of("edge-a", "cloud");

    @Test
    void declarationsInTheClustersZonesPass() {
      Application application =
          define(
              app(
                  a -> {
                    a.topic("readings").zone("edge-a");
                    a.topic("anywhere");
                    a.function("average", Total.class, ZERO).on(Reading.class, ADD).zone("cloud");
                  }));

      assertThat(application.requireZones(clusterZones)).isSameAs(application);
    }

    @Test
    void objectsAreDeclaredWithTheirFieldsAndZones() {
      Application application =
          define(
              app(
                  a -> {
                    a.object(
                            "farm-stats", o -> o.pnCounter("readings").orMap("last", "lwwregister"))
                        .zones("edge-a", "cloud");
                    a.object("everywhere", o -> o.ewFlag("alarm"));
                    a.function("average", Total.class, ZERO)
                        .on(Reading.class, ADD)
                        .reads("farm-stats")
                        .zoneOfObject("farm-stats");
                  }));

      assertThat(application.object("farm-stats").orElseThrow())
          .isEqualTo(
              new ObjectModel(
                  "farm-stats",
                  java.util.Map.of("readings", "pncounter", "last", "ormap<lwwregister>"),
                  List.of("edge-a", "cloud")));
      assertThat(application.object("everywhere").orElseThrow().zones()).isEmpty();
      assertThat(application.function("average").orElseThrow().reads())
          .containsExactly("farm-stats");
      assertThat(application.function("average").orElseThrow().zoneOfObject())
          .isEqualTo("farm-stats");
      assertThat(application.requireZones(clusterZones)).isSameAs(application);
    }

    @Test
    void anObjectInAnUnknownZoneIsNamed() {
      Application application =
          define(app(a -> a.object("stats", o -> o.gCounter("n")).zones("cloud", "mars")));

      assertThat(
              catchThrowableOfType(
                      InvalidApplicationException.class,
                      () -> application.requireZones(clusterZones))
                  .problems())
          .contains("object 'stats' names unknown zone 'mars'");
    }

    @Test
    void unknownZonesAreNamedWithTheClustersZones() {
      Application application =
          define(
              app(
                  a -> {
                    a.topic("readings").zone("edge-z");
                    a.function("average", Total.class, ZERO).on(Reading.class, ADD).zone("moon");
                  }));

      InvalidApplicationException rejected =
          catchThrowableOfType(
              InvalidApplicationException.class, () -> application.requireZones(clusterZones));

      assertThat(rejected.problems())
          .hasSize(3)
          .startsWith(
              "topic 'readings' names unknown zone 'edge-z'",
              "function 'average' names unknown zone 'moon'");
      assertThat(rejected.problems().get(2))
          .startsWith("the cluster's zones are ")
          .contains("edge-a", "cloud");
      assertThat(rejected).hasMessageContainingAll("edge-z", "moon", "edge-a", "cloud");
    }
  }
}
