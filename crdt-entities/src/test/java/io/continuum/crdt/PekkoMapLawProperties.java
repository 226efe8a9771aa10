package io.continuum.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.pekko.cluster.ddata.DeltaReplicatedData;
import org.apache.pekko.cluster.ddata.ORMap;
import org.apache.pekko.cluster.ddata.PNCounter;
import org.apache.pekko.cluster.ddata.PNCounterMap;
import org.apache.pekko.cluster.ddata.ReplicatedData;

/**
 * Pekko's ORMap and PNCounterMap obey the CRDT laws as long as no key is removed; with removals
 * they do not (see {@code CausalMapTest}), which is why map fields are {@link CausalMap}s. Kept so
 * that anyone reaching for Pekko's maps knows where they are safe.
 */
class PekkoMapLawProperties {

  /**
   * Replica {@code replica} adds {@code amount} at {@code key}, or merges in replica {@code from}.
   */
  record Step(int replica, String key, int amount, int from) {}

  @Property
  void orMapOfCountersObeysTheLawsWithoutRemovals(@ForAll("steps") List<Step> steps) {
    List<ReplicatedData> s =
        replay(steps, ORMap.<String, PNCounter>empty(), (map, step) -> orMapAdd(map, step));

    assertLaws(s);
  }

  @Property
  void pnCounterMapObeysTheLawsWithoutRemovals(@ForAll("steps") List<Step> steps) {
    List<ReplicatedData> s =
        replay(
            steps,
            PNCounterMap.<String>empty(),
            (map, step) ->
                ((PNCounterMap<String>) map)
                    .increment(TestNodes.REPLICAS.get(step.replica()), step.key(), step.amount()));

    assertLaws(s);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.of("x", "y"),
            Arbitraries.integers().between(-3, 3),
            Arbitraries.integers().between(-1, 2))
        .as(Step::new)
        .list()
        .ofMaxSize(30);
  }

  private interface Update {
    ReplicatedData apply(ReplicatedData map, Step step);
  }

  @SuppressWarnings("unchecked")
  private static ReplicatedData orMapAdd(ReplicatedData map, Step step) {
    var node = TestNodes.REPLICAS.get(step.replica());
    return ((ORMap<String, PNCounter>) map)
        .update(node, step.key(), PNCounter.empty(), c -> c.increment(node, step.amount()));
  }

  /** Applies each step; a step with a valid {@code from} other than itself is a merge. */
  private static List<ReplicatedData> replay(List<Step> steps, ReplicatedData empty, Update add) {
    List<ReplicatedData> replicas = new ArrayList<>(List.of(empty, empty, empty));
    for (Step step : steps) {
      ReplicatedData current = replicas.get(step.replica());
      ReplicatedData next =
          step.from() >= 0 && step.from() != step.replica()
              ? current.merge(replicas.get(step.from()))
              : add.apply(current, step);
      replicas.set(
          step.replica(), next instanceof DeltaReplicatedData delta ? delta.resetDelta() : next);
    }
    return replicas;
  }

  private static void assertLaws(List<ReplicatedData> s) {
    ReplicatedData a = s.get(0);
    ReplicatedData b = s.get(1);
    ReplicatedData c = s.get(2);
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    assertThat(a.merge(a)).isEqualTo(a);
    assertThat(c.merge(a).merge(b)).isEqualTo(b.merge(c).merge(a));
  }
}
