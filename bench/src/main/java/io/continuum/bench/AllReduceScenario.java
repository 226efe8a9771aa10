package io.continuum.bench;

import io.continuum.gateway.v1.GetObjectRequest;
import io.continuum.gateway.v1.ObjectServiceClient;
import io.continuum.gateway.v1.UpdateObjectRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * AllReduce as in MISO: the sum of {@code values} integers, cut in {@code chunks}; each chunk's sum
 * is added to one PNCounter field through the gateway's ObjectService, all chunks concurrently,
 * then the total is read once and checked. Peer: Redis {@code INCRBY} on one key with the same
 * concurrency, then {@code GET}.
 */
@Command(
    name = "allreduce",
    description = "AllReduce: concurrent PNCounter additions then one read, vs Redis INCRBY.",
    mixinStandardHelpOptions = true)
final class AllReduceScenario extends ScenarioCommand {

  @Option(names = "--values", defaultValue = "1000000")
  int values;

  @Option(names = "--chunks", defaultValue = "1000")
  int chunks;

  @Option(
      names = "--concurrency",
      defaultValue = "1000",
      description = "Additions in flight at once (default: every chunk).")
  int concurrency;

  @Option(names = "--gateway", defaultValue = "127.0.0.1:19092")
  String gateway;

  @Option(names = "--redis", defaultValue = "127.0.0.1:6379")
  String redis;

  @Option(names = "--rounds", defaultValue = "1", description = "Rounds; the best is reported.")
  int rounds;

  /**
   * One round of a system: write time, read time, failed additions, whether the total was right.
   */
  record Round(double writeMillis, double readMillis, long errors, boolean correct) {
    double totalMillis() {
      return writeMillis + readMillis;
    }
  }

  /** A system that adds to one counter and reads it back. */
  interface Reducer {
    Operation add(String key, long[] sums);

    long read(String key) throws Exception;
  }

  @Override
  public Integer call() throws Exception {
    long[] sums = chunkSums(values, chunks, 42);
    long expected = java.util.Arrays.stream(sums).sum();
    System.out.printf(
        "allreduce: %d values in %d chunks, expected total %d, %d in flight%n",
        values, chunks, expected, concurrency);
    ExecutorService redisThreads = Executors.newFixedThreadPool(concurrency);
    JedisPoolConfig poolConfig = new JedisPoolConfig();
    poolConfig.setMaxTotal(concurrency);
    poolConfig.setMaxIdle(concurrency);
    int colon = redis.lastIndexOf(':');
    try (BenchClients clients = new BenchClients();
        JedisPool pool =
            new JedisPool(
                poolConfig,
                redis.substring(0, colon),
                Integer.parseInt(redis.substring(colon + 1)))) {
      ObjectServiceClient objects =
          ObjectServiceClient.create(clients.settings(gateway), clients.system);
      Reducer continuum =
          new Reducer() {
            @Override
            public Operation add(String key, long[] sums) {
              return (slot, seq) -> {
                long sum = sums[(int) seq - 1];
                if (sum == 0) {
                  return CompletableFuture.completedFuture(null);
                }
                // A PNCounter takes positive amounts: a negative sum is a decrement.
                return objects.update(
                    UpdateObjectRequest.newBuilder()
                        .setObject(key)
                        .setField("total")
                        .setType("pncounter")
                        .setOp(sum > 0 ? "increment" : "decrement")
                        .addArgs(Long.toString(Math.abs(sum)))
                        .build());
              };
            }

            @Override
            public long read(String key) throws Exception {
              String json =
                  objects
                      .get(GetObjectRequest.newBuilder().setObject(key).setField("total").build())
                      .toCompletableFuture()
                      .get(30, TimeUnit.SECONDS)
                      .getFields(0)
                      .getJson();
              return Long.parseLong(json.trim());
            }
          };
      Reducer redisReducer =
          new Reducer() {
            @Override
            public Operation add(String key, long[] sums) {
              return (slot, seq) ->
                  CompletableFuture.supplyAsync(
                      () -> {
                        try (Jedis jedis = pool.getResource()) {
                          return jedis.incrBy(key, sums[(int) seq - 1]);
                        }
                      },
                      redisThreads);
            }

            @Override
            public long read(String key) {
              try (Jedis jedis = pool.getResource()) {
                return Long.parseLong(jedis.get(key));
              }
            }
          };
      measure(
          "continuum",
          false,
          "PNCounter field of a replicated object in every zone, local consistency (acked by the"
              + " node of the gateway; durable store: one file per object, forced to disk)",
          continuum,
          sums,
          expected);
      measure(
          "redis",
          true,
          "Redis INCRBY on one key from a pool of "
              + concurrency
              + " connections; "
              + redisDurability(pool),
          redisReducer,
          sums,
          expected);
      objects.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      redisThreads.shutdownNow();
    }
    return 0;
  }

