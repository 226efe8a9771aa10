package io.continuum.bench;

import io.continuum.gateway.v1.GetObjectRequest;
import io.continuum.gateway.v1.ObjectServiceGrpc;
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
 * concurrency, then {@code GET}. Each system runs unmeasured rounds for the warm-up, then measured
 * rounds (the runs), each with its CPU per operation.
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

  @Option(
      names = "--systems",
      split = ",",
      defaultValue = "continuum,redis",
      description = "Systems to run (default: ${DEFAULT-VALUE}).")
  List<String> systems;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      description =
          "Unmeasured rounds first, until this many seconds have passed (at least one; 0: none;"
              + " default: 20).")
  int warmUpSeconds;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "Measured rounds, each a run of the table (default: ${DEFAULT-VALUE}).")
  int runs;

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
    for (String system : systems) {
      switch (system) {
        case "continuum" -> measureContinuum(sums, expected);
        case "redis" -> measureRedis(sums, expected);
        default -> throw new IllegalArgumentException("unknown system " + system);
      }
    }
    return 0;
  }

  private void measureContinuum(long[] sums, long expected) throws Exception {
    try (GrpcChannels channels = new GrpcChannels()) {
      ObjectServiceGrpc.ObjectServiceStub objects = ObjectServiceGrpc.newStub(channels.to(gateway));
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
                return GrpcChannels.unary(
                    objects::update,
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
                  GrpcChannels.unary(
                          objects::get,
                          GetObjectRequest.newBuilder().setObject(key).setField("total").build())
                      .get(30, TimeUnit.SECONDS)
                      .getFields(0)
                      .getJson();
              return Long.parseLong(json.trim());
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
    }
  }

  private void measureRedis(long[] sums, long expected) throws Exception {
    ExecutorService redisThreads = Executors.newFixedThreadPool(concurrency);
    JedisPoolConfig poolConfig = new JedisPoolConfig();
    poolConfig.setMaxTotal(concurrency);
    poolConfig.setMaxIdle(concurrency);
    int colon = redis.lastIndexOf(':');
    try (JedisPool pool =
        new JedisPool(
            poolConfig, redis.substring(0, colon), Integer.parseInt(redis.substring(colon + 1)))) {
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
          "redis",
          true,
          "Redis INCRBY on one key from a pool of "
              + concurrency
              + " connections; "
              + redisDurability(pool),
          redisReducer,
          sums,
          expected);
    } finally {
      redisThreads.shutdownNow();
    }
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

  /**
   * Unmeasured rounds until the warm-up time has passed, then the measured rounds, each recorded as
   * a run with the CPU per addition of the system's processes over the round.
   */
  private void measure(
      String system, boolean peer, String setting, Reducer reducer, long[] sums, long expected)
      throws Exception {
    long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmUpSeconds);
    for (int round = 1;
        warmUpSeconds > 0 && (round == 1 || System.nanoTime() < warmUpEnd);
        round++) {
      round(system, "warm-up " + round, reducer, sums, expected);
    }
    String caseName =
        String.format("%,d values, %,d chunks, %,d in flight", values, chunks, concurrency);
    for (int run = 1; run <= runs; run++) {
      Map<String, Long> before = cpuMeter().read();
      Round r = round(system, "run " + run, reducer, sums, expected);
      Map<String, Double> cpu = cpuMeter().seconds(before, cpuMeter().read());
      // the additions and the one read
      long operations = sums.length + 1;
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("write_ms", r.writeMillis());
      metrics.put("read_ms", r.readMillis());
      metrics.put("total_ms", r.totalMillis());
      metrics.put("failed", (double) r.errors());
      metrics.put("correct", r.correct() ? 1.0 : 0.0);
      putCpu(metrics, "cpu_us_per_op", cpu, operations, CpuMeter.SYSTEM);
      putCpu(
          metrics,
          "cpu_with_cassandra_us_per_op",
          cpu,
          operations,
          CpuMeter.SYSTEM,
          CpuMeter.CASSANDRA);
      putCpu(metrics, "client_cpu_us_per_op", cpu, operations, CpuMeter.CLIENT);
      record(
          "allreduce",
          caseName,
          system,
          peer,
          setting,
          metrics,
          List.of("write_ms", "read_ms", "total_ms", "cpu_us_per_op"),
          run);
    }
  }

  private static void putCpu(
      Map<String, Double> metrics,
      String name,
      Map<String, Double> cpu,
      long operations,
      String... groups) {
    Double micros = CpuMeter.microsPerOperation(cpu, operations, groups);
    if (micros != null) {
      metrics.put(name, micros);
    }
  }

  private Round round(String system, String name, Reducer reducer, long[] sums, long expected)
      throws Exception {
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
        "  %s %s: write %.1f ms, read %.1f ms, %d failed, total %d (%s)%n",
        system,
        name,
        r.writeMillis(),
        r.readMillis(),
        r.errors(),
        total,
        r.correct() ? "correct" : "WRONG, expected " + expected);
    return r;
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
