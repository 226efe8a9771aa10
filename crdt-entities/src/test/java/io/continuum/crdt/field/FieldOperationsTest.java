package io.continuum.crdt.field;

import static io.continuum.crdt.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.junit.jupiter.api.Test;

/** Each field type's operations and reads, on one replica. */
class FieldOperationsTest {

  private final SelfUniqueAddress self = node(1);

  @Test
  void neverWrittenFieldsReadAsTheirEmptyValue() {
    assertThat(read("gcounter", Optional.empty())).isEqualTo(0L);
    assertThat(read("pncounter", Optional.empty())).isEqualTo(0L);
    assertThat(read("gset", Optional.empty())).isEqualTo(List.of());
    assertThat(read("orset", Optional.empty())).isEqualTo(List.of());
    assertThat(read("lwwregister", Optional.empty())).isNull();
    assertThat(read("mvregister", Optional.empty())).isEqualTo(List.of());
    assertThat(read("flag", Optional.empty())).isEqualTo(false);
    assertThat(read("ewflag", Optional.empty())).isEqualTo(false);
    assertThat(read("ormap<gcounter>", Optional.empty())).isEqualTo(Map.of());
    assertThat(read("pncountermap", Optional.empty())).isEqualTo(Map.of());
  }

  @Test
  void countersCountByOneOrByAnAmount() {
    assertThat(run("gcounter", "increment", "increment 5")).isEqualTo(6L);
    assertThat(run("pncounter", "increment 5", "decrement", "decrement 7")).isEqualTo(-3L);
  }

