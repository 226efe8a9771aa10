package io.continuum.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.continuum.examples.TemperaturePipeline.Model;
import io.continuum.examples.TemperaturePipeline.Prediction;
import io.continuum.examples.TemperaturePipeline.Reading;
import io.continuum.examples.TemperaturePipeline.Smoothed;
import io.continuum.examples.TemperaturePipeline.Window;
import io.continuum.sdk.model.Application;
import io.continuum.sdk.model.Effects.Published;
import io.continuum.sdk.model.FunctionModel;
import io.continuum.sdk.model.SubscriptionModel;
import io.continuum.sdk.testing.FunctionTester;
import io.continuum.sdk.testing.FunctionTester.Invocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The {@code smooth} and {@code predict} functions of {@link TemperaturePipeline}. */
class TemperaturePipelineTest {

  /** A time aligned to five minutes, epoch milliseconds. */
  private static final long T0 = 1_700_000_100_000L;

  private static final long MINUTE = Duration.ofMinutes(1).toMillis();
  private static final long STEP = Duration.ofMinutes(5).toMillis();

  private static long at(long minutes) {
    return T0 + minutes * MINUTE;
  }

  private static Smoothed onlyPublishedSmoothed(Invocation<?> result) {
    assertThat(result.failure()).isNull();
    assertThat(result.published())
        .singleElement()
        .extracting(Published::topic)
        .isEqualTo("cpu-smooth");
    return (Smoothed) result.published().get(0).message();
  }

  private static Prediction onlyPublishedPrediction(Invocation<?> result) {
    assertThat(result.failure()).isNull();
    assertThat(result.published())
        .singleElement()
        .extracting(Published::topic)
        .isEqualTo("prediction");
    return (Prediction) result.published().get(0).message();
  }

  @Nested
  class Declarations {

    private final Application application = Application.define(List.of(new TemperaturePipeline()));

    @Test
    void smoothRunsNextToTheRawReadingsAndPicksTheInstanceBySensor() {
      FunctionModel<?> smooth = application.function("smooth").orElseThrow();

      SubscriptionModel subscription = smooth.subscriptions().get(0);

      assertThat(smooth.zoneOfTopic()).isEqualTo("cpu-raw");
      assertThat(subscription.topic()).isEqualTo("cpu-raw");
      assertThat(subscription.messageType()).isEqualTo(Reading.class);
      assertThat(subscription.key().apply(new Reading("pi-1", 40, T0))).isEqualTo("pi-1");
    }

    @Test
    void predictRunsInTheCloudAndPicksTheInstanceBySensor() {
      FunctionModel<?> predict = application.function("predict").orElseThrow();

      SubscriptionModel subscription = predict.subscriptions().get(0);

      assertThat(predict.zone()).isEqualTo("cloud");
      assertThat(subscription.topic()).isEqualTo("cpu-smooth");
      assertThat(subscription.key().apply(new Smoothed("pi-2", 40, T0, 1, 1))).isEqualTo("pi-2");
    }

    @Test
    void topicsLiveAtTheEdgeAndTheirPredictionsInTheCloud() {
      assertThat(application.topic("cpu-raw").orElseThrow().zone()).isEqualTo("edge-a");
      assertThat(application.topic("cpu-smooth").orElseThrow().zone()).isEqualTo("edge-a");
      assertThat(application.topic("prediction").orElseThrow().zone()).isEqualTo("cloud");
    }
  }

  @Nested
  class Smooth {

    private final FunctionTester<Window> smooth =
        FunctionTester.of(new TemperaturePipeline(), "smooth", Window.class);

    @Test
    void theFirstReadingIsItsOwnAverage() {
      Invocation<Window> result = smooth.invoke("pi-1", new Reading("pi-1", 40.5, T0));

      assertThat(onlyPublishedSmoothed(result)).isEqualTo(new Smoothed("pi-1", 40.5, T0, 1, 1));
      assertThat(result.state().readings()).containsExactly(new Reading("pi-1", 40.5, T0));
    }

