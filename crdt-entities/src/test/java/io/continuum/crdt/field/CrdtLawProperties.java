package io.continuum.crdt.field;

import static io.continuum.crdt.field.History.merge;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.pekko.cluster.ddata.ReplicatedData;

/**
 * The CRDT laws for every field type, Pekko's and Continuum's own: merge is commutative,
 * associative and idempotent, and replicas that saw the same writes converge whatever the order
 * they merged in. States come from random histories of operations and merges on three replicas, so
 * they share history the way real replicas do.
 */
class CrdtLawProperties {

  /** Enough for some 170 histories of each of the 17 field specs. */
  private static final int TRIES = 3000;

  @Property(tries = TRIES)
  void mergeIsCommutative(@ForAll("histories") History history) {
    List<ReplicatedData> s = history.replay();

    assertSameState(history, merge(s.get(0), s.get(1)), merge(s.get(1), s.get(0)));
    coverEverySpec(history);
  }

  @Property(tries = TRIES)
  void mergeIsAssociative(@ForAll("histories") History history) {
    List<ReplicatedData> s = history.replay();

    assertSameState(
        history,
        merge(merge(s.get(0), s.get(1)), s.get(2)),
        merge(s.get(0), merge(s.get(1), s.get(2))));
    coverEverySpec(history);
  }

  @Property(tries = TRIES)
  void mergeIsIdempotent(@ForAll("histories") History history) {
    List<ReplicatedData> s = history.replay();
    ReplicatedData ab = merge(s.get(0), s.get(1));

    assertSameState(history, merge(s.get(0), s.get(0)), s.get(0));
    assertSameState(history, merge(ab, s.get(1)), ab);
    coverEverySpec(history);
  }

  @Property(tries = TRIES)
  void replicasConvergeWhateverOrderTheyMergeIn(
      @ForAll("histories") History history, @ForAll("mergeOrders") List<List<Integer>> orders) {
    List<ReplicatedData> s = history.replay();

    ReplicatedData expected = null;
    for (int replica = 0; replica < s.size(); replica++) {
      ReplicatedData converged = s.get(replica);
      for (int other : orders.get(replica)) {
        converged = merge(converged, s.get(other));
      }
      if (expected == null) {
        expected = converged;
      } else {
        assertSameState(history, converged, expected);
      }
    }
    coverEverySpec(history);
  }

  @Provide
  Arbitrary<History> histories() {
    return FieldArbitraries.histories();
  }

  /** For each replica, the order in which it merges in the states of all three. */
  @Provide
  Arbitrary<List<List<Integer>>> mergeOrders() {
    return Arbitraries.shuffle(0, 1, 2).list().ofSize(3);
  }

  private static void assertSameState(History history, ReplicatedData a, ReplicatedData b) {
    assertThat(a).as("state of %s", history.spec()).isEqualTo(b);
    assertThat(history.read(a)).as("reading of %s", history.spec()).isEqualTo(history.read(b));
  }

  private static void coverEverySpec(History history) {
    Statistics.label("spec").collect(history.spec().wireName());
    Statistics.label("spec")
        .coverage(
            checker ->
                FieldArbitraries.SPECS.forEach(
                    spec -> checker.check(spec.wireName()).count(count -> count > 0)));
  }
}
