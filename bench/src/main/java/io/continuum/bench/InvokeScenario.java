package io.continuum.bench;

import com.google.protobuf.ByteString;
import io.continuum.bench.echo.EchoMessage;
import io.continuum.bench.echo.EchoServiceClient;
import io.continuum.gateway.v1.FunctionServiceClient;
import io.continuum.gateway.v1.InvokeRequest;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Stateful request/reply: {@code counter} instances through the gateway (each invocation durable
 * before its reply; caller k always calls its own instance), against the floor, a bare Pekko gRPC
 * echo service in its own JVM answering the same payload.
 */
@Command(
    name = "invoke",
    description = "Stateful invoke of counter instances vs a bare Pekko gRPC echo (the floor).",
    mixinStandardHelpOptions = true)
final class InvokeScenario extends ScenarioCommand {

  static final ByteString ADD_ONE = ByteString.copyFromUtf8("{\"add\":1}");

  @Mixin LoadOptions load;

  @Option(
      names = "--gateway",
      defaultValue = "127.0.0.1:19092",
      description = "A gateway in the zone of counter instances (cloud).")
  String gateway;

  @Option(names = "--echo", defaultValue = "127.0.0.1:19190", description = "The echo server.")
  String echo;

  @Override
  public Integer call() throws Exception {
    try (BenchClients clients = new BenchClients()) {
      FunctionServiceClient functions =
          FunctionServiceClient.create(clients.settings(gateway), clients.system);
      EchoServiceClient echoClient =
          EchoServiceClient.create(clients.settings(echo), clients.system);
      EchoMessage message = EchoMessage.newBuilder().setPayload(ADD_ONE).build();
      for (int concurrency : load.concurrency) {
        String caseName = load.caseName(concurrency, "callers");
        record(
            "invoke",
            caseName,
            "continuum",
            false,
            "counter instances, each invocation persisted before its reply; " + journalSetting(),
            LoadGenerator.run(
                "invoke counter", load.plan(concurrency), counter(functions, "invoke")));
        record(
            "invoke",
            caseName,
            "pekko-grpc echo (floor)",
            true,
            "bare Pekko gRPC service in its own JVM: same stack, no actors, no state, no journal",
            LoadGenerator.run(
                "echo", load.plan(concurrency), (slot, seq) -> echoClient.echo(message)));
      }
      functions.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      echoClient.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    return 0;
  }

  /** Adds 1 to counter {@code <run>-<millis>-<slot>}: each slot calls an instance of its own. */
  static Operation counter(FunctionServiceClient functions, String run) {
    String prefix = run + "-" + System.currentTimeMillis() + "-";
    return (slot, seq) ->
        functions.invoke(
            InvokeRequest.newBuilder()
                .setType("counter")
                .setId(prefix + slot)
                .setPayload(ADD_ONE)
                .build());
  }
}
