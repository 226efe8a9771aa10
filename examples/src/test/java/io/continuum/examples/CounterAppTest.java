package io.continuum.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.examples.CounterApp.Add;
import io.continuum.examples.CounterApp.Total;
import io.continuum.sdk.testing.FunctionTester;
import io.continuum.sdk.testing.FunctionTester.Invocation;
import org.junit.jupiter.api.Test;

/** The {@code counter} function of {@link CounterApp}, without a cluster. */
class CounterAppTest {

  private final FunctionTester<Total> counter =
      FunctionTester.of(new CounterApp(), "counter", Total.class);

  @Test
  void aCounterStartsAtZero() {
    assertThat(counter.state("c1")).isEqualTo(new Total(0));
  }

  @Test
  void addingRepliesWithTheNewTotal() {
    Invocation<Total> result = counter.invoke("c1", new Add(5));

    assertThat(result.failure()).isNull();
    assertThat(result.state()).isEqualTo(new Total(5));
    assertThat(result.reply()).contains(new Total(5));
    assertThat(result.sent()).isEmpty();
    assertThat(result.published()).isEmpty();
  }

  @Test
  void theTotalAccumulatesAndNegativeAmountsSubtract() {
    counter.invoke("c1", new Add(5));
    counter.invoke("c1", new Add(10));

    Invocation<Total> result = counter.invoke("c1", new Add(-3));

    assertThat(result.state()).isEqualTo(new Total(12));
    assertThat(result.reply()).contains(new Total(12));
  }

  @Test
  void countersAreIndependent() {
    counter.invoke("c1", new Add(5));

    counter.invoke("c2", new Add(1));

    assertThat(counter.state("c1")).isEqualTo(new Total(5));
    assertThat(counter.state("c2")).isEqualTo(new Total(1));
  }
}
