package io.continuum.bench;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.Entry;
import io.continuum.gateway.v1.FunctionServiceClient;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.LatestRequest;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.SubscribeRequest;
import io.continuum.gateway.v1.TopicServiceClient;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.GrpcClientSettings;

/**
 * A topic-triggered invocation against a direct one, sequentially, on the example pipeline: the
 * time from publishing a reading to {@code cpu-raw} until {@code smooth}'s output for it appears on
 * {@code cpu-smooth} (publish, subscription delivery, invocation, outbox publish), against invoking
 * {@code smooth} directly with the same reading and waiting for its output the same way.
 *
 * <p>Usage: {@code TriggerBenchmark HOST:PORT SAMPLES}
 */
public final class TriggerBenchmark {

  private TriggerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int samples = Integer.parseInt(args[1]);
    BenchClients clients = new BenchClients(args[0]);
    ActorSystem<Void> system = clients.system;
    GrpcClientSettings settings = clients.settings;
    TopicServiceClient topics = TopicServiceClient.create(settings, system);
    FunctionServiceClient functions = FunctionServiceClient.create(settings, system);
    LinkedBlockingQueue<Entry> smoothed = new LinkedBlockingQueue<>();
    long from =
        topics
                .latest(LatestRequest.newBuilder().setTopic("cpu-smooth").build())
                .toCompletableFuture()
                .get()
                .getIndex()
            + 1;
    topics
        .subscribe(SubscribeRequest.newBuilder().setTopic("cpu-smooth").setFromIndex(from).build())
        .runForeach(smoothed::add, system);
    try {
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
          topics
              .publish(PublishRequest.newBuilder().setTopic("cpu-raw").setPayload(reading).build())
              .toCompletableFuture()
              .get();
        } else {
          functions
              .invoke(
                  InvokeRequest.newBuilder()
                      .setType("smooth")
                      .setId(sensor)
                      .setPayload(reading)
                      .build())
              .toCompletableFuture()
              .get();
        }
        Entry out = smoothed.poll(30, TimeUnit.SECONDS);
        if (out == null) {
          throw new IllegalStateException("no output on cpu-smooth within 30 s");
        }
        (viaTopic ? triggered : direct).recordValue(System.nanoTime() - start);
      }
      System.out.printf(
          "input to output on cpu-smooth, %d samples each: topic-triggered p50 %.2f ms p99 %.2f ms;"
              + " direct invoke p50 %.2f ms p99 %.2f ms%n",
          samples,
          triggered.getValueAtPercentile(50) / 1e6,
          triggered.getValueAtPercentile(99) / 1e6,
          direct.getValueAtPercentile(50) / 1e6,
          direct.getValueAtPercentile(99) / 1e6);
    } finally {
      topics.close();
      functions.close();
      clients.close();
    }
  }
}
