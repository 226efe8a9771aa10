package io.continuum.node.cli;

import io.continuum.gateway.v1.GetStateRequest;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.SendRequest;
import io.continuum.gateway.v1.StateResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code continuum call | send | state}: talk to function instances. */
final class FunctionCommands {

  private FunctionCommands() {}

  /** {@code continuum call TYPE ID JSON}: invoke and print the reply. */
  @Command(
      name = "call",
      description = "Invoke a function instance with a JSON message and print its reply.",
      mixinStandardHelpOptions = true)
  static final class Call implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Mixin MessageArguments message;

    @Option(
        names = "--request-id",
        description = "Makes retries of this call return the first reply.")
    String requestId;

    @Override
    public Integer call() {
      InvokeRequest request =
          InvokeRequest.newBuilder()
              .setType(message.type)
              .setId(message.id)
              .setPayload(message.payload())
              .setMessageType(message.messageTypeOrEmpty())
              .setRequestId(requestId == null ? "" : requestId)
              .build();
      try (GatewayClient client = gateway.connect()) {
        InvokeResponse response = client.functions().invoke(request);
        System.out.println(
            response.getHasReply() ? response.getPayload().toStringUtf8() : "(no reply)");
        return 0;
      }
    }
  }

  /** {@code continuum send TYPE ID JSON}: send without waiting for a reply. */
  @Command(
      name = "send",
      description = "Send a JSON message to a function instance; prints the accepted message id.",
      mixinStandardHelpOptions = true)
  static final class Send implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Mixin MessageArguments message;

    @Option(
        names = "--message-id",
        description = "Makes resends of this message run nothing again.")
    String messageId;

    @Override
    public Integer call() {
      SendRequest request =
          SendRequest.newBuilder()
              .setType(message.type)
              .setId(message.id)
              .setPayload(message.payload())
              .setMessageType(message.messageTypeOrEmpty())
              .setMessageId(messageId == null ? "" : messageId)
              .build();
      try (GatewayClient client = gateway.connect()) {
        System.out.println(client.functions().send(request).getMessageId());
        return 0;
      }
    }
  }

  /** {@code continuum state TYPE ID}: print an instance's state. */
  @Command(
      name = "state",
      description = "Print a function instance's state as JSON.",
      mixinStandardHelpOptions = true)
  static final class State implements Callable<Integer> {
    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "TYPE")
    String type;

    @Parameters(index = "1", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      try (GatewayClient client = gateway.connect()) {
        StateResponse state =
            client
                .functions()
                .getState(GetStateRequest.newBuilder().setType(type).setId(id).build());
        System.out.println(state.getState().toStringUtf8());
        return 0;
      }
    }
  }
}
