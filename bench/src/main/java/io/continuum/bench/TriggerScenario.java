package io.continuum.bench;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.FunctionServiceGrpc;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.LatestRequest;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.SubscribeRequest;
import io.continuum.gateway.v1.TopicServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A topic-triggered invocation against a direct one, sequentially, on the example pipeline: the
 * time from publishing a reading to {@code cpu-raw} until {@code smooth}'s output for it appears on
 * {@code cpu-smooth} (publish, subscription delivery, invocation, outbox publish), against invoking
 * {@code smooth} directly with the same reading and waiting for its output the same way.
 */
@Command(
    name = "trigger",
    description = "Topic-triggered vs direct invocation latency on the example pipeline.",
    mixinStandardHelpOptions = true)
final class TriggerScenario extends ScenarioCommand {

  @Option(names = "--gateway", defaultValue = "127.0.0.1:19090", description = "edge-a gateway")
  String gateway;

  @Option(names = "--samples", defaultValue = "200")
  int samples;

  @Override
  public Integer call() throws Exception {
    try (GrpcChannels channels = new GrpcChannels()) {
      TopicServiceGrpc.TopicServiceStub topics = TopicServiceGrpc.newStub(channels.to(gateway));
      FunctionServiceGrpc.FunctionServiceStub functions =
          FunctionServiceGrpc.newStub(channels.to(gateway));
      LinkedBlockingQueue<Entry> smoothed = new LinkedBlockingQueue<>();
      long from =
          GrpcChannels.unary(
                      topics::latest, LatestRequest.newBuilder().setTopic("cpu-smooth").build())
                  .get()
                  .getIndex()
              + 1;
      topics.subscribe(
          SubscribeRequest.newBuilder().setTopic("cpu-smooth").setFromIndex(from).build(),
          new StreamObserver<>() {
            @Override
            public void onNext(Entry entry) {
              smoothed.add(entry);
            }

            @Override
            public void onError(Throwable t) {
              System.out.println("  the subscription to cpu-smooth failed: " + t);
            }

            @Override
            public void onCompleted() {}
          });
      String sensor = "bench-" + System.currentTimeMillis();
      Histogram triggered = new Histogram(3);
      Histogram direct = new Histogram(3);
      long time = 1_700_000_000_000L;
      for (int i = 0; i < samples * 2; i++) {
        boolean viaTopic = i % 2 == 0;
        ByteString reading =
            ByteString.copyFromUtf8(
                "{\"sensorId\":\""
                    + sensor
                    + "\",\"celsius\":40.5,\"timestamp\":"
                    + (time += 60_000)
                    + "}");
        long start = System.nanoTime();
        if (viaTopic) {
          GrpcChannels.unary(
                  topics::publish,
                  PublishRequest.newBuilder().setTopic("cpu-raw").setPayload(reading).build())
              .get();
        } else {
          GrpcChannels.unary(
                  functions::invoke,
                  InvokeRequest.newBuilder()
                      .setType("smooth")
                      .setId(sensor)
                      .setPayload(reading)
                      .build())
              .get();
        }
        Entry out = smoothed.poll(30, TimeUnit.SECONDS);
        if (out == null) {
          throw new IllegalStateException("no output on cpu-smooth within 30 s");
        }
        (viaTopic ? triggered : direct).recordValue(System.nanoTime() - start);
      }
      String caseName = samples + " sequential readings, input to output on cpu-smooth";
      record(
          "trigger",
          caseName,
          "continuum, direct invoke of smooth",
          true,
          "",
          latencies(direct),
          List.of(),
          1);
      record(
          "trigger",
          caseName,
          "continuum, published to cpu-raw",
          false,
          "publish, subscription delivery, invocation, outbox publish",
          latencies(triggered),
          List.of("p50_ms", "p99_ms"),
          1);
    }
    return 0;
  }

  private static Map<String, Double> latencies(Histogram histogram) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("p50_ms", histogram.getValueAtPercentile(50) / 1e6);
    metrics.put("p99_ms", histogram.getValueAtPercentile(99) / 1e6);
    return metrics;
  }
}
