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
import io.continuum.gateway.v1.TopicService;
import io.continuum.topic.Entry;
import io.continuum.topic.TopicRequest;
import io.continuum.topic.TopicSpec;
import io.continuum.topic.Topics;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.javadsl.Source;

/** The gateway's {@code continuum.v1.TopicService}: a thin mapping onto {@link Topics}. */
public final class TopicGrpcService implements TopicService {

  private static final int DEFAULT_READ = 100;

  private final Topics topics;

  public TopicGrpcService(Topics topics) {
    this.topics = topics;
  }

  @Override
  public CompletionStage<CreateTopicResponse> create(CreateTopicRequest in) {
    if (in.getHistoryLength() < 0) {
      return GrpcErrors.failed(
          GrpcErrors.invalid(
              "history_length must be positive, or 0 for the default; was "
                  + in.getHistoryLength()));
    }
    if (in.getMaxEntryBytes() < 0) {
      return GrpcErrors.failed(
          GrpcErrors.invalid(
              "max_entry_bytes must be positive, or 0 for the default; was "
                  + in.getMaxEntryBytes()));
    }
    TopicRequest request =
        new TopicRequest(
            in.getName(),
            in.getHomeZone().isEmpty() ? null : in.getHomeZone(),
            in.getHistoryLength() == 0 ? null : in.getHistoryLength(),
            in.getMaxEntryBytes() == 0 ? null : in.getMaxEntryBytes());
    return GrpcErrors.mapped(
        topics
            .create(request)
            .thenCompose(
                created ->
                    topics
                        .latest(created.spec().name())
                        .thenApply(
                            range ->
                                CreateTopicResponse.newBuilder()
                                    .setTopic(toInfo(created.spec(), range))
                                    .setCreated(created.created())
                                    .build())));
  }

  @Override
  public CompletionStage<PublishResponse> publish(PublishRequest in) {
    String producer = in.getProducerId().isEmpty() ? null : in.getProducerId();
    if (producer == null && in.getProducerSeq() != 0) {
      return GrpcErrors.failed(GrpcErrors.invalid("producer_seq needs a producer_id"));
    }
    return GrpcErrors.mapped(
        topics
            .publish(in.getTopic(), in.getPayload().toByteArray(), producer, in.getProducerSeq())
            .thenApply(
                published ->
                    PublishResponse.newBuilder()
                        .setIndex(published.index())
                        .setDuplicate(published.duplicate())
                        .build()));
  }

  @Override
  public CompletionStage<io.continuum.gateway.v1.Entry> get(GetEntryRequest in) {
    return GrpcErrors.mapped(
        topics.get(in.getTopic(), in.getIndex()).thenApply(entry -> toProto(in.getTopic(), entry)));
  }

  @Override
  public CompletionStage<LatestResponse> latest(LatestRequest in) {
    return GrpcErrors.mapped(
        topics
            .latest(in.getTopic())
            .thenApply(
                range -> {
                  LatestResponse.Builder out =
                      LatestResponse.newBuilder()
                          .setIndex(range.latest())
                          .setFirstIndex(range.first());
                  range.entries().forEach(entry -> out.setEntry(toProto(in.getTopic(), entry)));
                  return out.build();
                }));
  }

  @Override
  public CompletionStage<ReadResponse> read(ReadRequest in) {
    if (in.getMax() < 0) {
      return GrpcErrors.failed(
          GrpcErrors.invalid("max must be positive, or 0 for " + DEFAULT_READ));
    }
    return GrpcErrors.mapped(
        topics
            .read(in.getTopic(), in.getFromIndex(), in.getMax() == 0 ? DEFAULT_READ : in.getMax())
            .thenApply(
                range -> {
                  ReadResponse.Builder out =
                      ReadResponse.newBuilder()
                          .setFirstIndex(range.first())
                          .setLatestIndex(range.latest());
                  range.entries().forEach(entry -> out.addEntries(toProto(in.getTopic(), entry)));
                  return out.build();
                }));
  }

  @Override
  public Source<io.continuum.gateway.v1.Entry, NotUsed> subscribe(SubscribeRequest in) {
    return topics
        .subscribe(in.getTopic(), in.getFromIndex())
        .map(entry -> toProto(in.getTopic(), entry))
        .mapError(new PFBuilder<Throwable, Throwable>().matchAny(GrpcErrors::toGrpc).build());
  }

  @Override
  public CompletionStage<TopicInfo> describe(DescribeTopicRequest in) {
    return GrpcErrors.mapped(
        topics
            .describe(in.getTopic())
            .thenCompose(
                spec -> topics.latest(spec.name()).thenApply(range -> toInfo(spec, range))));
  }

  private static TopicInfo toInfo(TopicSpec spec, Topics.Range range) {
    return TopicInfo.newBuilder()
        .setName(spec.name())
        .setHomeZone(spec.homeZone())
        .setHistoryLength(spec.historyLength())
        .setMaxEntryBytes(spec.maxEntryBytes())
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
