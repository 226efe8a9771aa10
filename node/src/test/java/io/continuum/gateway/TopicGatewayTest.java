package io.continuum.gateway;

import static io.continuum.gateway.GatewayNode.CALL_TIMEOUT;
import static io.continuum.gateway.GatewayNode.DEFAULT_DUPLICATE_WINDOW_MS;
import static io.continuum.gateway.GatewayNode.DEFAULT_HISTORY;
import static io.continuum.gateway.GatewayNode.DEFAULT_MAX_ENTRY_BYTES;
import static io.continuum.gateway.GatewayNode.DUPLICATE_WINDOW_LIMIT_MS;
import static io.continuum.gateway.GatewayNode.ENTRY_BYTES_LIMIT;
import static io.continuum.gateway.GatewayNode.MAX_REQUEST_BYTES;
import static io.continuum.gateway.GatewayNode.OTHER_ZONE;
import static io.continuum.gateway.GatewayNode.READ_BATCH_BYTES;
import static io.continuum.gateway.GatewayNode.ZONE;
import static io.continuum.gateway.GatewayNode.assertRejected;
import static io.continuum.gateway.GatewayNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.CreateTopicResponse;
import io.continuum.gateway.v1.DescribeTopicRequest;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.GetEntryRequest;
import io.continuum.gateway.v1.LatestRequest;
import io.continuum.gateway.v1.LatestResponse;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.PublishResponse;
import io.continuum.gateway.v1.ReadRequest;
import io.continuum.gateway.v1.ReadResponse;
import io.continuum.gateway.v1.SubscribeRequest;
import io.continuum.gateway.v1.TopicInfo;
import io.continuum.gateway.v1.TopicServiceClient;
import io.grpc.Status.Code;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code continuum.v1.TopicService} as a client sees it: a real node, a real gRPC client over a
 * real socket. Every test uses topics of its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopicGatewayTest {

  @RegisterExtension static final GatewayNode node = new GatewayNode();

  private static final AtomicInteger topicCount = new AtomicInteger();

  /** A topic name no other test uses. */
  private static String newTopic(String label) {
    return label + "-" + topicCount.incrementAndGet();
  }

  private static TopicServiceClient topics() {
    return node.topics();
  }

  @Nested
  class Create {

    @Test
    void createsATopicWithTheRequestedOptions() {
      String name = newTopic("create-options");

      CreateTopicResponse response =
          await(
              topics()
                  .create(
                      CreateTopicRequest.newBuilder()
                          .setName(name)
                          .setHomeZone(OTHER_ZONE)
                          .setHistoryLength(10)
                          .setMaxEntryBytes(2048)
                          .setDuplicateWindowMs(300_000)
                          .build()));

      assertThat(response.getCreated()).isTrue();
      assertThat(response.getTopic())
          .isEqualTo(
              TopicInfo.newBuilder()
                  .setName(name)
                  .setHomeZone(OTHER_ZONE)
                  .setHistoryLength(10)
                  .setMaxEntryBytes(2048)
                  .setDuplicateWindowMs(300_000)
                  .setFirstIndex(1)
                  .setLatestIndex(0)
                  .build());
    }

    @Test
    void appliesTheNodesZoneAndClusterDefaultsToUnsetOptions() {
      String name = newTopic("create-defaults");

      CreateTopicResponse response = await(topics().create(named(name)));

      assertThat(response.getCreated()).isTrue();
      assertThat(response.getTopic().getHomeZone()).isEqualTo(ZONE);
      assertThat(response.getTopic().getHistoryLength()).isEqualTo(DEFAULT_HISTORY);
      assertThat(response.getTopic().getMaxEntryBytes()).isEqualTo(DEFAULT_MAX_ENTRY_BYTES);
      assertThat(response.getTopic().getDuplicateWindowMs()).isEqualTo(DEFAULT_DUPLICATE_WINDOW_MS);
    }

    @Test
    void creatingAgainWithTheSameOptionsIsANoOp() {
      String name = newTopic("create-same");
      CreateTopicRequest request = withOptions(name, ZONE, 10, 2048);
      CreateTopicResponse first = await(topics().create(request));
      publish(name, "kept");

      CreateTopicResponse again = await(topics().create(request));

      assertThat(again.getCreated()).isFalse();
      assertThat(again.getTopic())
          .isEqualTo(first.getTopic().toBuilder().setLatestIndex(1).build());
      assertThat(read(name, 1, 10)).extracting(TopicGatewayTest::text).containsExactly("kept");
    }

    @Test
    void creatingAnExistingTopicWithoutOptionsKeepsItsOptions() {
      String name = newTopic("create-unset");
      await(topics().create(withOptions(name, OTHER_ZONE, 10, 2048)));

      CreateTopicResponse again = await(topics().create(named(name)));

      assertThat(again.getCreated()).isFalse();
      assertThat(again.getTopic().getHomeZone()).isEqualTo(OTHER_ZONE);
      assertThat(again.getTopic().getHistoryLength()).isEqualTo(10);
      assertThat(again.getTopic().getMaxEntryBytes()).isEqualTo(2048);
    }

    @Test
    void rejectsAnotherZoneForAnExistingTopic() {
      String name = newTopic("create-zone-conflict");
      await(topics().create(withOptions(name, ZONE, 10, 2048)));

      CompletionStage<CreateTopicResponse> call =
          topics().create(named(name).toBuilder().setHomeZone(OTHER_ZONE).build());

      assertRejected(
          call, Code.ALREADY_EXISTS, name, "zone " + ZONE + " (asked " + OTHER_ZONE + ")");
    }

    @Test
    void rejectsAnotherHistoryForAnExistingTopic() {
      String name = newTopic("create-history-conflict");
      await(topics().create(withOptions(name, ZONE, 10, 2048)));

      CompletionStage<CreateTopicResponse> call =
          topics().create(named(name).toBuilder().setHistoryLength(20).build());

      assertRejected(call, Code.ALREADY_EXISTS, name, "history 10 (asked 20)");
    }

    @Test
    void rejectsAnotherMaxEntryBytesForAnExistingTopic() {
      String name = newTopic("create-max-conflict");
      await(topics().create(withOptions(name, ZONE, 10, 2048)));

      CompletionStage<CreateTopicResponse> call =
          topics().create(named(name).toBuilder().setMaxEntryBytes(4096).build());

      assertRejected(call, Code.ALREADY_EXISTS, name, "max entry bytes 2048 (asked 4096)");
    }

    @Test
    void rejectsAnotherDuplicateWindowForAnExistingTopic() {
      String name = newTopic("create-window-conflict");
      await(topics().create(withOptions(name, ZONE, 10, 2048)));

      CompletionStage<CreateTopicResponse> call =
          topics().create(named(name).toBuilder().setDuplicateWindowMs(300_000).build());

      assertRejected(call, Code.ALREADY_EXISTS, name, "duplicate window 2m (asked 5m)");
    }

    @Test
    void namesEveryDifferingOption() {
      String name = newTopic("create-all-conflict");
      await(topics().create(withOptions(name, ZONE, 10, 2048)));

      CompletionStage<CreateTopicResponse> call =
          topics().create(withOptions(name, OTHER_ZONE, 20, 4096));

      assertRejected(
          call,
          Code.ALREADY_EXISTS,
          "zone " + ZONE + " (asked " + OTHER_ZONE + ")",
          "history 10 (asked 20)",
          "max entry bytes 2048 (asked 4096)");
    }

    @Test
    void rejectsAnEmptyName() {
      assertRejected(topics().create(named("")), Code.INVALID_ARGUMENT, "must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad name", "a|b", "-leading-dash", "slash/ed", "ünicode"})
    void rejectsAnInvalidNameSayingWhatAValidOneLooksLike(String name) {
      CompletionStage<CreateTopicResponse> call = topics().create(named(name));

      assertRejected(
          call, Code.INVALID_ARGUMENT, "invalid topic name '" + name + "'", "letters, digits");
      assertRejected(describe(name), Code.INVALID_ARGUMENT, "invalid topic name");
    }

    @Test
    void rejectsANameLongerThan200Characters() {
      String name = "n".repeat(201);

      assertRejected(topics().create(named(name)), Code.INVALID_ARGUMENT, "1-200");
    }

    @Test
    void rejectsAnUnknownZoneNamingTheDeclaredOnes() {
      String name = newTopic("create-unknown-zone");

      CompletionStage<CreateTopicResponse> call =
          topics().create(named(name).toBuilder().setHomeZone("mars").build());

      assertRejected(call, Code.INVALID_ARGUMENT, "unknown zone 'mars'", ZONE, OTHER_ZONE);
      assertRejected(describe(name), Code.NOT_FOUND, name);
    }

    @Test
    void rejectsANegativeHistoryNamingTheField() {
      String name = newTopic("create-negative-history");

      CompletionStage<CreateTopicResponse> call =
          topics().create(named(name).toBuilder().setHistoryLength(-1).build());

      assertRejected(call, Code.INVALID_ARGUMENT, "history_length", "-1");
      assertRejected(describe(name), Code.NOT_FOUND, name);
    }

    @Test
    void rejectsANegativeMaxEntryBytesNamingTheField() {
      String name = newTopic("create-negative-max");

      CompletionStage<CreateTopicResponse> call =
          topics().create(named(name).toBuilder().setMaxEntryBytes(-5).build());

      assertRejected(call, Code.INVALID_ARGUMENT, "max_entry_bytes", "-5");
      assertRejected(describe(name), Code.NOT_FOUND, name);
    }

    @Test
    void rejectsANegativeDuplicateWindowNamingTheField() {
      String name = newTopic("create-negative-window");

      CompletionStage<CreateTopicResponse> call =
          topics().create(named(name).toBuilder().setDuplicateWindowMs(-1).build());

      assertRejected(call, Code.INVALID_ARGUMENT, "duplicate_window_ms", "-1");
      assertRejected(describe(name), Code.NOT_FOUND, name);
    }

    @Test
    void rejectsADuplicateWindowAboveTheNodesLimitNamingTheLimit() {
      String name = newTopic("create-window-above-limit");

      CompletionStage<CreateTopicResponse> call =
          topics()
              .create(
                  named(name).toBuilder()
                      .setDuplicateWindowMs(DUPLICATE_WINDOW_LIMIT_MS + 1000)
                      .build());

      assertRejected(
          call,
          Code.INVALID_ARGUMENT,
          "duplicate window must be between 1ms and 1h",
          "continuum.topics.duplicate-window-limit",
          "was 3601s");
      assertRejected(describe(name), Code.NOT_FOUND, name);
    }

    @Test
    void acceptsADuplicateWindowOfExactlyTheNodesLimit() {
      String name = newTopic("create-window-at-limit");

      CreateTopicResponse response =
          await(
              topics()
                  .create(
                      named(name).toBuilder()
                          .setDuplicateWindowMs(DUPLICATE_WINDOW_LIMIT_MS)
                          .build()));

      assertThat(response.getTopic().getDuplicateWindowMs()).isEqualTo(DUPLICATE_WINDOW_LIMIT_MS);
      assertThat(await(describe(name)).getDuplicateWindowMs()).isEqualTo(DUPLICATE_WINDOW_LIMIT_MS);
    }

    @Test
    void rejectsAHistoryAboveOneBillion() {
      String name = newTopic("create-huge-history");

      CompletionStage<CreateTopicResponse> call =
          topics().create(named(name).toBuilder().setHistoryLength(1_000_000_001L).build());

      assertRejected(call, Code.INVALID_ARGUMENT, "1000000000", "1000000001");
    }

    @Test
    void rejectsAMaxEntryBytesAboveTheNodesLimit() {
      String name = newTopic("create-max-above-limit");

      CompletionStage<CreateTopicResponse> call =
          topics().create(named(name).toBuilder().setMaxEntryBytes(ENTRY_BYTES_LIMIT + 1).build());

      assertRejected(
          call,
          Code.INVALID_ARGUMENT,
          "between 1 and " + ENTRY_BYTES_LIMIT,
          "was " + (ENTRY_BYTES_LIMIT + 1));
      assertRejected(describe(name), Code.NOT_FOUND, name);
    }

    @Test
    void acceptsAMaxEntryBytesOfExactlyTheNodesLimit() {
      String name = newTopic("create-max-at-limit");

      CreateTopicResponse response =
          await(
              topics().create(named(name).toBuilder().setMaxEntryBytes(ENTRY_BYTES_LIMIT).build()));

      assertThat(response.getTopic().getMaxEntryBytes()).isEqualTo(ENTRY_BYTES_LIMIT);
    }
  }

  @Nested
  class Publish {

    @Test
    void assignsConsecutiveIndexesFromOne() {
      String topic = createTopic("publish-order");

      List<PublishResponse> responses =
          List.of(
              await(topics().publish(entry(topic, "a"))),
              await(topics().publish(entry(topic, "b"))),
              await(topics().publish(entry(topic, "c"))));

      assertThat(responses).extracting(PublishResponse::getIndex).containsExactly(1L, 2L, 3L);
      assertThat(responses).extracting(PublishResponse::getDuplicate).containsOnly(false);
      assertThat(read(topic, 1, 10))
          .extracting(TopicGatewayTest::text)
          .containsExactly("a", "b", "c");
    }

    @Test
    void concurrentPublishesGetDistinctIndexesWithoutGaps() {
      String topic = createTopic("publish-concurrent");

      List<CompletableFuture<PublishResponse>> calls =
          IntStream.rangeClosed(1, 16)
              .mapToObj(i -> topics().publish(entry(topic, "p" + i)).toCompletableFuture())
              .toList();
      List<Long> indexes = calls.stream().map(call -> await(call).getIndex()).toList();

      assertThat(indexes)
          .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 16).boxed().toList());
      assertThat(latest(topic).getIndex()).isEqualTo(16);
      assertThat(read(topic, 1, 100))
          .extracting(TopicGatewayTest::text)
          .containsExactlyInAnyOrderElementsOf(
              IntStream.rangeClosed(1, 16).mapToObj(i -> "p" + i).toList());
    }

    @Test
    void acceptsAPayloadOfExactlyTheTopicsMax() {
      String topic = createTopic("publish-at-max", 10, 2048);

      PublishResponse response =
          await(topics().publish(entry(topic, ByteString.copyFrom(new byte[2048]))));

      assertThat(response.getIndex()).isEqualTo(1);
    }

    @Test
    void rejectsAPayloadOverTheTopicsMaxNamingTheLimitAndAppendsNothing() {
      String topic = createTopic("publish-over-max", 10, 2048);
      publish(topic, "before");

      CompletionStage<PublishResponse> call =
          topics().publish(entry(topic, ByteString.copyFrom(new byte[2049])));

      assertRejected(call, Code.INVALID_ARGUMENT, "2049 bytes", topic, "at most 2048 bytes");
      assertThat(latest(topic).getIndex()).isEqualTo(1);
    }

    @Test
    void rejectsAPayloadOverTheNodesEntryLimitNamingTheTopicsLimit() {
      String topic = createTopic("publish-over-node-limit", 10, ENTRY_BYTES_LIMIT);

      CompletionStage<PublishResponse> call =
          topics().publish(entry(topic, ByteString.copyFrom(new byte[3 * 1024 * 1024])));

      assertRejected(
          call, Code.INVALID_ARGUMENT, "3145728 bytes", "at most " + ENTRY_BYTES_LIMIT + " bytes");
      assertThat(latest(topic).getIndex()).isZero();
    }

    @Test
    void aRepeatedProducerSequenceReturnsTheOriginalIndexAndAppendsNothing() {
      String topic = createTopic("publish-idempotent");
      publish(topic, "other");
      PublishResponse original =
          await(topics().publish(fromProducer(entry(topic, "once"), "sensor-1", 1)));
      publish(topic, "later");

      PublishResponse retry =
          await(topics().publish(fromProducer(entry(topic, "once"), "sensor-1", 1)));

      assertThat(original).isEqualTo(PublishResponse.newBuilder().setIndex(2).build());
      assertThat(retry)
          .isEqualTo(PublishResponse.newBuilder().setIndex(2).setDuplicate(true).build());
      assertThat(latest(topic).getIndex()).isEqualTo(3);
      assertThat(read(topic, 1, 10))
          .extracting(TopicGatewayTest::text)
          .containsExactly("other", "once", "later");
    }

    @Test
    void producersAreDeduplicatedIndependently() {
      String topic = createTopic("publish-two-producers");

      PublishResponse first = await(topics().publish(fromProducer(entry(topic, "a"), "p-a", 1)));
      PublishResponse second = await(topics().publish(fromProducer(entry(topic, "b"), "p-b", 1)));

      assertThat(first.getDuplicate()).isFalse();
      assertThat(second.getDuplicate()).isFalse();
      assertThat(second.getIndex()).isEqualTo(2);
    }

    @Test
    void rejectsAProducerSequenceWithoutAProducerId() {
      String topic = createTopic("publish-seq-without-id");

      CompletionStage<PublishResponse> call =
          topics().publish(entry(topic, "x").toBuilder().setProducerSeq(3).build());

      assertRejected(call, Code.INVALID_ARGUMENT, "producer_seq", "producer_id");
      assertThat(latest(topic).getIndex()).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void rejectsAProducerSequenceBelowOne(long seq) {
      String topic = createTopic("publish-seq-below-one");

      CompletionStage<PublishResponse> call =
          topics().publish(fromProducer(entry(topic, "x"), "sensor-1", seq));

      assertRejected(call, Code.INVALID_ARGUMENT, "start at 1", "was " + seq);
      assertThat(latest(topic).getIndex()).isZero();
    }

    @Test
    void aRepeatOfAnEarlySequenceAmongHundredsReturnsTheOriginalIndex() {
      String topic = createTopic("publish-many-then-repeat");
      for (long seq = 1; seq <= 200; seq++) {
        await(topics().publish(fromProducer(entry(topic, "s" + seq), "sensor-1", seq)));
      }

      PublishResponse retry =
          await(topics().publish(fromProducer(entry(topic, "s1"), "sensor-1", 1)));

      assertThat(retry)
          .isEqualTo(PublishResponse.newBuilder().setIndex(1).setDuplicate(true).build());
      assertThat(latest(topic).getIndex()).isEqualTo(200);
    }

    @Test
    void rejectsAnUnknownTopic() {
      String topic = newTopic("publish-unknown");

      assertRejected(
          topics().publish(entry(topic, "x")),
          Code.NOT_FOUND,
          topic,
          "does not exist",
          "create it first");
    }

    @Test
    void rejectsAnInvalidTopicName() {
      assertRejected(
          topics().publish(entry("bad name", "x")), Code.INVALID_ARGUMENT, "invalid topic name");
      assertRejected(topics().publish(entry("", "x")), Code.INVALID_ARGUMENT, "must not be empty");
    }
  }

  @Nested
  class Get {

    @Test
    void returnsThePayloadProducerAndPublicationTime() {
      String topic = createTopic("get-entry");
      publish(topic, "first");
      long before = System.currentTimeMillis();
      await(topics().publish(fromProducer(entry(topic, "second"), "sensor-7", 42)));
      long after = System.currentTimeMillis();

      Entry entry = await(topics().get(at(topic, 2)));

      assertThat(entry.getTopic()).isEqualTo(topic);
      assertThat(entry.getIndex()).isEqualTo(2);
      assertThat(text(entry)).isEqualTo("second");
      assertThat(entry.getProducerId()).isEqualTo("sensor-7");
      assertThat(entry.getProducerSeq()).isEqualTo(42);
      assertThat(entry.getPublishedAt()).isBetween(before, after);
    }

    @Test
    void anEntryWithoutProducerHasNoProducerFields() {
      String topic = createTopic("get-anonymous");
      publish(topic, "anonymous");

      Entry entry = await(topics().get(at(topic, 1)));

      assertThat(entry.getProducerId()).isEmpty();
      assertThat(entry.getProducerSeq()).isZero();
    }

    @Test
    void returnsEntriesOlderThanTheCacheFromTheJournal() {
      String topic = createTopic("get-journal");
      publishAll(topic, GatewayNode.CACHED_ENTRIES + 4);

      Entry entry = await(topics().get(at(topic, 1)));

      assertThat(text(entry)).isEqualTo("e1");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -3})
    void rejectsAnIndexBelowOne(long index) {
      String topic = createTopic("get-below-one");
      publish(topic, "a");

      assertRejected(
          topics().get(at(topic, index)), Code.INVALID_ARGUMENT, "start at 1", "was " + index);
    }

    @Test
    void rejectsAnIndexBeyondTheLatestNamingTheLatest() {
      String topic = createTopic("get-beyond");
      publishAll(topic, 3);

      assertRejected(topics().get(at(topic, 5)), Code.NOT_FOUND, "no entry 5", "the latest is 3");
    }

    @Test
    void rejectsAnEvictedIndexNamingTheOldestRetained() {
      String topic = createTopic("get-evicted", 3, 1024);
      publishAll(topic, 6);

      assertRejected(
          topics().get(at(topic, 1)),
          Code.OUT_OF_RANGE,
          "entry 1",
          "evicted",
          "oldest retained entry is 4");
      assertThat(text(await(topics().get(at(topic, 4))))).isEqualTo("e4");
    }

    @Test
    void rejectsAnUnknownTopic() {
      String topic = newTopic("get-unknown");

      assertRejected(topics().get(at(topic, 1)), Code.NOT_FOUND, topic, "does not exist");
    }
  }

  @Nested
  class Latest {

    @Test
    void anEmptyTopicHasIndexZeroAndNoEntry() {
      String topic = createTopic("latest-empty");

      LatestResponse latest = latest(topic);

      assertThat(latest.getIndex()).isZero();
      assertThat(latest.getFirstIndex()).isEqualTo(1);
      assertThat(latest.hasEntry()).isFalse();
    }

    @Test
    void returnsTheNewestEntry() {
      String topic = createTopic("latest-newest");
      publishAll(topic, 3);

      LatestResponse latest = latest(topic);

      assertThat(latest.getIndex()).isEqualTo(3);
      assertThat(latest.getFirstIndex()).isEqualTo(1);
      assertThat(latest.getEntry().getIndex()).isEqualTo(3);
      assertThat(text(latest.getEntry())).isEqualTo("e3");
    }

    @Test
    void reportsTheOldestRetainedIndexAfterEviction() {
      String topic = createTopic("latest-evicted", 3, 1024);
      publishAll(topic, 6);

      LatestResponse latest = latest(topic);

      assertThat(latest.getFirstIndex()).isEqualTo(4);
      assertThat(latest.getIndex()).isEqualTo(6);
    }

    @Test
    void rejectsAnUnknownTopic() {
      String topic = newTopic("latest-unknown");

      assertRejected(
          topics().latest(LatestRequest.newBuilder().setTopic(topic).build()),
          Code.NOT_FOUND,
          topic);
    }
  }

  @Nested
  class Read {

    @Test
    void returnsARangeWithTheRetainedBounds() {
      String topic = createTopic("read-range");
      publishAll(topic, 5);

      ReadResponse response = await(topics().read(range(topic, 2, 3)));

      assertThat(response.getEntriesList()).extracting(Entry::getIndex).containsExactly(2L, 3L, 4L);
      assertThat(response.getEntriesList())
          .extracting(TopicGatewayTest::text)
          .containsExactly("e2", "e3", "e4");
      assertThat(response.getFirstIndex()).isEqualTo(1);
      assertThat(response.getLatestIndex()).isEqualTo(5);
    }

    @Test
    void returnsWhatThereIsWhenMaxExceedsIt() {
      String topic = createTopic("read-short");
      publishAll(topic, 3);

      ReadResponse response = await(topics().read(range(topic, 2, 50)));

      assertThat(response.getEntriesList()).extracting(Entry::getIndex).containsExactly(2L, 3L);
    }

    @Test
    void readsAcrossTheJournalAndTheCacheWithoutGaps() {
      String topic = createTopic("read-journal");
      int count = GatewayNode.CACHED_ENTRIES * 2;
      publishAll(topic, count);

      ReadResponse response = await(topics().read(range(topic, 1, count)));

      assertThat(response.getEntriesList())
          .extracting(Entry::getIndex)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
    }

    @Test
    void maxZeroReadsOneHundred() {
      String topic = createTopic("read-default-max");
      publishAll(topic, 101);

      ReadResponse response = await(topics().read(range(topic, 1, 0)));

      assertThat(response.getEntriesCount()).isEqualTo(100);
      assertThat(response.getLatestIndex()).isEqualTo(101);
    }

    @Test
    void aReadStopsAtTheBatchBytesLimitWhetherFromTheJournalOrTheCache() {
      String topic = createTopic("read-bytes", 10, ENTRY_BYTES_LIMIT);
      for (int i = 0; i < 4; i++) {
        await(topics().publish(entry(topic, ByteString.copyFrom(new byte[ENTRY_BYTES_LIMIT]))));
      }

      ReadResponse fromJournal = await(topics().read(range(topic, 1, 10)));
      ReadResponse fromCache = await(topics().read(range(topic, 3, 10)));

      assertThat(fromJournal.getEntriesList()).extracting(Entry::getIndex).containsExactly(1L, 2L);
      assertThat(fromCache.getEntriesList()).extracting(Entry::getIndex).containsExactly(3L, 4L);
      assertThat(payloadBytes(fromJournal)).isLessThanOrEqualTo(READ_BATCH_BYTES);
    }

    @Test
    void aReadFromBeyondTheLatestIsEmpty() {
      String topic = createTopic("read-beyond");
      publishAll(topic, 2);

      ReadResponse response = await(topics().read(range(topic, 3, 10)));

      assertThat(response.getEntriesList()).isEmpty();
      assertThat(response.getLatestIndex()).isEqualTo(2);
    }

    @Test
    void rejectsAReadFromZero() {
      String topic = createTopic("read-from-zero");

      assertRejected(
          topics().read(range(topic, 0, 10)), Code.INVALID_ARGUMENT, "start at 1", "was 0");
    }

    @Test
    void rejectsANegativeMax() {
      String topic = createTopic("read-negative-max");

      assertRejected(
          topics().read(range(topic, 1, -1)), Code.INVALID_ARGUMENT, "max must be positive");
    }

    @Test
    void rejectsAnEvictedStartNamingTheOldestRetained() {
      String topic = createTopic("read-evicted", 3, 1024);
      publishAll(topic, 6);

      assertRejected(
          topics().read(range(topic, 2, 10)),
          Code.OUT_OF_RANGE,
          "entry 2",
          "evicted",
          "oldest retained entry is 4");
      assertThat(await(topics().read(range(topic, 4, 10))).getEntriesList())
          .extracting(Entry::getIndex)
          .containsExactly(4L, 5L, 6L);
    }

    @Test
    void rejectsAnUnknownTopic() {
      String topic = newTopic("read-unknown");

      assertRejected(topics().read(range(topic, 1, 10)), Code.NOT_FOUND, topic);
    }
  }

  @Nested
  class Subscribe {

    @Test
    void deliversExistingEntriesThenLiveOnesInOrder() {
      String topic = createTopic("subscribe-live");
      publishAll(topic, 3);
      BlockingQueue<Entry> received = new LinkedBlockingQueue<>();

      CompletionStage<Done> done = subscribe(topic, 1).take(6).runForeach(received::add, system());
      List<Entry> existing = take(received, 3);
      publish(topic, "live-4");
      publish(topic, "live-5");
      publish(topic, "live-6");
      List<Entry> live = take(received, 3);

      await(done);
      assertThat(existing).extracting(Entry::getIndex).containsExactly(1L, 2L, 3L);
      assertThat(existing).extracting(TopicGatewayTest::text).containsExactly("e1", "e2", "e3");
      assertThat(live).extracting(Entry::getIndex).containsExactly(4L, 5L, 6L);
      assertThat(live)
          .extracting(TopicGatewayTest::text)
          .containsExactly("live-4", "live-5", "live-6");
      assertThat(received).isEmpty();
    }

    @Test
    void concurrentLivePublishesArriveWithoutGapsOrDuplicates() {
      String topic = createTopic("subscribe-concurrent");
      publish(topic, "first");
      BlockingQueue<Entry> received = new LinkedBlockingQueue<>();
      CompletionStage<Done> done = subscribe(topic, 1).take(21).runForeach(received::add, system());
      take(received, 1);

      List<CompletableFuture<PublishResponse>> calls =
          IntStream.rangeClosed(1, 20)
              .mapToObj(i -> topics().publish(entry(topic, "c" + i)).toCompletableFuture())
              .toList();
      calls.forEach(GatewayNode::await);
      List<Entry> live = take(received, 20);

      await(done);
      assertThat(live)
          .extracting(Entry::getIndex)
          .containsExactlyElementsOf(LongStream.rangeClosed(2, 21).boxed().toList());
    }

    @Test
    void startsAtALaterIndexAndWaitsForIt() {
      String topic = createTopic("subscribe-later");
      publish(topic, "e1");
      BlockingQueue<Entry> received = new LinkedBlockingQueue<>();
      CompletionStage<Done> done = subscribe(topic, 3).take(1).runForeach(received::add, system());

      publish(topic, "e2");
      publish(topic, "e3");

      await(done);
      assertThat(received).extracting(Entry::getIndex).containsExactly(3L);
    }

    @Test
    void fromZeroStartsAtTheOldestRetainedEntry() {
      String topic = createTopic("subscribe-from-zero", 3, 1024);
      publishAll(topic, 6);

      List<Entry> entries = await(subscribe(topic, 0).take(3).runWith(Sink.seq(), system()));

      assertThat(entries).extracting(Entry::getIndex).containsExactly(4L, 5L, 6L);
    }

    @Test
    void fromZeroOnAnEmptyTopicDeliversTheFirstEntry() {
      String topic = createTopic("subscribe-empty");
      CompletionStage<List<Entry>> first =
          subscribe(topic, 0).take(1).runWith(Sink.seq(), system());

      publish(topic, "only");

      assertThat(await(first)).extracting(Entry::getIndex).containsExactly(1L);
    }

    @Test
    void failsWithNotFoundForAnUnknownTopic() {
      String topic = newTopic("subscribe-unknown");

      assertRejected(subscribe(topic, 1).runWith(Sink.seq(), system()), Code.NOT_FOUND, topic);
      assertRejected(subscribe(topic, 0).runWith(Sink.seq(), system()), Code.NOT_FOUND, topic);
    }

    @Test
    void failsWithOutOfRangeFromAnEvictedIndex() {
      String topic = createTopic("subscribe-evicted", 3, 1024);
      publishAll(topic, 6);

      assertRejected(
          subscribe(topic, 2).runWith(Sink.seq(), system()),
          Code.OUT_OF_RANGE,
          "evicted",
          "oldest retained entry is 4");
    }

    @Test
    void failsWithInvalidArgumentFromANegativeIndex() {
      String topic = createTopic("subscribe-negative");

      assertRejected(
          subscribe(topic, -1).runWith(Sink.seq(), system()), Code.INVALID_ARGUMENT, "start at 1");
    }
  }

  @Nested
  class Describe {

    @Test
    void describesANewTopic() {
      String topic = createTopic("describe-new", 10, 2048);

      TopicInfo info = await(describe(topic));

      assertThat(info)
          .isEqualTo(
              TopicInfo.newBuilder()
                  .setName(topic)
                  .setHomeZone(ZONE)
                  .setHistoryLength(10)
                  .setMaxEntryBytes(2048)
                  .setDuplicateWindowMs(DEFAULT_DUPLICATE_WINDOW_MS)
                  .setFirstIndex(1)
                  .setLatestIndex(0)
                  .build());
    }

    @Test
    void reportsTheRetainedRange() {
      String topic = createTopic("describe-range", 3, 1024);
      publishAll(topic, 5);

      TopicInfo info = await(describe(topic));

      assertThat(info.getFirstIndex()).isEqualTo(3);
      assertThat(info.getLatestIndex()).isEqualTo(5);
    }

    @Test
    void rejectsAnUnknownTopic() {
      String topic = newTopic("describe-unknown");

      assertRejected(describe(topic), Code.NOT_FOUND, topic, "does not exist");
    }
  }

  @Nested
  class Robustness {

    @Test
    void aMessageOverTheGatewaysLimitIsRefusedAndTheNodeKeepsServing() {
      String topic = createTopic("oversized", 10, ENTRY_BYTES_LIMIT);
      publish(topic, "before");

      CompletionStage<PublishResponse> call =
          topics()
              .publish(
                  entry(topic, ByteString.copyFrom(new byte[MAX_REQUEST_BYTES + 1024 * 1024])));

      assertRejected(
          call,
          Code.RESOURCE_EXHAUSTED,
          "limit of " + MAX_REQUEST_BYTES + " bytes",
          "max_entry_bytes");
      assertThat(publish(topic, "after")).isEqualTo(2);
      assertThat(read(topic, 1, 10))
          .extracting(TopicGatewayTest::text)
          .containsExactly("before", "after");
    }

    @Test
    void failedCallsNeitherStopTheNodeNorLoseAcknowledgedEntries() {
      String topic = createTopic("no-loss", 100, 1024);
      List<String> acknowledged = new ArrayList<>();
      Runnable acknowledge =
          () -> {
            String payload = "ack-" + acknowledged.size();
            assertThat(publish(topic, payload)).isEqualTo(acknowledged.size() + 1);
            acknowledged.add(payload);
          };

      acknowledge.run();
      assertRejected(
          topics().publish(entry(topic, ByteString.copyFrom(new byte[1025]))),
          Code.INVALID_ARGUMENT);
      acknowledge.run();
      assertRejected(
          topics().publish(entry(topic, "x").toBuilder().setProducerSeq(1).build()),
          Code.INVALID_ARGUMENT);
      assertRejected(
          topics().publish(fromProducer(entry(topic, "x"), "p", 0)), Code.INVALID_ARGUMENT);
      acknowledge.run();
      assertRejected(topics().publish(entry(topic + "-missing", "x")), Code.NOT_FOUND);
      assertRejected(topics().create(withOptions(topic, ZONE, 7, 1024)), Code.ALREADY_EXISTS);
      assertRejected(topics().create(named("bad name")), Code.INVALID_ARGUMENT);
      acknowledge.run();
      assertRejected(topics().get(at(topic, 0)), Code.INVALID_ARGUMENT);
      assertRejected(topics().get(at(topic, 99)), Code.NOT_FOUND);
      assertRejected(topics().read(range(topic, 0, 1)), Code.INVALID_ARGUMENT);
      assertRejected(topics().read(range(topic, 1, -1)), Code.INVALID_ARGUMENT);
      assertRejected(
          subscribe(topic + "-missing", 1).runWith(Sink.seq(), system()), Code.NOT_FOUND);
      acknowledge.run();
      assertRejected(
          topics()
              .publish(
                  entry(topic, ByteString.copyFrom(new byte[MAX_REQUEST_BYTES + 1024 * 1024]))),
          Code.RESOURCE_EXHAUSTED);
      acknowledge.run();

      assertThat(read(topic, 1, 100))
          .extracting(TopicGatewayTest::text)
          .containsExactlyElementsOf(acknowledged);
      assertThat(await(describe(topic)).getLatestIndex()).isEqualTo(acknowledged.size());
      String fresh = createTopic("no-loss-fresh");
      assertThat(publish(fresh, "still serving")).isEqualTo(1);
    }
  }

  private static CreateTopicRequest named(String name) {
    return CreateTopicRequest.newBuilder().setName(name).build();
  }

  private static CreateTopicRequest withOptions(
      String name, String zone, long history, int maxEntryBytes) {
    return CreateTopicRequest.newBuilder()
        .setName(name)
        .setHomeZone(zone)
        .setHistoryLength(history)
        .setMaxEntryBytes(maxEntryBytes)
        .build();
  }

  /** Creates a new topic in the node's zone with the cluster defaults; returns its name. */
  private static String createTopic(String label) {
    String name = newTopic(label);
    assertThat(await(topics().create(named(name))).getCreated()).isTrue();
    return name;
  }

  /** Creates a new topic in the node's zone; returns its name. */
  private static String createTopic(String label, long history, int maxEntryBytes) {
    String name = newTopic(label);
    assertThat(await(topics().create(withOptions(name, ZONE, history, maxEntryBytes))).getCreated())
        .isTrue();
    return name;
  }

  private static PublishRequest entry(String topic, String payload) {
    return entry(topic, ByteString.copyFromUtf8(payload));
  }

  private static PublishRequest entry(String topic, ByteString payload) {
    return PublishRequest.newBuilder().setTopic(topic).setPayload(payload).build();
  }

  private static PublishRequest fromProducer(PublishRequest request, String producer, long seq) {
    return request.toBuilder().setProducerId(producer).setProducerSeq(seq).build();
  }

  /** Publishes and returns the index. */
  private static long publish(String topic, String payload) {
    return await(topics().publish(entry(topic, payload))).getIndex();
  }

  /** Publishes {@code e1..e<count>}, one after the other. */
  private static void publishAll(String topic, int count) {
    for (int i = 1; i <= count; i++) {
      assertThat(publish(topic, "e" + i)).isEqualTo(i);
    }
  }

  private static GetEntryRequest at(String topic, long index) {
    return GetEntryRequest.newBuilder().setTopic(topic).setIndex(index).build();
  }

  private static ReadRequest range(String topic, long from, int max) {
    return ReadRequest.newBuilder().setTopic(topic).setFromIndex(from).setMax(max).build();
  }

  private static List<Entry> read(String topic, long from, int max) {
    return await(topics().read(range(topic, from, max))).getEntriesList();
  }

  private static LatestResponse latest(String topic) {
    return await(topics().latest(LatestRequest.newBuilder().setTopic(topic).build()));
  }

  private static CompletionStage<TopicInfo> describe(String topic) {
    return topics().describe(DescribeTopicRequest.newBuilder().setTopic(topic).build());
  }

  private static Source<Entry, NotUsed> subscribe(String topic, long from) {
    return topics()
        .subscribe(SubscribeRequest.newBuilder().setTopic(topic).setFromIndex(from).build());
  }

  private static ActorSystem<Void> system() {
    return node.clientSystem();
  }

  /** The next {@code count} entries a subscription delivers, each within the call timeout. */
  private static List<Entry> take(BlockingQueue<Entry> received, int count) {
    List<Entry> entries = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        Entry entry = received.poll(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(entry).as("entry %d of %d within %s", i + 1, count, CALL_TIMEOUT).isNotNull();
        entries.add(entry);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return entries;
  }

  private static long payloadBytes(ReadResponse response) {
    return response.getEntriesList().stream().mapToLong(e -> e.getPayload().size()).sum();
  }

  private static String text(Entry entry) {
    return entry.getPayload().toStringUtf8();
  }
}
