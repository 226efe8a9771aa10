package io.continuum.testkit;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Asks a CQL server whether it speaks the native protocol, without a driver: sends a protocol v4
 * {@code OPTIONS} request over a plain socket and expects a {@code SUPPORTED} response.
 */
final class CqlProbe {

  private static final byte REQUEST_V4 = 0x04;
  private static final byte RESPONSE_V4 = (byte) 0x84;
  private static final byte OPCODE_OPTIONS = 0x05;
  private static final byte OPCODE_SUPPORTED = 0x06;

  /** version, flags, stream id (2 bytes), opcode, body length (4 bytes, here 0). */
  private static final byte[] OPTIONS_FRAME = {REQUEST_V4, 0, 0, 0, OPCODE_OPTIONS, 0, 0, 0, 0};

  private CqlProbe() {}

  /**
   * Whether a CQL server answers on {@code host:port} within {@code timeoutMillis} (for the
   * connection and for the response each).
   */
  static boolean answers(String host, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      socket.getOutputStream().write(OPTIONS_FRAME);
      socket.getOutputStream().flush();
      byte[] header = new byte[OPTIONS_FRAME.length];
      new DataInputStream(socket.getInputStream()).readFully(header);
      return header[0] == RESPONSE_V4 && header[4] == OPCODE_SUPPORTED;
    } catch (IOException notYet) {
      return false;
    }
  }
}
