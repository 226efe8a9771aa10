package io.continuum.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CommonPoolTest {

  @Test
  void twoProcessorsGetAPoolOfTwoInsteadOfAThreadPerStage() {
    assertThat(CommonPool.parallelismFor(2, null)).isEqualTo(OptionalInt.of(2));
    assertThat(CommonPool.parallelismFor(1, null)).isEqualTo(OptionalInt.of(2));
  }

  @Test
  void theJdkDefaultStaysWhereItIsAlreadyTwoOrMore() {
    assertThat(CommonPool.parallelismFor(3, null)).isEmpty();
    assertThat(CommonPool.parallelismFor(64, null)).isEmpty();
  }

  @Test
  void anOperatorsSettingIsKept() {
    assertThat(CommonPool.parallelismFor(2, "1")).isEmpty();
  }

  @Test
  void thisTestJvmRunsStagesOnThePool() {
    // The build passes -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 to test JVMs.
    assertThat(java.util.concurrent.ForkJoinPool.getCommonPoolParallelism()).isGreaterThan(1);
  }
}