    @Test
    void theAverageCoversTheReadingsOfTheLastHour() {
      smooth.invoke("pi-1", new Reading("pi-1", 40, at(0)));
      smooth.invoke("pi-1", new Reading("pi-1", 42, at(10)));

      Smoothed smoothed =
          onlyPublishedSmoothed(smooth.invoke("pi-1", new Reading("pi-1", 47, at(20))));

      assertThat(smoothed.average()).isCloseTo(43.0, within(1e-9));
      assertThat(smoothed.samples()).isEqualTo(3);
      assertThat(smoothed.readingNo()).isEqualTo(3);
    }

    @Test
    void readingsAnHourOlderThanTheNewestLeaveTheWindow() {
      smooth.invoke("pi-1", new Reading("pi-1", 30, at(0)));
      smooth.invoke("pi-1", new Reading("pi-1", 40, at(30)));

      Invocation<Window> result = smooth.invoke("pi-1", new Reading("pi-1", 50, at(60)));

      assertThat(result.state().readings())
          .containsExactly(new Reading("pi-1", 40, at(30)), new Reading("pi-1", 50, at(60)));
      Smoothed smoothed = onlyPublishedSmoothed(result);
      assertThat(smoothed.average()).isCloseTo(45.0, within(1e-9));
      assertThat(smoothed.samples()).isEqualTo(2);
      assertThat(smoothed.readingNo()).isEqualTo(3);
    }

    @Test
    void countAndSumIncludeEveryReadingOnceEvenAfterItLeftTheWindow() {
      smooth.invoke("pi-1", new Reading("pi-1", 30, at(0)));
      smooth.invoke("pi-1", new Reading("pi-1", 40, at(30)));

      Invocation<Window> result = smooth.invoke("pi-1", new Reading("pi-1", 50.5, at(90)));

      assertThat(result.state().count()).isEqualTo(3);
      assertThat(result.state().sum()).isCloseTo(120.5, within(1e-9));
      assertThat(result.state().readings()).hasSize(1);
    }

    @Test
    void theTimestampIsRoundedToTheNearestFiveMinutes() {
      Smoothed before =
          onlyPublishedSmoothed(smooth.invoke("pi-1", new Reading("pi-1", 40, T0 + 149_999)));
      Smoothed after =
          onlyPublishedSmoothed(smooth.invoke("pi-2", new Reading("pi-2", 40, T0 + 150_000)));

      assertThat(before.timestamp()).isEqualTo(T0);
      assertThat(after.timestamp()).isEqualTo(T0 + STEP);
    }

    @Test
    void sensorsAreSmoothedSeparately() {
      smooth.invoke("pi-1", new Reading("pi-1", 30, at(0)));

      Smoothed other = onlyPublishedSmoothed(smooth.invoke("pi-2", new Reading("pi-2", 60, at(1))));

      assertThat(other).isEqualTo(new Smoothed("pi-2", 60, T0, 1, 1));
      assertThat(smooth.state("pi-1").count()).isEqualTo(1);
    }

    @Test
    void aLateReadingOlderThanTheWindowIsCountedButNotAveraged() {
      smooth.invoke("pi-1", new Reading("pi-1", 50, at(60)));

      Invocation<Window> result = smooth.invoke("pi-1", new Reading("pi-1", 10, at(0)));

      assertThat(result.state().readings()).containsExactly(new Reading("pi-1", 50, at(60)));
      assertThat(result.state().count()).isEqualTo(2);
      assertThat(result.state().sum()).isCloseTo(60.0, within(1e-9));
      Smoothed smoothed = onlyPublishedSmoothed(result);
      assertThat(smoothed.average()).isCloseTo(50.0, within(1e-9));
      assertThat(smoothed.samples()).isEqualTo(1);
      assertThat(smoothed.readingNo()).isEqualTo(2);
    }

    @Test
    void aLateReadingWithinTheWindowTakesItsPlaceInTime() {
      smooth.invoke("pi-1", new Reading("pi-1", 40, at(0)));
      smooth.invoke("pi-1", new Reading("pi-1", 44, at(20)));
      smooth.invoke("pi-1", new Reading("pi-1", 42, at(10)));

      Invocation<Window> result = smooth.invoke("pi-1", new Reading("pi-1", 46, at(65)));

      assertThat(result.state().readings())
          .as("readings within the hour before the newest, oldest first")
          .containsExactly(
              new Reading("pi-1", 42, at(10)),
              new Reading("pi-1", 44, at(20)),
              new Reading("pi-1", 46, at(65)));
    }
  }

  @Nested
  class Predict {

