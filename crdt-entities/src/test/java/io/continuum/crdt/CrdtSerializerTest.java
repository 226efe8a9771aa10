package io.continuum.crdt;

import static io.continuum.crdt.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.NotSerializableException;
import java.util.Arrays;
import java.util.Optional;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.ddata.GCounter;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CrdtSerializerTest {

  private static ActorSystem system;
  private static CrdtSerializer serializer;

  @BeforeAll
  static void start() {
    system = TestActorSystem.start();
    serializer =
        (CrdtSerializer) SerializationExtension.get(system).findSerializerFor(MVRegister.empty());
  }

  @AfterAll
  static void stop() throws Exception {
    TestActorSystem.stop(system);
  }

  @Test
  void referenceConfBindsTheCustomTypesAndKeys() {
    Object[] owned = {
      MVRegister.empty(),
      EWFlag.empty(),
      CausalMap.empty(),
      new MVRegisterKey<String>("k"),
      new EWFlagKey("k"),
      new CausalMapKey<GCounter>("k")
    };

    for (Object o : owned) {
      assertThat(SerializationExtension.get(system).findSerializerFor(o))
          .as("serializer of %s", o.getClass().getSimpleName())
          .isInstanceOf(CrdtSerializer.class);
    }
  }

  @Test
  void configuredIdentifierMatchesTheOneInCode() {
    String path =
        "pekko.actor.serialization-identifiers.\"" + CrdtSerializer.class.getName() + "\"";

    assertThat(system.settings().config().getInt(path)).isEqualTo(CrdtSerializer.IDENTIFIER);
    assertThat(serializer.identifier()).isEqualTo(CrdtSerializer.IDENTIFIER);
  }

  @Test
  void roundTripsARegisterWithConcurrentValues() {
    MVRegister<Object> register =
        MVRegister.empty()
            .assign(node(1), 7L)
            .mergeData(MVRegister.empty().assign(node(2), "seven"));

    assertThat(roundTrip(register)).isEqualTo(register);
  }

  @Test
  void roundTripsAFlagThatWasDisabledAfterBeingEnabled() {
    EWFlag flag = EWFlag.empty().enable(node(1)).enable(node(2)).disable();

    Object back = roundTrip(flag);

    assertThat(back).isEqualTo(flag);
    assertThat(((EWFlag) back).enabled()).isFalse();
  }

  @Test
  void roundTripsAMapWhoseValuesArePekkoTypes() {
    CausalMap<LWWRegister<String>> map =
        CausalMap.<LWWRegister<String>>empty()
            .update(node(1), "color", old -> LWWRegister.create(node(1), "red"))
            .mergeData(
                CausalMap.<LWWRegister<String>>empty()
                    .update(node(2), "size", old -> LWWRegister.create(node(2), "xl")));

    assertThat(roundTrip(map)).isEqualTo(map);
  }

  @Test
  void roundTripsAMapWhoseValuesAreCustomTypes() {
    CausalMap<EWFlag> map =
        CausalMap.<EWFlag>empty()
            .update(node(1), "open", old -> old.orElse(EWFlag.empty()).enable(node(1)));

    assertThat(roundTrip(map)).isEqualTo(map);
    assertThat(((CausalMap<?>) roundTrip(map)).get("open")).isEqualTo(map.get("open"));
  }

  @Test
  void roundTripsStringsLongerThanDataOutputsUtfLimit() {
    String big = "x".repeat(70_000);
    MVRegister<String> register = MVRegister.<String>empty().assign(node(1), big);

    assertThat(roundTrip(register)).isEqualTo(register);
  }

  @Test
  void roundTripsKeys() {
    MVRegisterKey<String> registerKey = new MVRegisterKey<>("obj|color");
    EWFlagKey flagKey = new EWFlagKey("obj|open");
    CausalMapKey<GCounter> mapKey = new CausalMapKey<>("obj|visits");

    assertThat(roundTrip(registerKey)).isInstanceOf(MVRegisterKey.class).isEqualTo(registerKey);
    assertThat(roundTrip(flagKey)).isInstanceOf(EWFlagKey.class).isEqualTo(flagKey);
    assertThat(roundTrip(mapKey)).isInstanceOf(CausalMapKey.class).isEqualTo(mapKey);
  }

  @Test
  void sameStateGivesSameBytesWhateverItsHistory() {
    MVRegister<String> onA = MVRegister.<String>empty().assign(node(1), "red");
    MVRegister<String> onB = MVRegister.<String>empty().assign(node(2), "blue");

    assertThat(serializer.toBinary(onA.mergeData(onB)))
        .isEqualTo(serializer.toBinary(onB.mergeData(onA)));
  }

  @Test
  void refusesAnUnknownManifest() {
    assertThatThrownBy(() -> serializer.fromBinary(new byte[0], "XYZ"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("unknown manifest [XYZ]");
  }

  @Test
  void refusesObjectsItDoesNotOwn() {
    assertThatThrownBy(() -> serializer.toBinary("a string"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot serialize java.lang.String");
  }

  @Test
  void reportsATruncatedPayloadAsCorrupt() {
    MVRegister<String> register = MVRegister.<String>empty().assign(node(1), "red");
    byte[] bytes = serializer.toBinary(register);

    assertThatThrownBy(() -> serializer.fromBinary(Arrays.copyOf(bytes, bytes.length - 2), "MVR"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("corrupt MVR payload");
  }

  @Test
  void aMapOfNothingIsTheEmptyMap() {
    assertThat(roundTrip(CausalMap.empty())).isEqualTo(CausalMap.empty());
    assertThat(((CausalMap<?>) roundTrip(CausalMap.empty())).get("x")).isEqualTo(Optional.empty());
  }

  private static Object roundTrip(Object o) {
    return TestActorSystem.roundTrip(system, o);
  }
}
