package io.continuum.object;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.crdt.CausalMap;
import io.continuum.crdt.field.FieldSpec;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.junit.jupiter.api.Test;

/** Idempotent writers: an outbox entry delivered twice, or out of order, applies once. */
class ObjectStateTest {

  private static final Optional<FieldSpec> COUNTER = Optional.of(FieldSpec.parse("pncounter"));

  private static SelfUniqueAddress node(int n) {
    return new SelfUniqueAddress(
        new UniqueAddress(new Address("pekko", "test", "10.0.0." + n, 7354), n));
  }

  private static CausalMap<ReplicatedData> add(
      CausalMap<ReplicatedData> state,
      SelfUniqueAddress self,
      long amount,
      String writer,
      long seq) {
    return ObjectState.update(
        state,
        self,
        "tally",
        "words",
        "increment",
        List.of(Long.toString(amount)),
        COUNTER,
        List.of("cloud"),
        Optional.ofNullable(writer).map(w -> new ReplicatedObjects.Writer(w, seq)));
  }

  private static Object words(CausalMap<ReplicatedData> state) {
    return ObjectState.values(state).get("words");
  }

  @Test
  void aRepeatedOrOlderSequenceNumberOfAWriterChangesNothing() {
    CausalMap<ReplicatedData> state = add(CausalMap.empty(), node(1), 5, "fn:a>object:tally", 1);
    state = add(state, node(1), 5, "fn:a>object:tally", 1);
    state = add(state, node(1), 3, "fn:a>object:tally", 2);
    state = add(state, node(1), 3, "fn:a>object:tally", 2);
    state = add(state, node(1), 5, "fn:a>object:tally", 1);

    assertThat(words(state)).isEqualTo(8L);
    assertThat(ObjectState.appliedSeq(state, "fn:a>object:tally")).isEqualTo(2);
  }

  @Test
  void writersAndAnonymousUpdatesAreCountedSeparately() {
    CausalMap<ReplicatedData> state = add(CausalMap.empty(), node(1), 1, "fn:a>object:tally", 1);
    state = add(state, node(1), 10, "fn:b>object:tally", 1);
    state = add(state, node(1), 100, null, 0);
    state = add(state, node(1), 100, null, 0);

    assertThat(words(state)).isEqualTo(211L);
    assertThat(ObjectState.fields(state)).containsOnlyKeys("words");
  }

  @Test
  void aWriteAppliedOnOneReplicaIsNotAppliedAgainOnAnotherAfterMerging() {
    CausalMap<ReplicatedData> first = add(CausalMap.empty(), node(1), 5, "fn:a>object:tally", 7);
    CausalMap<ReplicatedData> second = CausalMap.<ReplicatedData>empty().mergeData(first);

    CausalMap<ReplicatedData> retried = add(second, node(2), 5, "fn:a>object:tally", 7);

    assertThat(words(retried.mergeData(first))).isEqualTo(5L);
  }

  @Test
  void deletingAnObjectKeepsWhatWritersAppliedSoARetryCannotResurrectIt() {
    CausalMap<ReplicatedData> state = add(CausalMap.empty(), node(1), 5, "fn:a>object:tally", 1);
    CausalMap<ReplicatedData> deleted = ObjectState.delete(state);

    assertThat(ObjectState.exists(deleted)).isFalse();
    assertThat(ObjectState.exists(add(deleted, node(1), 5, "fn:a>object:tally", 1))).isFalse();
  }
}
