package io.continuum.gateway;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.CreateTopicResponse;
import io.continuum.gateway.v1.DescribeTopicRequest;
import io.continuum.gateway.v1.GetEntryRequest;
import io.continuum.gateway.v1.LatestRequest;
import io.continuum.gateway.v1.LatestResponse;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.PublishResponse;
import io.continuum.gateway.v1.ReadRequest;
import io.continuum.gateway.v1.ReadResponse;
import io.continuum.gateway.v1.SubscribeRequest;
import io.continuum.gateway.v1.TopicInfo;
import io.continuum.gateway.v1.TopicServiceGrpc;
import io.continuum.topic.Entry;
import io.continuum.topic.TopicReads;
import io.continuum.topic.TopicRequest;
import io.continuum.topic.TopicSpec;
import io.continuum.topic.Topics;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;

/** The gateway's {@code continuum.v1.TopicService}: a thin mapping onto {@link Topics}. */
public final class TopicGrpcService extends TopicServiceGrpc.TopicServiceImplBase {

  private static final int DEFAULT_READ = 100;

  private final Topics topics;
  private final Materializer materializer;
  private final SharedKillSwitch subscriptions;

  /**
   * @param subscriptions ends every live subscription when the gateway shuts down
   */
  public TopicGrpcService(
      Topics topics, Materializer materializer, SharedKillSwitch subscriptions) {
    this.topics = topics;
    this.materializer = materializer;
    this.subscriptions = subscriptions;
  }

  @Override
  public void create(CreateTopicRequest in, StreamObserver<CreateTopicResponse> out) {
    if (in.getHistoryLength() < 0) {
      out.onError(
          GrpcErrors.invalid(
              "history_length must be positive, or 0 for the default; was "
                  + in.getHistoryLength()));
      return;
    }
    if (in.getMaxEntryBytes() < 0) {
      out.onError(
          GrpcErrors.invalid(
              "max_entry_bytes must be positive, or 0 for the default; was "
                  + in.getMaxEntryBytes()));
      return;
    }
    if (in.getDuplicateWindowMs() < 0) {
      out.onError(
          GrpcErrors.invalid(
              "duplicate_window_ms must be positive, or 0 for the default; was "
                  + in.getDuplicateWindowMs()));
      return;
    }
    TopicRequest request =
        new TopicRequest(
            in.getName(),
            in.getHomeZone().isEmpty() ? null : in.getHomeZone(),
            in.getHistoryLength() == 0 ? null : in.getHistoryLength(),
            in.getMaxEntryBytes() == 0 ? null : in.getMaxEntryBytes(),
            in.getDuplicateWindowMs() == 0 ? null : Duration.ofMillis(in.getDuplicateWindowMs()));
    UnaryReply.of(
        out,
        () ->
            topics
                .create(request)
                .thenCompose(
                    created ->
                        topics
                            .reads()
                            .latest(created.spec().name())
                            .thenApply(
                                range ->
                                    CreateTopicResponse.newBuilder()
                                        .setTopic(toInfo(created.spec(), range))
                                        .setCreated(created.created())
                                        .build())));
  }

  @Override
  public void publish(PublishRequest in, StreamObserver<PublishResponse> out) {
    String producer = in.getProducerId().isEmpty() ? null : in.getProducerId();
    if (producer == null && in.getProducerSeq() != 0) {
      out.onError(GrpcErrors.invalid("producer_seq needs a producer_id"));
      return;
    }
    UnaryReply.of(
        out,
        () ->
            topics
                .publish(
                    in.getTopic(), in.getPayload().toByteArray(), producer, in.getProducerSeq())
                .thenApply(
                    published ->
                        PublishResponse.newBuilder()
                            .setIndex(published.index())
                            .setDuplicate(published.duplicate())
                            .build()));
  }

  @Override
  public void get(GetEntryRequest in, StreamObserver<io.continuum.gateway.v1.Entry> out) {
    UnaryReply.of(
        out,
        () ->
            topics
                .reads()
                .get(in.getTopic(), in.getIndex())
                .thenApply(entry -> toProto(in.getTopic(), entry)));
  }

  @Override
  public void latest(LatestRequest in, StreamObserver<LatestResponse> out) {
    UnaryReply.of(
        out,
        () ->
            topics
                .reads()
                .latest(in.getTopic())
                .thenApply(
                    range -> {
                      LatestResponse.Builder response =
                          LatestResponse.newBuilder()
                              .setIndex(range.latest())
                              .setFirstIndex(range.first());
                      range
                          .entries()
                          .forEach(entry -> response.setEntry(toProto(in.getTopic(), entry)));
                      return response.build();
                    }));
  }

  @Override
  public void read(ReadRequest in, StreamObserver<ReadResponse> out) {
    if (in.getMax() < 0) {
      out.onError(GrpcErrors.invalid("max must be positive, or 0 for " + DEFAULT_READ));
      return;
    }
    UnaryReply.of(
        out,
        () ->
            topics
                .reads()
                .read(
                    in.getTopic(), in.getFromIndex(), in.getMax() == 0 ? DEFAULT_READ : in.getMax())
                .thenApply(
                    range -> {
                      ReadResponse.Builder response =
                          ReadResponse.newBuilder()
                              .setFirstIndex(range.first())
                              .setLatestIndex(range.latest());
                      range
                          .entries()
                          .forEach(entry -> response.addEntries(toProto(in.getTopic(), entry)));
                      return response.build();
                    }));
  }

  /** Follows the topic live, as fast as the client reads; a client that cancels stops it. */
  @Override
  public void subscribe(SubscribeRequest in, StreamObserver<io.continuum.gateway.v1.Entry> out) {
    StreamingReply.run(
        topics
            .reads()
            .subscribe(in.getTopic(), in.getFromIndex())
            .map(entry -> toProto(in.getTopic(), entry))
            .via(subscriptions.flow()),
        out,
        materializer);
  }

  @Override
  public void describe(DescribeTopicRequest in, StreamObserver<TopicInfo> out) {
    UnaryReply.of(
        out,
        () ->
            topics
                .describe(in.getTopic())
                .thenCompose(
                    spec ->
                        topics
                            .reads()
                            .latest(spec.name())
                            .thenApply(range -> toInfo(spec, range))));
  }

  private static TopicInfo toInfo(TopicSpec spec, TopicReads.Range range) {
    return TopicInfo.newBuilder()
        .setName(spec.name())
        .setHomeZone(spec.homeZone())
        .setHistoryLength(spec.historyLength())
        .setMaxEntryBytes(spec.maxEntryBytes())
        .setDuplicateWindowMs(spec.duplicateWindow().toMillis())
        .setFirstIndex(range.first())
        .setLatestIndex(range.latest())
        .build();
  }

  static io.continuum.gateway.v1.Entry toProto(String topic, Entry entry) {
    io.continuum.gateway.v1.Entry.Builder out =
        io.continuum.gateway.v1.Entry.newBuilder()
            .setTopic(topic)
            .setIndex(entry.index())
            .setPayload(ByteString.copyFrom(entry.payload()))
            .setPublishedAt(entry.publishedAt());
    if (entry.producerId() != null) {
      out.setProducerId(entry.producerId()).setProducerSeq(entry.producerSeq());
    }
    return out.build();
  }
}
