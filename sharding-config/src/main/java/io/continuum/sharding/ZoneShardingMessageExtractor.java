package io.continuum.sharding;

import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;

/** Routes {@link ShardingEnvelope}s addressed by {@link ZoneEntityId} to zone-prefixed shards. */
public final class ZoneShardingMessageExtractor<M>
    extends ShardingMessageExtractor<ShardingEnvelope<M>, M> {

  private final int shardsPerZone;

  public ZoneShardingMessageExtractor(int shardsPerZone) {
    if (shardsPerZone <= 0) {
      throw new IllegalArgumentException("shards-per-zone must be positive, was " + shardsPerZone);
    }
    this.shardsPerZone = shardsPerZone;
  }

  @Override
  public String entityId(ShardingEnvelope<M> envelope) {
    return envelope.entityId();
  }

  @Override
  public String shardId(String entityId) {
    return ZoneEntityId.parse(entityId).shardId(shardsPerZone);
  }

  @Override
  public M unwrapMessage(ShardingEnvelope<M> envelope) {
    return envelope.message();
  }
}
