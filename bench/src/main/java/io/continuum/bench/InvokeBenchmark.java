package io.continuum.bench;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.FunctionServiceClient;
import io.continuum.gateway.v1.InvokeRequest;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Stateful invoke through the gateway: request/reply to {@code counter} instances (the example
 * application), each invocation durable before its reply. With concurrency c, caller k always calls
 * instance {@code bench-k}, so instances are never shared between callers.
 *
 * <p>Usage: {@code InvokeBenchmark HOST:PORT SECONDS CONCURRENCY...}
 */
public final class InvokeBenchmark {

  private InvokeBenchmark() {}

  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(Long.parseLong(args[1]));
    int[] concurrencies = Arrays.stream(args).skip(2).mapToInt(Integer::parseInt).toArray();
    BenchClients clients = new BenchClients(args[0]);
    ActorSystem<Void> system = clients.system;
    FunctionServiceClient client = FunctionServiceClient.create(clients.settings, system);
    ByteString add = ByteString.copyFromUtf8("{\"add\":1}");
    try {
      for (int concurrency : concurrencies) {
        String run = "bench-" + System.currentTimeMillis() + "-";
        LoadGenerator.Result result =
            LoadGenerator.run(
                "invoke counter",
                concurrency,
                Duration.ofSeconds(5),
                duration,
                seq ->
                    client.invoke(
                        InvokeRequest.newBuilder()
                            .setType("counter")
                            .setId(run + (seq % concurrency))
                            .setPayload(add)
                            .build()));
        System.out.println(result);
      }
    } finally {
      client.close();
      clients.close();
    }
  }
}
