package io.continuum.crdt.field;

import static io.continuum.crdt.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.crdt.CausalMap;
import io.continuum.crdt.TestActorSystem;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One way for the object layer to keep an object: a {@link CausalMap} from field name to the
 * field's value, as one Replicator entry whose empty value is {@code CausalMap.empty()}.
 */
class FieldsInOneMapTest {

  private static final Map<String, FieldSpec> FIELDS =
      Map.of(
          "visits", FieldSpec.parse("pncounter"),
          "color", FieldSpec.parse("lwwregister"),
          "tags", FieldSpec.parse("orset"));

  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system = TestActorSystem.start();
  }

  @AfterAll
  static void stop() throws Exception {
    TestActorSystem.stop(system);
  }

  @Test
  void fieldsOfDifferentTypesLiveInOneMapAndMerge() {
    CausalMap<ReplicatedData> onA =
        write(
            write(CausalMap.empty(), node(1), "visits", "increment", "2"),
            node(1),
            "color",
            "assign",
            "red");
    CausalMap<ReplicatedData> onB =
        write(
            write(CausalMap.empty(), node(2), "visits", "increment"),
            node(2),
            "tags",
            "add",
            "new");

    CausalMap<ReplicatedData> merged = onA.mergeData(onB);

    assertThat(read(merged, "visits")).isEqualTo(3L);
    assertThat(read(merged, "color")).isEqualTo("red");
    assertThat(read(merged, "tags")).isEqualTo(List.of("new"));
    assertThat(TestActorSystem.roundTrip(system, merged)).isEqualTo(merged);
  }

  @Test
  void deletingAFieldForgetsItsValue() {
    CausalMap<ReplicatedData> object =
        write(CausalMap.empty(), node(1), "visits", "increment", "5").remove("visits");

    assertThat(read(write(object, node(1), "visits", "increment"), "visits")).isEqualTo(1L);
  }

  private static CausalMap<ReplicatedData> write(
      CausalMap<ReplicatedData> object,
      SelfUniqueAddress self,
      String field,
      String operation,
      String... args) {
    return object.update(
        self, field, current -> FIELDS.get(field).apply(current, self, operation, List.of(args)));
  }

  private static Object read(CausalMap<ReplicatedData> object, String field) {
    return FIELDS.get(field).read(object.get(field));
  }
}
