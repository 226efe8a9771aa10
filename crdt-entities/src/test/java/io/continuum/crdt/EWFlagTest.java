package io.continuum.crdt;

import static io.continuum.crdt.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.junit.jupiter.api.Test;

class EWFlagTest {

  private final SelfUniqueAddress a = node(1);
  private final SelfUniqueAddress b = node(2);

  @Test
  void startsDisabled() {
    assertThat(EWFlag.empty().enabled()).isFalse();
  }

  @Test
  void canBeEnabledAndDisabledAgainAndAgain() {
    EWFlag flag = EWFlag.empty().enable(a);
    assertThat(flag.enabled()).isTrue();

    flag = flag.disable();
    assertThat(flag.enabled()).isFalse();

    flag = flag.enable(a);
    assertThat(flag.enabled()).isTrue();
  }

  @Test
  void concurrentEnableWinsOverDisable() {
    EWFlag shared = EWFlag.empty().enable(a);
    EWFlag disabledOnA = shared.disable();
    EWFlag enabledAgainOnB = shared.enable(b);

    assertThat(disabledOnA.mergeData(enabledAgainOnB).enabled()).isTrue();
    assertThat(enabledAgainOnB.mergeData(disabledOnA).enabled()).isTrue();
  }

  @Test
  void aDisableThatSawTheEnableWins() {
    EWFlag enabled = EWFlag.empty().enable(a);
    EWFlag disabled = enabled.disable();

    assertThat(enabled.mergeData(disabled).enabled()).isFalse();
    assertThat(disabled.mergeData(enabled).enabled()).isFalse();
  }

  @Test
  void disablingANeverEnabledFlagKeepsNoState() {
    assertThat(EWFlag.empty().disable()).isEqualTo(EWFlag.empty());
  }

  @Test
  void pruningKeepsTheFlagEnabledWhenOnlyTheRemovedNodeEnabledIt() {
    EWFlag enabledByB = EWFlag.empty().enable(b);

    EWFlag pruned = enabledByB.prune(b.uniqueAddress(), a.uniqueAddress());

    assertThat(pruned.enabled()).isTrue();
    assertThat(pruned.needPruningFrom(b.uniqueAddress())).isFalse();
    assertThat(pruned.modifiedByNodes().contains(a.uniqueAddress())).isTrue();
  }

  @Test
  void pruningAFlagThatWasDisabledKeepsItDisabled() {
    EWFlag disabled = EWFlag.empty().enable(b).disable();

    EWFlag pruned = disabled.prune(b.uniqueAddress(), a.uniqueAddress());

    assertThat(pruned.enabled()).isFalse();
    assertThat(pruned.needPruningFrom(b.uniqueAddress())).isFalse();
  }
}
