package io.continuum.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.examples.AllReduceApp.Chunk;
import io.continuum.examples.AllReduceApp.Partial;
import io.continuum.examples.AllReduceApp.Read;
import io.continuum.examples.AllReduceApp.Reduced;
import io.continuum.examples.AllReduceApp.Total;
import io.continuum.sdk.ObjectValue;
import io.continuum.sdk.model.Effects.ObjectUpdate;
import io.continuum.sdk.testing.FunctionTester;
import io.continuum.sdk.testing.FunctionTester.Invocation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The workers and the reader of {@link AllReduceApp}, without a cluster. */
class AllReduceAppTest {

  private final FunctionTester<Reduced> worker =
      FunctionTester.of(new AllReduceApp(), "allreduce-worker", Reduced.class);
  private final FunctionTester<Total> reader =
      FunctionTester.of(new AllReduceApp(), "allreduce-reader", Total.class);

  @Test
  void aWorkerAddsItsChunksSumAndCountsTheChunk() {
    Invocation<Reduced> result = worker.invoke("w1", new Chunk(List.of(1L, 2L, 3L)));

    assertThat(result.failure()).isNull();
    assertThat(result.reply()).contains(new Partial(6));
    assertThat(result.updates())
        .containsExactly(
            new ObjectUpdate("allreduce", "sum", "increment", List.of("6")),
            new ObjectUpdate("allreduce", "chunks", "increment", List.of("1")));
    assertThat(result.state()).isEqualTo(new Reduced(1, 6));
  }

  @Test
  void aNegativeSumIsSubtracted() {
    Invocation<Reduced> result = worker.invoke("w1", new Chunk(List.of(-10L, 3L)));

    assertThat(result.updates().get(0))
        .isEqualTo(new ObjectUpdate("allreduce", "sum", "decrement", List.of("7")));
  }

  @Test
  void theReaderRepliesWithTheCounterItsReplicaHolds() {
    reader.withObject(new ObjectValue("allreduce", Map.of("sum", 499_500L, "chunks", 1_000L)));

    assertThat(reader.invoke("any", new Read()).reply()).contains(new Total(499_500, 1_000));
  }

  @Test
  void beforeAnyWorkTheTotalIsZero() {
    assertThat(reader.invoke("any", new Read()).reply()).contains(new Total(0, 0));
  }
}
