package io.continuum.node.cli;

import com.google.protobuf.ByteString;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The instance and JSON message of {@code call} and {@code send}. */
final class MessageArguments {

  @Parameters(index = "0", paramLabel = "TYPE", description = "The function type.")
  String type;

  @Parameters(index = "1", paramLabel = "ID", description = "The instance id.")
  String id;

  @Parameters(index = "2", paramLabel = "JSON", description = "The message as JSON.")
  String json;

  @Option(names = "--message-type", description = "Message type name, when the JSON fits several.")
  String messageType;

  ByteString payload() {
    return ByteString.copyFromUtf8(json);
  }

  /** The message type, or an empty string (proto's "unset") when not given. */
  String messageTypeOrEmpty() {
    return messageType == null ? "" : messageType;
  }
}
