package io.continuum.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ZoneEntityIdTest {

  @Test
  void parsesZoneAndKeyAndFormatsThemBack() {
    ZoneEntityId id = ZoneEntityId.parse("edge-a|sensors");

    assertThat(id).isEqualTo(new ZoneEntityId("edge-a", "sensors"));
    assertThat(id.toString()).isEqualTo("edge-a|sensors");
  }

  @Test
  void keyMayContainTheSeparator() {
    ZoneEntityId id = ZoneEntityId.parse("edge-a|fn|smooth|farm-1");

    assertThat(id.zone()).isEqualTo("edge-a");
    assertThat(id.key()).isEqualTo("fn|smooth|farm-1");
    assertThat(ZoneEntityId.parse(id.toString())).isEqualTo(id);
  }

  @Test
  void shardIdIsPrefixedWithTheZone() {
    assertThat(new ZoneEntityId("edge-a", "sensors").shardId(32)).startsWith("edge-a|");
    assertThat(ZoneEntityId.zoneOfShard(new ZoneEntityId("edge-a", "sensors").shardId(32)))
        .isEqualTo("edge-a");
  }

  @Test
  void shardIdIsStableAcrossRunsAndInstances() {
    // String.hashCode is specified by the JLS, so these values hold on every JVM; a change here
    // would re-shard every deployment's data.
    assertThat(new ZoneEntityId("edge-a", "sensors").shardId(32)).isEqualTo("edge-a|25");
    assertThat(new ZoneEntityId("cloud", "sensors").shardId(32)).isEqualTo("cloud|25");
    assertThat(new ZoneEntityId("edge-a", "sensors").shardId(32))
        .isEqualTo(ZoneEntityId.parse("edge-a|sensors").shardId(32));
  }

  @Test
  void shardNumberIsNonNegativeForKeysWithNegativeHashes() {
    // "orders".hashCode() is negative; % would give -27.
    assertThat(new ZoneEntityId("edge-a", "orders").shardId(32)).isEqualTo("edge-a|5");
    // Integer.MIN_VALUE, which Math.abs cannot negate.
    assertThat(new ZoneEntityId("edge-a", "polygenelubricants").shardId(32)).isEqualTo("edge-a|0");
  }

  @Test
  void shardNumbersStayBelowShardsPerZone() {
    for (int i = 0; i < 1000; i++) {
      String shard = new ZoneEntityId("edge-a", "key-" + i).shardId(7);

      assertThat(Integer.parseInt(shard.substring("edge-a|".length()))).isBetween(0, 6);
    }
  }

  @Test
  void zoneOfAShardWithoutSeparatorIsTheWholeId() {
    assertThat(ZoneEntityId.zoneOfShard("edge-a|7")).isEqualTo("edge-a");
    assertThat(ZoneEntityId.zoneOfShard("legacy")).isEqualTo("legacy");
  }

  @Test
  void refusesAnIdWithoutSeparator() {
    assertThatThrownBy(() -> ZoneEntityId.parse("sensors"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entity id 'sensors' is not of the form <zone>|<key>");
  }

  @Test
  void refusesAnIdWithoutZone() {
    assertThatThrownBy(() -> ZoneEntityId.parse("|sensors"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entity id '|sensors' is not of the form <zone>|<key>");
  }

  @Test
  void refusesAnIdWithoutKey() {
    assertThatThrownBy(() -> ZoneEntityId.parse("edge-a|"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entity key must not be empty");
  }

  @Test
  void refusesAnInvalidZoneName() {
    assertThatThrownBy(() -> ZoneEntityId.parse("Edge_A|sensors"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid zone name 'Edge_A'");
  }

  @Test
  void refusesANullKey() {
    assertThatThrownBy(() -> new ZoneEntityId("edge-a", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entity key must not be empty");
  }
}
