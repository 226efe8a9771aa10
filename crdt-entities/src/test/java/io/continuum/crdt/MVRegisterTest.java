package io.continuum.crdt;

import static io.continuum.crdt.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class MVRegisterTest {

  private final SelfUniqueAddress a = node(1);
  private final SelfUniqueAddress b = node(2);
  private final SelfUniqueAddress c = node(3);

  @Test
  void emptyRegisterHasNoValue() {
    assertThat(MVRegister.<String>empty().values()).isEmpty();
    assertThat(MVRegister.<String>empty().isEmpty()).isTrue();
  }

  @Test
  void assignReplacesTheValueItHasSeen() {
    MVRegister<String> register = MVRegister.<String>empty().assign(a, "red").assign(a, "blue");

    assertThat(register.values()).containsExactly("blue");
  }

  @Test
  void concurrentAssignsAreAllKept() {
    MVRegister<String> onA = MVRegister.<String>empty().assign(a, "red");
    MVRegister<String> onB = MVRegister.<String>empty().assign(b, "blue");

    assertThat(onA.merge(onB)).isEqualTo(onB.merge(onA));
    assertThat(onA.mergeData(onB).values()).containsExactlyInAnyOrder("red", "blue");
  }

  @Test
  void anAssignThatSawConcurrentValuesReplacesThemAll() {
    MVRegister<String> onA = MVRegister.<String>empty().assign(a, "red");
    MVRegister<String> onB = MVRegister.<String>empty().assign(b, "blue");

    MVRegister<String> resolved = onA.mergeData(onB).assign(c, "purple");

    assertThat(resolved.mergeData(onA).mergeData(onB).values()).containsExactly("purple");
  }

  @Test
  void aNewerAssignWinsOverTheOneItReplaced() {
    MVRegister<String> old = MVRegister.<String>empty().assign(a, "red");
    MVRegister<String> newer = old.assign(b, "blue");

    assertThat(old.mergeData(newer).values()).containsExactly("blue");
    assertThat(newer.mergeData(old).values()).containsExactly("blue");
  }

  @Test
  void equalConcurrentValuesAreReportedOnce() {
    MVRegister<String> onA = MVRegister.<String>empty().assign(a, "red");
    MVRegister<String> onB = MVRegister.<String>empty().assign(b, "red");

    assertThat(onA.mergeData(onB).values()).containsExactly("red");
  }

  @Test
  void holdsEverySupportedValueType() {
    MVRegister<Object> register = MVRegister.empty();

    assertThat(register.assign(a, "text").values()).containsExactly("text");
    assertThat(register.assign(a, 42L).values()).containsExactly(42L);
    assertThat(register.assign(a, 4.2).values()).containsExactly(4.2);
    assertThat(register.assign(a, true).values()).containsExactly(true);
    assertThat(register.assign(a, ByteString.fromString("xy")).values())
        .containsExactly(ByteString.fromString("xy"));
  }

  @Test
  void refusesValuesItCannotReplicate() {
    MVRegister<Object> register = MVRegister.empty();

    assertThatThrownBy(() -> register.assign(a, new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "an MVRegister holds String, Long, Double, Boolean or ByteString values, got [B");
    assertThatThrownBy(() -> register.assign(a, 42)).hasMessageEndingWith("got java.lang.Integer");
    assertThatThrownBy(() -> register.assign(a, null)).hasMessageEndingWith("got null");
    assertThatThrownBy(() -> register.assign(a, "broken \uD800"))
        .hasMessage("an MVRegister string must be valid Unicode, without unpaired surrogates");
  }

  @Test
  void recordsWhichNodesWroteIt() {
    MVRegister<String> register =
        MVRegister.<String>empty()
            .assign(a, "red")
            .mergeData(MVRegister.<String>empty().assign(b, "x"));

    assertThat(register.modifiedByNodes().contains(a.uniqueAddress())).isTrue();
    assertThat(register.modifiedByNodes().contains(b.uniqueAddress())).isTrue();
    assertThat(register.needPruningFrom(c.uniqueAddress())).isFalse();
  }

  @Test
  void pruningHandsARemovedNodesValuesToAnotherNode() {
    MVRegister<String> onA = MVRegister.<String>empty().assign(a, "red");
    MVRegister<String> both = onA.mergeData(MVRegister.<String>empty().assign(b, "blue"));

    MVRegister<String> pruned = both.prune(b.uniqueAddress(), a.uniqueAddress());

    assertThat(pruned.values()).containsExactlyInAnyOrder("red", "blue");
    assertThat(pruned.needPruningFrom(b.uniqueAddress())).isFalse();
    assertThat(pruned.mergeData(onA).values()).containsExactlyInAnyOrder("red", "blue");
  }

  @Test
  void pruningCleanupDropsARemovedNodesTraces() {
    MVRegister<String> both =
        MVRegister.<String>empty()
            .assign(a, "red")
            .mergeData(MVRegister.<String>empty().assign(b, "blue"));

    MVRegister<String> cleaned = both.pruningCleanup(b.uniqueAddress());

    assertThat(cleaned.values()).containsExactly("red");
    assertThat(cleaned.needPruningFrom(b.uniqueAddress())).isFalse();
  }
}
