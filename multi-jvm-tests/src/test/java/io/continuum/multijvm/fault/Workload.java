package io.continuum.multijvm.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.GetStateRequest;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.multijvm.TestCluster;
import io.continuum.node.local.NodeProcess;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The load of the fault scenarios, driven through the gateways like a user: {@code clients} clients
 * each publish to one topic as an idempotent producer (sequence numbers in order, one in flight)
 * and increment a counter instance of their own by 1 with a request id per increment. A call that
 * fails with a retryable status or times out is retried with the same producer sequence number or
 * request id through the next live gateway until it is acknowledged, so that the final state is
 * exact: the topic holds exactly the acknowledged publishes at their indexes, and each counter
 * equals its acknowledged increments.
 *
 * <p>Besides the invariants it records when each entity last acknowledged, to measure how long an
 * entity did not serve, and how a client that retries {@code UNAVAILABLE} only once would have
 * fared.
 */
final class Workload implements AutoCloseable {

  /** A function type of the example applications: {@code {"add":n}} adds n to the total. */
  static final String COUNTER = "counter";

  /** Acknowledgements after a fault that show an entity serves again. */
  private static final int SERVING = 10;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Status.Code> RETRYABLE =
      Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.ABORTED);

  /** One acknowledged publish. */
  private record Published(String producer, long seq, long index) {}

  private final TestCluster cluster;
  private final String topic;
  private final int clients;
  private final Duration callTimeout;
  private final AtomicBoolean running = new AtomicBoolean();
  private final ExecutorService threads;
  private final List<Future<?>> loops = new ArrayList<>();

  private final AtomicLong attempted = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong failedForOneRetryClient = new AtomicLong();
  private final Map<Status.Code, AtomicLong> failures = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Published> published = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicLong> increments = new ConcurrentHashMap<>();

  /** Acknowledgement times (System.nanoTime) per entity: the topic and each counter. */
  private final Map<String, ConcurrentLinkedQueue<Long>> acks = new ConcurrentHashMap<>();

  private Workload(TestCluster cluster, String topic, int clients, Duration callTimeout) {
    this.cluster = cluster;
    this.topic = topic;
    this.clients = clients;
    this.callTimeout = callTimeout;
    this.threads = Executors.newFixedThreadPool(2 * clients);
  }

  /**
   * Creates the topic in {@code homeZone} and starts the clients.
   *
   * @param callTimeout how long a client waits for one attempt before it retries elsewhere
   */
  static Workload start(
      TestCluster cluster, String topic, String homeZone, int clients, Duration callTimeout) {
    TestCluster.await(
        cluster
            .topics(cluster.nodes().get(0))
            .create(CreateTopicRequest.newBuilder().setName(topic).setHomeZone(homeZone).build()));
    Workload workload = new Workload(cluster, topic, clients, callTimeout);
    workload.running.set(true);
    for (int client = 0; client < clients; client++) {
      int id = client;
      workload.loops.add(workload.threads.submit(() -> workload.publishLoop(id)));
      workload.loops.add(workload.threads.submit(() -> workload.invokeLoop(id)));
    }
    return workload;
  }

  static String counter(int client) {
    return "c-" + client;
  }

  private void publishLoop(int client) {
    String producer = "client-" + client;
    for (long seq = 1; running.get(); seq++) {
      PublishRequest request =
          PublishRequest.newBuilder()
              .setTopic(topic)
              .setPayload(ByteString.copyFromUtf8(producer + "#" + seq))
              .setProducerId(producer)
              .setProducerSeq(seq)
              .build();
      long index =
          untilAcknowledged(
                  client,
                  topic,
                  producer + "#" + seq,
                  gateway -> cluster.topics(gateway).publish(request))
              .getIndex();
      published.add(new Published(producer, seq, index));
    }
  }

  private void invokeLoop(int client) {
    String counter = counter(client);
    AtomicLong done = increments.computeIfAbsent(counter, c -> new AtomicLong());
    for (long n = 1; running.get(); n++) {
      InvokeRequest request =
          InvokeRequest.newBuilder()
              .setType(COUNTER)
              .setId(counter)
              .setPayload(ByteString.copyFromUtf8("{\"add\":1}"))
              .setRequestId(counter + "#" + n)
              .build();
      untilAcknowledged(
          client,
          counter,
          request.getRequestId(),
          gateway -> cluster.functions(gateway).invoke(request));
      done.incrementAndGet();
    }
  }

  /**
   * Calls through the client's gateway, then through the next live ones, until one acknowledges.
   * Any status other than a retryable one fails the loop (and so the test).
   */
  private <T> T untilAcknowledged(
      int client, String entity, String operation, Function<NodeProcess, CompletionStage<T>> call) {
    attempted.incrementAndGet();
    Status.Code first = null;
    for (int attempt = 0; ; attempt++) {
      NodeProcess gateway = gateway(client + attempt);
      try {
        T result =
            TestCluster.within(call.apply(gateway), callTimeout)
                .get(callTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        acknowledged.incrementAndGet();
        acks.computeIfAbsent(entity, e -> new ConcurrentLinkedQueue<>()).add(System.nanoTime());
        return result;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        Status.Code code =
            cause instanceof TimeoutException
                ? Status.Code.DEADLINE_EXCEEDED
                : Status.fromThrowable(cause).getCode();
        failures.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
        if (!RETRYABLE.contains(code)) {
          throw new IllegalStateException(
              entity + " refused via " + gateway.spec().name() + ": " + cause, cause);
        }
        if (attempt == 0) {
          first = code;
        }
        if (attempt == 0
            ? code != Status.Code.UNAVAILABLE
            : attempt == 1 && first == Status.Code.UNAVAILABLE) {
          failedForOneRetryClient.incrementAndGet();
        }
        retries.incrementAndGet();
        cluster.note(
            operation + " attempt " + attempt + " via " + gateway.spec().name() + ": " + cause);
        TestCluster.pause(100);
      }
    }
  }

  /**
   * The n-th live node in service in turn; frozen nodes count as live, as a client cannot tell, and
   * nodes a planned restart took out of service are skipped, as a load balancer would.
   */
  private NodeProcess gateway(int n) {
    List<NodeProcess> live =
        cluster.nodes().stream().filter(NodeProcess::isAlive).filter(cluster::inService).toList();
    if (live.isEmpty()) {
      TestCluster.pause(200);
      return cluster.nodes().get(n % cluster.nodes().size());
    }
    return live.get(n % live.size());
  }

  long acknowledged() {
    return acknowledged.get();
  }

  /** Calls that a client retrying UNAVAILABLE once (and nothing else) would have seen fail. */
  long failedForOneRetryClient() {
    return failedForOneRetryClient.get();
  }

  /** Failed attempts by status. */
  Map<Status.Code, Long> failures() {
    return failures.entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().get(), (a, b) -> a, TreeMap::new));
  }

  /** Waits until {@code count} more calls were acknowledged than now. */
  void awaitProgress(String what, long count, Duration timeout) {
    long target = acknowledged.get() + count;
    cluster.await(
        what + " (" + count + " more acknowledgements)",
        timeout,
        () -> {
          failIfALoopFailed();
          return acknowledged.get() >= target;
        });
  }

  /**
   * Waits until the entity acknowledged {@value #SERVING} calls after {@code since}
   * (System.nanoTime), and returns the longest time in seconds it acknowledged nothing from its
   * last acknowledgement before {@code since} on. Replies in flight when a node fails may still
   * arrive just after it; the longest silence is what a client of that entity waited.
   */
  double awaitServedAgain(String entity, long since, Duration timeout) {
    cluster.await(
        entity + " to serve again",
        timeout,
        () -> {
          failIfALoopFailed();
          return acksOf(entity).filter(t -> t > since).count() >= SERVING;
        });
    long from = acksOf(entity).filter(t -> t <= since).max(Long::compare).orElse(since);
    return longestPause(entity, from);
  }

  /** The slowest counter's {@link #awaitServedAgain} after {@code since}. */
  double awaitCountersServedAgain(long since, Duration timeout) {
    double slowest = 0;
    for (int client = 0; client < clients; client++) {
      slowest = Math.max(slowest, awaitServedAgain(counter(client), since, timeout));
    }
    return slowest;
  }

  /** The longest time in seconds between two acknowledgements of an entity from {@code since}. */
  double longestPause(String entity, long since) {
    List<Long> times = acksOf(entity).filter(t -> t >= since).sorted().toList();
    long longest = 0;
    for (int i = 1; i < times.size(); i++) {
      longest = Math.max(longest, times.get(i) - times.get(i - 1));
    }
    return longest / 1e9;
  }

  private Stream<Long> acksOf(String entity) {
    return acks.getOrDefault(entity, new ConcurrentLinkedQueue<>()).stream();
  }

  private void failIfALoopFailed() {
    for (Future<?> loop : loops) {
      if (loop.isDone()) {
        try {
          loop.get();
        } catch (ExecutionException e) {
          throw new AssertionError("a client failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Lets every client finish its call in progress (until acknowledged), then stops them. */
  void stop() {
    running.set(false);
    for (Future<?> loop : loops) {
      try {
        loop.get(3, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        throw new AssertionError("a client failed: " + e.getCause(), e.getCause());
      } catch (Exception e) {
        throw new AssertionError("a client did not finish its last call: " + e, e);
      }
    }
  }

  @Override
  public void close() {
    running.set(false);
    threads.shutdownNow();
  }

  /** What the invariants found; {@link #verify(NodeProcess)} asserts lost and duplicated are 0. */
  record Outcome(
      long attempted,
      long acknowledged,
      long lost,
      long duplicated,
      long gaps,
      long retries,
      Map<Status.Code, Long> failures) {

    @Override
    public String toString() {
      return String.format(
          "operations attempted %d, acknowledged %d, lost %d, duplicated %d, index gaps %d,"
              + " retried attempts %d %s",
          attempted, acknowledged, lost, duplicated, gaps, retries, failures);
    }
  }

  /**
   * Checks, through {@code reader}'s gateway after {@link #stop()}: the topic's indexes run from 1
   * to its latest without a gap, every acknowledged publish is at its index, no producer sequence
   * number appears twice, and every counter equals its acknowledged increments.
   */
  Outcome verify(NodeProcess reader) {
    List<Entry> entries = cluster.readAll(reader, topic);
    Map<Long, Entry> byIndex = new HashMap<>();
    Map<String, Integer> occurrences = new HashMap<>();
    for (Entry entry : entries) {
      byIndex.put(entry.getIndex(), entry);
      occurrences.merge(entry.getProducerId() + "#" + entry.getProducerSeq(), 1, Integer::sum);
    }
    long gaps = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).getIndex() - entries.size();
    long lost = 0;
    for (Published p : published) {
      Entry at = byIndex.get(p.index());
      if (at == null || !at.getPayload().toStringUtf8().equals(p.producer() + "#" + p.seq())) {
        lost++;
      }
    }
    List<String> anomalies = new ArrayList<>();
    occurrences.forEach(
        (publish, n) -> {
          if (n > 1) {
            anomalies.add(publish + " appended " + n + " times");
          }
        });
    long duplicated = anomalies.size();
    long unacknowledged = entries.size() - published.size();

    for (Map.Entry<String, AtomicLong> counter : increments.entrySet()) {
      long total = total(reader, counter.getKey());
      long expected = counter.getValue().get();
      if (total != expected) {
        anomalies.add(counter.getKey() + " = " + total + " after " + expected + " increments");
      }
      if (total < expected) {
        lost += expected - total;
      } else {
        duplicated += total - expected;
      }
    }
    Outcome outcome =
        new Outcome(
            attempted.get(), acknowledged.get(), lost, duplicated, gaps, retries.get(), failures());
    cluster.note(
        "workload: "
            + outcome
            + ", entries never acknowledged "
            + unacknowledged
            + " "
            + anomalies);
    assertThat(entries.get(0).getIndex()).as("first index of %s", topic).isEqualTo(1);
    assertThat(gaps).as("index gaps in %s", topic).isZero();
    assertThat(lost).as("acknowledged operations lost: %s %s", outcome, anomalies).isZero();
    assertThat(duplicated).as("operations applied twice: %s %s", outcome, anomalies).isZero();
    assertThat(unacknowledged).as("entries no client saw acknowledged").isZero();
    return outcome;
  }

  private long total(NodeProcess reader, String counter) {
    try {
      return JSON.readTree(
              TestCluster.await(
                      cluster
                          .functions(reader)
                          .getState(
                              GetStateRequest.newBuilder().setType(COUNTER).setId(counter).build()))
                  .getState()
                  .toStringUtf8())
          .get("total")
          .asLong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
