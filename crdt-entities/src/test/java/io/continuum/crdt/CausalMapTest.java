package io.continuum.crdt;

import static io.continuum.crdt.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.cluster.ddata.GCounter;
import org.apache.pekko.cluster.ddata.ORMap;
import org.apache.pekko.cluster.ddata.PNCounter;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.junit.jupiter.api.Test;

class CausalMapTest {

  private final SelfUniqueAddress a = node(1);
  private final SelfUniqueAddress b = node(2);
  private final SelfUniqueAddress c = node(3);

  @Test
  void updatesAKeyFromItsCurrentValue() {
    CausalMap<GCounter> map =
        CausalMap.<GCounter>empty().update(a, "x", inc(a)).update(a, "x", inc(a));

    assertThat(map.get("x").map(GCounter::getValue)).contains(BigInteger.TWO);
    assertThat(map.contains("x")).isTrue();
    assertThat(map.contains("y")).isFalse();
  }

  @Test
  void concurrentUpdatesOfAKeyAreMergedOnRead() {
    CausalMap<GCounter> onA = CausalMap.<GCounter>empty().update(a, "x", inc(a));
    CausalMap<GCounter> onB = CausalMap.<GCounter>empty().update(b, "x", inc(b));

    CausalMap<GCounter> merged = onA.mergeData(onB);

    assertThat(merged.entries().get("x").getValue()).isEqualTo(BigInteger.TWO);
    assertThat(merged.update(a, "x", inc(a)).get("x").map(GCounter::getValue))
        .contains(BigInteger.valueOf(3));
  }

  @Test
  void removeTakesOutWhatThisReplicaHasSeen() {
    CausalMap<GCounter> map = CausalMap.<GCounter>empty().update(a, "x", inc(a)).remove("x");

    assertThat(map.get("x")).isEmpty();
    assertThat(map.entries()).isEmpty();
  }

  @Test
  void aConcurrentUpdateSurvivesARemoveWithOnlyItsOwnValue() {
    CausalMap<GCounter> shared = CausalMap.<GCounter>empty().update(a, "x", inc(a));
    CausalMap<GCounter> removedOnA =
        shared.mergeData(CausalMap.<GCounter>empty().update(b, "x", inc(b))).remove("x");
    CausalMap<GCounter> updatedOnC = CausalMap.<GCounter>empty().update(c, "x", inc(c));

    assertThat(removedOnA.mergeData(updatedOnC).get("x").map(GCounter::getValue))
        .contains(BigInteger.ONE);
  }

  @Test
  void aRemovedKeyAddedAgainStartsFromNothing() {
    CausalMap<GCounter> map =
        CausalMap.<GCounter>empty().update(a, "x", inc(a)).remove("x").update(a, "x", inc(a));

    assertThat(map.get("x").map(GCounter::getValue)).contains(BigInteger.ONE);
  }

  /**
   * Why the map fields are not Pekko's ORMap: with a remove, the value of a surviving key depends
   * on the order of merges. Replica A removes x after seeing B's increment; C increments x
   * concurrently. Merging A, B, C left to right and right to left disagree.
   */
  @Test
  void pekkosOrMapResurrectsARemovedValueDependingOnMergeOrderButThisMapDoesNot() {
    ORMap<String, PNCounter> pekkoB =
        ORMap.<String, PNCounter>empty().update(b, "x", PNCounter.empty(), v -> v.increment(b, 1));
    ORMap<String, PNCounter> pekkoA = ORMap.<String, PNCounter>empty().merge(pekkoB).remove(a, "x");
    ORMap<String, PNCounter> pekkoC =
        ORMap.<String, PNCounter>empty().update(c, "x", PNCounter.empty(), v -> v.increment(c, 1));

    assertThat(pekkoA.merge(pekkoC).merge(pekkoB).getEntries().get("x").getValue())
        .isEqualTo(BigInteger.TWO);
    assertThat(pekkoA.merge(pekkoB).merge(pekkoC).getEntries().get("x").getValue())
        .isEqualTo(BigInteger.ONE);

    CausalMap<PNCounter> causalB = CausalMap.<PNCounter>empty().update(b, "x", pnInc(b));
    CausalMap<PNCounter> causalA = CausalMap.<PNCounter>empty().mergeData(causalB).remove("x");
    CausalMap<PNCounter> causalC = CausalMap.<PNCounter>empty().update(c, "x", pnInc(c));

    assertThat(causalA.mergeData(causalC).mergeData(causalB))
        .isEqualTo(causalA.mergeData(causalB).mergeData(causalC));
    assertThat(causalA.mergeData(causalC).mergeData(causalB).get("x").map(PNCounter::getValue))
        .contains(BigInteger.ONE);
  }

  @Test
  void pruningHandsOverBothTheRemovedNodesWritesAndItsShareOfTheValues() {
    CausalMap<GCounter> onB = CausalMap.<GCounter>empty().update(b, "x", inc(b));
    CausalMap<GCounter> both = onB.mergeData(CausalMap.<GCounter>empty().update(a, "y", inc(a)));

    CausalMap<GCounter> pruned = both.prune(b.uniqueAddress(), a.uniqueAddress());

    assertThat(pruned.needPruningFrom(b.uniqueAddress())).isFalse();
    assertThat(pruned.get("x").map(GCounter::getValue)).contains(BigInteger.ONE);
    assertThat(pruned.get("y").map(GCounter::getValue)).contains(BigInteger.ONE);
  }

  @Test
  void pruningCleanupDropsTheRemovedNodesTracesFromWritesAndValues() {
    CausalMap<GCounter> rewrittenByA =
        CausalMap.<GCounter>empty().update(b, "x", inc(b)).update(a, "x", inc(a));

    CausalMap<GCounter> cleaned = rewrittenByA.pruningCleanup(b.uniqueAddress());

    assertThat(rewrittenByA.needPruningFrom(b.uniqueAddress())).isTrue();
    assertThat(cleaned.needPruningFrom(b.uniqueAddress())).isFalse();
    assertThat(cleaned.get("x").map(GCounter::getValue)).contains(BigInteger.ONE);
  }

  private static Function<Optional<GCounter>, GCounter> inc(SelfUniqueAddress node) {
    return old -> old.orElse(GCounter.empty()).increment(node, 1);
  }

  private static Function<Optional<PNCounter>, PNCounter> pnInc(SelfUniqueAddress node) {
    return old -> old.orElse(PNCounter.empty()).increment(node, 1);
  }
}