  private static String redisDurability(JedisPool pool) {
    try (Jedis jedis = pool.getResource()) {
      Map<String, String> config = new LinkedHashMap<>();
      config.putAll(jedis.configGet("appendonly"));
      config.putAll(jedis.configGet("appendfsync"));
      return "appendonly "
          + config.get("appendonly")
          + ", appendfsync "
          + config.get("appendfsync")
          + ("yes".equals(config.get("appendonly")) && "always".equals(config.get("appendfsync"))
              ? " (each write fsynced to the AOF before the reply)"
              : " (acked before any fsync)");
    }
  }

  private void measure(
      String system, boolean peer, String setting, Reducer reducer, long[] sums, long expected)
      throws Exception {
    Round best = null;
    for (int round = 1; round <= rounds; round++) {
      String key = "allreduce-" + system.replace(' ', '-') + "-" + System.nanoTime();
      Batch.Outcome writes =
          Batch.run(system + " add", sums.length, concurrency, 0, reducer.add(key, sums));
      if (writes.errors() > 0) {
        System.out.printf(
            "  %s: %d additions failed, first: %s%n", system, writes.errors(), writes.firstError());
      }
      long readStart = System.nanoTime();
      long total = reducer.read(key);
      Round r =
          new Round(
              writes.millis(),
              (System.nanoTime() - readStart) / 1e6,
              writes.errors(),
              total == expected);
      System.out.printf(
          "  %s round %d: write %.1f ms, read %.1f ms, %d failed, total %d (%s)%n",
          system,
          round,
          r.writeMillis(),
          r.readMillis(),
          r.errors(),
          total,
          r.correct() ? "correct" : "WRONG, expected " + expected);
      if (best == null
          || r.correct() && !best.correct()
          || r.correct() == best.correct() && r.totalMillis() < best.totalMillis()) {
        best = r;
      }
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("write_ms", best.writeMillis());
    metrics.put("read_ms", best.readMillis());
    metrics.put("total_ms", best.totalMillis());
    metrics.put("failed", (double) best.errors());
    metrics.put("correct", best.correct() ? 1.0 : 0.0);
    record(
        "allreduce",
        String.format("%,d values, %,d chunks, %,d in flight", values, chunks, concurrency),
        system,
        peer,
        setting,
        metrics,
        List.of("write_ms", "read_ms", "total_ms"));
  }

  /** The sums of {@code chunks} chunks of {@code values} pseudo-random ints in [-1000, 1000]. */
  static long[] chunkSums(int values, int chunks, long seed) {
    if (values % chunks != 0) {
      throw new IllegalArgumentException(values + " values do not cut in " + chunks + " chunks");
    }
    Random random = new Random(seed);
    long[] sums = new long[chunks];
    int perChunk = values / chunks;
    for (int c = 0; c < chunks; c++) {
      for (int i = 0; i < perChunk; i++) {
        sums[c] += random.nextInt(2001) - 1000;
      }
    }
    return sums;
  }
}
