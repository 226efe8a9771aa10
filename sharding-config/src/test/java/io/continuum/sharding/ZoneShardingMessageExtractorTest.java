package io.continuum.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.junit.jupiter.api.Test;

class ZoneShardingMessageExtractorTest {

  private final ZoneShardingMessageExtractor<String> extractor =
      new ZoneShardingMessageExtractor<>(32);

  @Test
  void unwrapsTheEnvelope() {
    ShardingEnvelope<String> envelope = new ShardingEnvelope<>("edge-a|sensors", "hello");

    assertThat(extractor.entityId(envelope)).isEqualTo("edge-a|sensors");
    assertThat(extractor.unwrapMessage(envelope)).isEqualTo("hello");
  }

  @Test
  void shardIdIsTheZonePrefixedShardOfTheEntity() {
    assertThat(extractor.shardId("edge-a|sensors"))
        .isEqualTo(new ZoneEntityId("edge-a", "sensors").shardId(32))
        .isEqualTo("edge-a|25");
  }

  @Test
  void refusesAnEntityIdWithoutZone() {
    assertThatThrownBy(() -> extractor.shardId("sensors"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("<zone>|<key>");
  }

  @Test
  void refusesANonPositiveShardCount() {
    assertThatThrownBy(() -> new ZoneShardingMessageExtractor<String>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shards-per-zone must be positive, was 0");
  }
}
