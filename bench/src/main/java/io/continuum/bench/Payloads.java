package io.continuum.bench;

import java.nio.charset.StandardCharsets;

/** Payloads of an exact size that every system under test is given alike. */
final class Payloads {

  private Payloads() {}

  /**
   * A JSON object {@code {"key":KEY,"pad":"..."}} of exactly {@code size} bytes, so that a
   * subscribed function can bind it and route it by key.
   *
   * @throws IllegalArgumentException when {@code size} is too small for the key
   */
  static byte[] json(String key, int size) {
    String head = "{\"key\":\"" + key + "\",\"pad\":\"";
    String tail = "\"}";
    int pad = size - head.length() - tail.length();
    if (pad < 0) {
      throw new IllegalArgumentException("payload size " + size + " is too small");
    }
    return (head + "x".repeat(pad) + tail).getBytes(StandardCharsets.UTF_8);
  }
}
