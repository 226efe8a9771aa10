package io.continuum.crdt.field;

import static io.continuum.crdt.field.History.merge;
import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.crdt.TestActorSystem;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.ddata.ReplicatedData;

/**
 * Every field type's states survive Pekko serialization, as they must to replicate, and a state
 * serializes to the same bytes whatever history produced it, as the Replicator's digests need.
 */
class FieldSerializationProperties {

  private static ActorSystem system;

  @BeforeContainer
  static void start() {
    system = TestActorSystem.start();
  }

  @AfterContainer
  static void stop() throws Exception {
    TestActorSystem.stop(system);
  }

  @Property(tries = 300)
  void statesRoundTrip(@ForAll("histories") History history) {
    for (ReplicatedData state : history.replay()) {
      Object back = TestActorSystem.roundTrip(system, state);

      assertThat(back).as("%s", history.spec()).isEqualTo(state);
      assertThat(history.read((ReplicatedData) back)).isEqualTo(history.read(state));
    }
  }

  @Property(tries = 300)
  void equalStatesSerializeToEqualBytes(@ForAll("histories") History history) {
    List<ReplicatedData> s = history.replay();

    assertThat(TestActorSystem.bytes(system, merge(s.get(0), s.get(1))))
        .as("%s", history.spec())
        .isEqualTo(TestActorSystem.bytes(system, merge(s.get(1), s.get(0))));
  }

  @Provide
  Arbitrary<History> histories() {
    return FieldArbitraries.histories();
  }
}
