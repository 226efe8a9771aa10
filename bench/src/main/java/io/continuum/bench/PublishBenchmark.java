package io.continuum.bench;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.CreateTopicRequest;
import io.continuum.gateway.v1.PublishRequest;
import io.continuum.gateway.v1.TopicServiceClient;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Durable publish through the gateway: 1 KB entries, each acknowledged after it is persisted.
 *
 * <p>Usage: {@code PublishBenchmark HOST:PORT ZONE SECONDS CONCURRENCY...}
 */
public final class PublishBenchmark {

  private PublishBenchmark() {}

  public static void main(String[] args) throws Exception {
    String zone = args[1];
    Duration duration = Duration.ofSeconds(Long.parseLong(args[2]));
    int[] concurrencies = Arrays.stream(args).skip(3).mapToInt(Integer::parseInt).toArray();
    BenchClients clients = new BenchClients(args[0]);
    ActorSystem<Void> system = clients.system;
    TopicServiceClient client = TopicServiceClient.create(clients.settings, system);
    ByteString payload = ByteString.copyFrom(new byte[1024]);
    try {
      for (int concurrency : concurrencies) {
        String topic = "bench-publish-" + concurrency + "-" + System.currentTimeMillis();
        client
            .create(CreateTopicRequest.newBuilder().setName(topic).setHomeZone(zone).build())
            .toCompletableFuture()
            .get();
        PublishRequest request =
            PublishRequest.newBuilder().setTopic(topic).setPayload(payload).build();
        LoadGenerator.Result result =
            LoadGenerator.run(
                "publish 1KB",
                concurrency,
                Duration.ofSeconds(5),
                duration,
                seq -> client.publish(request));
        System.out.println(result);
      }
    } finally {
      client.close();
      clients.close();
    }
  }
}
