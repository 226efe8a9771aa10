package io.continuum.node;

import io.continuum.function.FunctionInstance;
import io.continuum.function.TopicSubscription;
import io.continuum.topic.TopicEntity;
import io.continuum.zone.ZoneRoles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * How many entities of each kind run on each node and in each zone, and how many run away from
 * their home zone (in a fallback zone): from Cluster Sharding's statistics, whose shard ids carry
 * the home zone ({@code <zone>|<n>}).
 */
final class EntityCounts {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private EntityCounts() {}

  static CompletionStage<Map<String, Object>> of(ActorSystem<?> system) {
    Map<String, EntityTypeKey<?>> kinds = new LinkedHashMap<>();
    kinds.put("topics", TopicEntity.TYPE_KEY);
    kinds.put("instances", FunctionInstance.TYPE_KEY);
    kinds.put("subscriptions", TopicSubscription.TYPE_KEY);
    Map<Address, String> zoneOfNode = new TreeMap<>(Address.addressOrdering());
    for (Member member : Cluster.get(system.classicSystem()).state().getMembers()) {
      zoneOfNode.put(member.address(), ZoneRoles.zoneOf(member).orElse("?"));
    }
    List<CompletableFuture<Map.Entry<String, Object>>> counted = new ArrayList<>();
    kinds.forEach(
        (kind, key) ->
            counted.add(
                AskPattern.<ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
                        ClusterSharding.get(system).shardState(),
                        replyTo -> new GetClusterShardingStats(key, TIMEOUT, replyTo),
                        TIMEOUT.plusSeconds(1),
                        system.scheduler())
                    .thenApply(stats -> Map.entry(kind, (Object) count(stats, zoneOfNode)))
                    .toCompletableFuture()));
    return CompletableFuture.allOf(counted.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<String, Object> out = new LinkedHashMap<>();
              counted.forEach(c -> out.put(c.join().getKey(), c.join().getValue()));
              return out;
            });
  }

  private static Map<String, Object> count(
      ShardRegion.ClusterShardingStats stats, Map<Address, String> zoneOfNode) {
    Map<String, Integer> byNode = new TreeMap<>();
    Map<String, Integer> byZone = new TreeMap<>();
    int atHome = 0;
    int away = 0;
    for (Map.Entry<Address, ShardRegion.ShardRegionStats> region : stats.getRegions().entrySet()) {
      String nodeZone = zoneOfNode.getOrDefault(region.getKey(), "?");
      for (Map.Entry<String, Object> shard : region.getValue().getStats().entrySet()) {
        int entities = ((Number) shard.getValue()).intValue();
        byNode.merge(region.getKey().toString(), entities, Integer::sum);
        byZone.merge(nodeZone, entities, Integer::sum);
        String home = shard.getKey().substring(0, Math.max(0, shard.getKey().indexOf('|')));
        if (home.equals(nodeZone)) {
          atHome += entities;
        } else {
          away += entities;
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("byNode", byNode);
    out.put("byZone", byZone);
    out.put("inHomeZone", atHome);
    out.put("inFallbackZone", away);
    return out;
  }
}