    private final FunctionTester<Model> predict =
        FunctionTester.of(new TemperaturePipeline(), "predict", Model.class);

    /** Predictions for one smoothed value per five minutes, from {@code values}. */
    private List<Prediction> feed(String sensor, List<Double> values) {
      List<Prediction> predictions = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        predictions.add(
            onlyPublishedPrediction(
                predict.invoke(
                    sensor, new Smoothed(sensor, values.get(i), T0 + i * STEP, i + 1, i + 1))));
      }
      return predictions;
    }

    private static List<Double> series(double start, double perStep, int steps) {
      return IntStream.range(0, steps).mapToObj(i -> start + perStep * i).toList();
    }

    @Test
    void theFirstValueIsForecastFiveMinutesAhead() {
      Prediction prediction =
          onlyPublishedPrediction(predict.invoke("pi-1", new Smoothed("pi-1", 41.5, T0, 1, 7)));

      assertThat(prediction).isEqualTo(new Prediction("pi-1", 41.5, T0 + STEP, 7));
    }

    @Test
    void aSteadyTemperatureIsForecastUnchanged() {
      List<Prediction> predictions = feed("pi-1", series(45, 0, 6));

      assertThat(predictions)
          .extracting(Prediction::celsius)
          .allSatisfy(c -> assertThat(c).isCloseTo(45.0, within(1e-9)));
    }

    @Test
    void risingTemperaturesAreForecastToKeepRising() {
      List<Double> values = series(40, 1, 12);

      List<Prediction> predictions = feed("pi-1", values);

      assertThat(predictions).extracting(Prediction::celsius).isSorted().doesNotHaveDuplicates();
      assertThat(predictions.get(predictions.size() - 1).celsius())
          .isGreaterThan(values.get(values.size() - 1));
      assertThat(predict.state("pi-1").trend()).isPositive();
    }

    @Test
    void fallingTemperaturesAreForecastToKeepFalling() {
      List<Double> values = series(60, -1, 12);

      List<Prediction> predictions = feed("pi-1", values);

      assertThat(predictions.get(predictions.size() - 1).celsius())
          .isLessThan(values.get(values.size() - 1));
      assertThat(predictions.get(predictions.size() - 1).celsius())
          .isLessThan(predictions.get(predictions.size() - 2).celsius());
      assertThat(predict.state("pi-1").trend()).isNegative();
    }

    @Test
    void aGapSpreadsTheChangeOverItsFiveMinuteSteps() {
      predict.invoke("pi-1", new Smoothed("pi-1", 40, T0, 1, 1));

      predict.invoke("pi-1", new Smoothed("pi-1", 50, T0 + 4 * STEP, 2, 2));

      Model model = predict.state("pi-1");
      assertThat(model.samples()).isEqualTo(2);
      assertThat(model.level()).isCloseTo(45.0, within(1e-9));
      assertThat(model.trend())
          .as("a change of 5 over four steps, smoothed with beta 0.3")
          .isCloseTo(0.3 * 5 / 4, within(1e-9));
      assertThat(model.timestamp()).isEqualTo(T0 + 4 * STEP);
    }

    @Test
    void eachPredictionNamesTheTimeItIsForAndTheReadingItCameFrom() {
      Prediction prediction =
          onlyPublishedPrediction(
              predict.invoke("pi-1", new Smoothed("pi-1", 40, T0 + 3 * STEP, 2, 42)));

      assertThat(prediction.forTimestamp()).isEqualTo(T0 + 4 * STEP);
      assertThat(prediction.readingNo()).isEqualTo(42);
      assertThat(prediction.sensorId()).isEqualTo("pi-1");
    }
  }

  @Test
  void aReadingFlowsThroughBothStagesToAPrediction() {
    FunctionTester<Window> smooth =
        FunctionTester.of(new TemperaturePipeline(), "smooth", Window.class);
    FunctionTester<Model> predict =
        FunctionTester.of(new TemperaturePipeline(), "predict", Model.class);
    Smoothed smoothed = onlyPublishedSmoothed(smooth.invoke("pi-1", new Reading("pi-1", 41, T0)));

    Prediction prediction = onlyPublishedPrediction(predict.invoke("pi-1", smoothed));

    assertThat(prediction).isEqualTo(new Prediction("pi-1", 41, T0 + STEP, 1));
  }
}
