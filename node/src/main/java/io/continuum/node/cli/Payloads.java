package io.continuum.node.cli;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.Entry;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How the CLI prints payloads: as text when they are UTF-8, else as {@code base64:...}. */
final class Payloads {

  private Payloads() {}

  static String text(ByteString payload) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return "base64:" + Base64.getEncoder().encodeToString(payload.toByteArray());
    }
  }

  /** One line per entry: index, a tab, the payload. */
  static String line(Entry entry) {
    return entry.getIndex() + "\t" + text(entry.getPayload());
  }
}
