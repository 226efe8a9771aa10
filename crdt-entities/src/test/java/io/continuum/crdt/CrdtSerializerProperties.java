package io.continuum.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.util.ByteString;

/** Registers holding every supported value type survive serialization unchanged. */
class CrdtSerializerProperties {

  private static ActorSystem system;

  /** Replica {@code replica} assigns {@code value}, or merges in replica {@code from}. */
  record Step(int replica, Object value, int from) {}

  @BeforeContainer
  static void start() {
    system = TestActorSystem.start();
  }

  @AfterContainer
  static void stop() throws Exception {
    TestActorSystem.stop(system);
  }

  @Property
  void registersRoundTrip(@ForAll("steps") List<Step> steps) {
    for (MVRegister<Object> register : replay(steps)) {
      assertThat(TestActorSystem.roundTrip(system, register)).isEqualTo(register);
    }
  }

  @Property
  void equalRegistersSerializeToEqualBytes(@ForAll("steps") List<Step> steps) {
    List<MVRegister<Object>> s = replay(steps);

    assertThat(TestActorSystem.bytes(system, s.get(0).mergeData(s.get(1))))
        .isEqualTo(TestActorSystem.bytes(system, s.get(1).mergeData(s.get(0))));
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Object> values =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .ofMaxLength(20)
                .filter(s -> StandardCharsets.UTF_8.newEncoder().canEncode(s))
                .map(Object.class::cast),
            Arbitraries.longs().map(Object.class::cast),
            Arbitraries.doubles().map(Object.class::cast),
            Arbitraries.of(true, false).map(Object.class::cast),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(16).map(ByteString::fromArray));
    return Combinators.combine(
            Arbitraries.integers().between(0, 2), values, Arbitraries.integers().between(-1, 2))
        .as(Step::new)
        .list()
        .ofMaxSize(20);
  }

  private static List<MVRegister<Object>> replay(List<Step> steps) {
    List<MVRegister<Object>> replicas =
        new ArrayList<>(List.of(MVRegister.empty(), MVRegister.empty(), MVRegister.empty()));
    for (Step step : steps) {
      MVRegister<Object> current = replicas.get(step.replica());
      replicas.set(
          step.replica(),
          step.from() >= 0 && step.from() != step.replica()
              ? current.mergeData(replicas.get(step.from()))
              : current.assign(TestNodes.REPLICAS.get(step.replica()), step.value()));
    }
    return replicas;
  }
}
