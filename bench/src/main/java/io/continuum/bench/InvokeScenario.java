package io.continuum.bench;

import com.google.protobuf.ByteString;
import io.continuum.bench.echo.EchoMessage;
import io.continuum.bench.echo.EchoServiceGrpc;
import io.continuum.gateway.v1.FunctionServiceGrpc;
import io.continuum.gateway.v1.InvokeRequest;
import io.grpc.Channel;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Stateful request/reply: {@code counter} instances through the gateway (each invocation durable
 * before its reply; caller k always calls its own instance), against the floors, a bare echo
 * service in its own JVM answering the same payload: on Pekko gRPC (Pekko HTTP/2), the gateway's
 * stack until now, and on grpc-java's Netty server, its next. One grpc-java client drives all.
 */
@Command(
    name = "invoke",
    description = "Stateful invoke of counter instances vs bare gRPC echo servers (the floors).",
    mixinStandardHelpOptions = true)
final class InvokeScenario extends ScenarioCommand {

  static final ByteString ADD_ONE = ByteString.copyFromUtf8("{\"add\":1}");

  @Mixin LoadOptions load;

  @Option(
      names = "--gateway",
      defaultValue = "127.0.0.1:19092",
      description = "A gateway in the zone of counter instances (cloud).")
  String gateway;

  @Option(
      names = "--pekko-echo",
      defaultValue = "127.0.0.1:19190",
      description = "The Pekko gRPC echo server.")
  String pekkoEcho;

  @Option(
      names = "--grpc-echo",
      defaultValue = "127.0.0.1:19191",
      description = "The grpc-java echo server.")
  String grpcEcho;

  @Option(
      names = "--systems",
      split = ",",
      defaultValue = "continuum,pekko-echo,grpc-echo",
      description = "Systems to run (default: ${DEFAULT-VALUE}).")
  List<String> systems;

  @Override
  public Integer call() throws Exception {
    EchoMessage message = EchoMessage.newBuilder().setPayload(ADD_ONE).build();
    try (GrpcChannels channels = new GrpcChannels()) {
      for (String system : systems) {
        switch (system) {
          case "continuum" ->
              measureLoad(
                  "invoke",
                  load,
                  "callers",
                  "",
                  "continuum",
                  false,
                  "counter instances, each invocation persisted before its reply; "
                      + journalSetting(),
                  concurrency -> counter(channels.to(gateway), "invoke", concurrency));
          case "pekko-echo" ->
              measureLoad(
                  "invoke",
                  load,
                  "callers",
                  "",
                  "pekko-grpc echo",
                  false,
                  "bare Pekko gRPC service on Pekko HTTP/2 in its own JVM (the gateway's stack"
                      + " until now): no actors, no state, no journal",
                  concurrency -> echo(channels.to(pekkoEcho), message));
          case "grpc-echo" ->
              measureLoad(
                  "invoke",
                  load,
                  "callers",
                  "",
                  "grpc-java echo",
                  true,
                  "bare grpc-java service on its Netty server in its own JVM, handler on the event"
                      + " loop: no actors, no state, no journal",
                  concurrency -> echo(channels.to(grpcEcho), message));
          default -> throw new IllegalArgumentException("unknown system " + system);
        }
      }
    }
    return 0;
  }

  private static Operation echo(Channel channel, EchoMessage message) {
    EchoServiceGrpc.EchoServiceStub echo = EchoServiceGrpc.newStub(channel);
    return (slot, seq) -> GrpcChannels.unary(echo::echo, message);
  }

  /** Adds 1 to counter {@code <run>-<millis>-<slot>}: each slot calls an instance of its own. */
  static Operation counter(Channel gateway, String run, int slots) {
    FunctionServiceGrpc.FunctionServiceStub functions = FunctionServiceGrpc.newStub(gateway);
    String prefix = run + "-" + System.currentTimeMillis() + "-";
    InvokeRequest[] requests = new InvokeRequest[slots];
    for (int slot = 0; slot < slots; slot++) {
      requests[slot] =
          InvokeRequest.newBuilder()
              .setType("counter")
              .setId(prefix + slot)
              .setPayload(ADD_ONE)
              .build();
    }
    return (slot, seq) -> GrpcChannels.unary(functions::invoke, requests[slot]);
  }
}
