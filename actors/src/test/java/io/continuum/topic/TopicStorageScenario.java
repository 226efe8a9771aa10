package io.continuum.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.continuum.persistence.PersistenceBackend;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.sharding.ZoneSharding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * One topic scenario run against a real storage backend: publish past the history bound, read old
 * entries back from the journal, stop the node, start a new one on the same storage and check that
 * nothing acknowledged was lost, eviction held and idempotency survived.
 */
final class TopicStorageScenario {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Config storage;

  /**
   * @param storage the backend settings, e.g. {@code continuum.persistence.backend = cassandra}
   */
  TopicStorageScenario(Config storage) {
    this.storage = storage;
  }

  void run() {
    String topic = "readings";
    ActorSystem<Void> first = startNode();
    try {
      Topics topics = topics(first);
      Topics.Created created = await(topics.create(new TopicRequest(topic, null, 50L, 1024, null)));
      assertThat(created.created()).isTrue();

      for (long i = 1; i <= 120; i++) {
        long index = await(topics.publish(topic, payload(i), "sensor-1", i)).index();
        assertThat(index).isEqualTo(i);
      }
      assertThat(await(topics.publish(topic, payload(120), "sensor-1", 120)).duplicate()).isTrue();

      // Older than the in-memory cache (10 entries): served from the journal.
      assertThat(indexes(await(topics.reads().read(topic, 71, 30)).entries()))
          .containsExactlyElementsOf(range(71, 100));
      assertThat(new String(await(topics.reads().get(topic, 75)).payload(), StandardCharsets.UTF_8))
          .isEqualTo("reading-75");
      assertRejected(
          topics.reads().get(topic, 70), Reason.OUT_OF_RANGE, "oldest retained entry is 71");
    } finally {
      stop(first);
    }

    ActorSystem<Void> second = startNode();
    try {
      Topics topics = topics(second);
      TopicReads.Range latest = await(topics.reads().latest(topic));
      assertThat(latest.latest()).isEqualTo(120);
      assertThat(latest.first()).isEqualTo(71);
      assertThat(indexes(await(topics.reads().read(topic, 71, 1000)).entries()))
          .containsExactlyElementsOf(range(71, 120));
      assertThat(await(topics.publish(topic, payload(119), "sensor-1", 119)))
          .isEqualTo(new TopicEntity.Published(119, true));
      assertThat(await(topics.publish(topic, payload(1), "sensor-1", 1)))
          .as("within the duplicate window, though older than the history and the snapshot")
          .isEqualTo(new TopicEntity.Published(1, true));
      assertThat(await(topics.publish(topic, payload(121), "sensor-1", 121)).index())
          .isEqualTo(121);
      List<Entry> tail =
          await(topics.reads().subscribe(topic, 118).take(4).runWith(Sink.seq(), second));
      assertThat(indexes(tail)).containsExactly(118L, 119L, 120L, 121L);
    } finally {
      stop(second);
    }
  }

  private ActorSystem<Void> startNode() {
    Config config =
        PersistenceBackend.configure(
            ConfigFactory.parseString(
                    """
                    pekko.actor.provider = cluster
                    pekko.remote.artery.canonical.hostname = 127.0.0.1
                    pekko.remote.artery.canonical.port = 0
                    pekko.loglevel = WARNING
                    pekko.coordinated-shutdown.exit-jvm = off
                    continuum.topics.cached-entries = 10
                    continuum.topics.snapshot-every = 10
                    """)
                .withFallback(storage));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "storage-scenario", config);
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    await(PersistenceBackend.of(config).prepare(system));
    return system;
  }

  private static Topics topics(ActorSystem<Void> system) {
    return Topics.start(
        system,
        ZoneSharding.create(system),
        PersistenceBackend.of(system.settings().config()),
        topic -> Optional.empty());
  }

  private static void stop(ActorSystem<Void> system) {
    system.terminate();
    await(system.getWhenTerminated());
  }

  private static byte[] payload(long i) {
    return ("reading-" + i).getBytes(StandardCharsets.UTF_8);
  }

  private static List<Long> indexes(List<Entry> entries) {
    return entries.stream().map(Entry::index).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static void assertRejected(CompletionStage<?> stage, Reason reason, String message) {
    assertThatThrownBy(() -> stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            RejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  /** Waits for a stage; a failure fails the test with its cause. */
  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      throw new AssertionError("call failed: " + (cause != null ? cause : e), e);
    }
  }
}