  @Test
  void countersReadAsBigIntegerPastLongRange() {
    String max = String.valueOf(Long.MAX_VALUE);

    assertThat(run("gcounter", "increment " + max, "increment 1"))
        .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE));
  }

  @Test
  void amountsMustBePositiveWholeNumbers() {
    for (String bad : List.of("0", "-3", "1.5", "lots")) {
      assertThatThrownBy(() -> run("pncounter", "increment " + bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "amount must be a whole number from 1 to 9223372036854775807, got '" + bad + "'");
    }
  }

  @Test
  void growOnlySetsCollectSortedElements() {
    assertThat(run("gset", "add pear", "add apple", "add pear"))
        .isEqualTo(List.of("apple", "pear"));
  }

  @Test
  void observedRemoveSetsAddRemoveAndClear() {
    assertThat(run("orset", "add pear", "add apple", "remove pear")).isEqualTo(List.of("apple"));
    assertThat(run("orset", "add pear", "add apple", "clear", "add fig")).isEqualTo(List.of("fig"));
  }

  @Test
  void setsAnswerContains() {
    FieldSpec spec = FieldSpec.parse("orset");
    Optional<ReplicatedData> set = Optional.of(apply(spec, Optional.empty(), "add pear"));

    assertThat(spec.query(set, "contains", List.of("pear"))).isEqualTo(true);
    assertThat(spec.query(set, "contains", List.of("fig"))).isEqualTo(false);
    assertThat(spec.query(Optional.empty(), "contains", List.of("fig"))).isEqualTo(false);
  }

  @Test
  void registersHoldTheLastAssignedValue() {
    assertThat(run("lwwregister", "assign red", "assign blue")).isEqualTo("blue");
    assertThat(run("mvregister", "assign red", "assign blue")).isEqualTo(List.of("blue"));
  }

  @Test
  void flagsSwitch() {
    assertThat(run("flag", "enable")).isEqualTo(true);
    assertThat(run("ewflag", "enable", "disable")).isEqualTo(false);
    assertThat(run("ewflag", "enable", "disable", "enable")).isEqualTo(true);
  }

  @Test
  void mapsOfRegistersPutAndRemoveKeys() {
    assertThat(run("ormap<lwwregister>", "put color red", "put size xl", "put color blue"))
        .isEqualTo(Map.of("color", "blue", "size", "xl"));
    assertThat(run("ormap<mvregister>", "put color red", "remove-key color")).isEqualTo(Map.of());
  }

  @Test
  void mapsApplyTheValueTypesOperationsThroughUpdate() {
    assertThat(
            run(
                "ormap<pncounter>",
                "update visits increment 5",
                "update visits decrement",
                "update likes increment"))
        .isEqualTo(Map.of("visits", 4L, "likes", 1L));
    assertThat(run("ormap<orset>", "update tags add new", "update tags add hot"))
        .isEqualTo(Map.of("tags", List.of("hot", "new")));
    assertThat(run("ormap<ewflag>", "update open enable", "update open disable"))
        .isEqualTo(Map.of("open", false));
  }

  @Test
  void counterMapsCountPerKey() {
    assertThat(run("pncountermap", "increment a 3", "decrement a", "increment b", "remove-key b"))
        .isEqualTo(Map.of("a", 2L));
  }

  @Test
  void mapsAnswerGet() {
    FieldSpec spec = FieldSpec.parse("ormap<lwwregister>");
    Optional<ReplicatedData> map = Optional.of(apply(spec, Optional.empty(), "put color red"));

    assertThat(spec.query(map, "get", List.of("color"))).isEqualTo("red");
    assertThat(spec.query(map, "get", List.of("size"))).isNull();

    FieldSpec counters = FieldSpec.parse("pncountermap");
    Optional<ReplicatedData> counts =
        Optional.of(apply(counters, Optional.empty(), "increment a 2"));
    assertThat(counters.query(counts, "get", List.of("a"))).isEqualTo(2L);
    assertThat(counters.query(counts, "get", List.of("b"))).isNull();
  }

  @Test
  void valueQueryIsTheWholeReading() {
    FieldSpec spec = FieldSpec.parse("gset");
    Optional<ReplicatedData> set = Optional.of(apply(spec, Optional.empty(), "add pear"));

    assertThat(spec.query(set, "value", List.of())).isEqualTo(List.of("pear"));
  }

  @Test
  void aWrongOperationNamesTheAcceptedOnes() {
    assertThatThrownBy(() -> run("gcounter", "decrement"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("field type gcounter does not accept 'decrement'; it accepts: increment");
    assertThatThrownBy(() -> run("orset", "assign x"))
        .hasMessage("field type orset does not accept 'assign'; it accepts: add, remove, clear");
    assertThatThrownBy(() -> run("flag", "disable"))
        .hasMessage("field type flag does not accept 'disable'; it accepts: enable");
    assertThatThrownBy(() -> run("ormap<gcounter>", "put a 1"))
        .hasMessage(
            "field type ormap<gcounter> does not accept 'put'; it accepts: update, remove-key");
    assertThatThrownBy(() -> run("ormap<gcounter>", "update a decrement"))
        .hasMessage("field type gcounter does not accept 'decrement'; it accepts: increment");
  }

  @Test
  void wrongArgumentsShowTheExpectedUsage() {
    assertThatThrownBy(() -> run("orset", "add"))
        .hasMessage("wrong arguments: expected 'add <element>', got []");
    assertThatThrownBy(() -> run("gcounter", "increment 1 2"))
        .hasMessage("wrong arguments: expected 'increment [amount]', got [1, 2]");
    assertThatThrownBy(() -> run("ewflag", "enable now"))
        .hasMessage("wrong arguments: expected 'enable', got [now]");
    assertThatThrownBy(() -> run("pncountermap", "increment a 1 2"))
        .hasMessage("wrong arguments: expected 'increment <key> [amount]', got [1, 2]");
    assertThatThrownBy(() -> run("ormap<pncounter>", "update visits"))
        .hasMessage("wrong arguments: expected 'update <key> <operation> [arguments]', got []");
    assertThatThrownBy(() -> run("ormap<pncounter>", "update visits increment 1 2"))
        .hasMessage("wrong arguments: expected 'update <key> increment [amount]', got [1, 2]");
    assertThatThrownBy(() -> run("ormap<lwwregister>", "put color"))
        .hasMessage("wrong arguments: expected 'put <key> <value>', got [color]");
  }

  /** Applies space-separated commands, e.g. {@code "increment 5"}, in order; reads the result. */
  private Object run(String spec, String... commands) {
    FieldSpec field = FieldSpec.parse(spec);
    Optional<ReplicatedData> value = Optional.empty();
    for (String command : commands) {
      value = Optional.of(apply(field, value, command));
    }
    return field.read(value);
  }

  private ReplicatedData apply(FieldSpec spec, Optional<ReplicatedData> current, String command) {
    List<String> words = List.of(command.split(" "));
    return spec.apply(current, self, words.get(0), words.subList(1, words.size()));
  }

  private Object read(String spec, Optional<ReplicatedData> value) {
    return FieldSpec.parse(spec).read(value);
  }
}
