package io.continuum.crdt.field;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.continuum.crdt.CausalMap;
import io.continuum.crdt.MVRegister;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.cluster.ddata.GCounter;
import org.junit.jupiter.api.Test;

class FieldSpecTest {

  @Test
  void everyTypeParsesFromItsWireNameIgnoringCase() {
    for (FieldType type : FieldType.values()) {
      assertThat(FieldType.parse(type.wireName())).isEqualTo(type);
      assertThat(FieldType.parse(type.wireName().toUpperCase())).isEqualTo(type);
    }
  }

  @Test
  void unknownTypeNamesEveryAcceptedOne() {
    assertThatThrownBy(() -> FieldType.parse("counter"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown field type 'counter'; use one of: gcounter, pncounter, gset, orset,"
                + " lwwregister, mvregister, flag, ewflag, ormap, pncountermap");
  }

  @Test
  void specsRoundTripThroughTheirWireNames() {
    List<String> names =
        List.of(
            "gcounter",
            "pncounter",
            "gset",
            "orset",
            "lwwregister",
            "mvregister",
            "flag",
            "ewflag",
            "pncountermap",
            "ormap<lwwregister>",
            "ormap<pncounter>",
            "ormap<orset>");
    for (String name : names) {
      assertThat(FieldSpec.parse(name).wireName()).isEqualTo(name);
    }
  }

  @Test
  void mapSpecsAllowSpacesAndAnyCase() {
    assertThat(FieldSpec.parse(" ORMap< MVRegister > "))
        .isEqualTo(FieldSpec.mapOf(FieldType.MVREGISTER));
  }

  @Test
  void anOrmapNeedsAValueType() {
    assertThatThrownBy(() -> FieldSpec.parse("ormap"))
        .hasMessage(
            "an ormap needs a value type, e.g. ormap<lwwregister>; use one of: gcounter,"
                + " pncounter, gset, orset, lwwregister, mvregister, flag, ewflag");
  }

  @Test
  void anOrmapCannotHoldMaps() {
    assertThatThrownBy(() -> FieldSpec.parse("ormap<pncountermap>"))
        .hasMessageStartingWith("an ormap cannot hold pncountermap; use one of: gcounter");
  }

  @Test
  void onlyAnOrmapHasAValueType() {
    assertThatThrownBy(() -> FieldSpec.parse("orset<gcounter>"))
        .hasMessage("only an ormap has a value type, got 'orset<gcounter>'; use orset");
    assertThatThrownBy(() -> FieldSpec.parse("ormap<gcounter"))
        .hasMessage("malformed field type 'ormap<gcounter'; a map is written ormap<value type>");
  }

  @Test
  void putIsOnlyForMapsOfRegisters() {
    assertThat(FieldSpec.parse("ormap<lwwregister>").operations())
        .extracting(FieldOperation::wireName)
        .containsExactly("put", "update", "remove-key");
    assertThat(FieldSpec.parse("ormap<gcounter>").operations())
        .extracting(FieldOperation::wireName)
        .containsExactly("update", "remove-key");
  }

  @Test
  void everyTypeNamesTheDataClassThatHoldsIt() {
    assertThat(FieldType.GCOUNTER.dataClass()).isEqualTo(GCounter.class);
    assertThat(FieldType.MVREGISTER.dataClass()).isEqualTo(MVRegister.class);
    assertThat(FieldType.ORMAP.dataClass()).isEqualTo(CausalMap.class);
    assertThat(FieldType.PNCOUNTERMAP.dataClass()).isEqualTo(CausalMap.class);
  }

  @Test
  void refusesAValueOfAnotherType() {
    FieldSpec spec = FieldSpec.parse("orset");

    assertThatThrownBy(() -> spec.read(Optional.of(GCounter.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("field of type orset holds a GCounter, not a ORSet");
  }

  @Test
  void unknownQueryNamesTheOnesTheTypeAnswers() {
    assertThatThrownBy(
            () -> FieldSpec.parse("gcounter").query(Optional.empty(), "get", List.of("k")))
        .hasMessage("field type gcounter does not answer 'get'; it answers: value");
    assertThatThrownBy(() -> FieldSpec.parse("orset").query(Optional.empty(), "size", List.of()))
        .hasMessage("field type orset does not answer 'size'; it answers: value, contains");
  }
}
