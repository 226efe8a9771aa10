package io.continuum.node;

import com.typesafe.config.Config;
import io.continuum.function.FunctionSettings;

/**
 * Keeps what a client may send within what the cluster can carry: every request the gateway
 * accepts, and every entry a topic may hold, must fit in one cluster remoting frame with room for
 * its envelope, or a call entering through a node that does not host its target could never be
 * delivered (remoting drops a message larger than its frame, and the caller would wait for its
 * deadline).
 */
final class MessageLimits {

  private static final long ENVELOPE_BYTES = FunctionSettings.ENVELOPE_BYTES;

  private static final String FRAME = "pekko.remote.artery.advanced.maximum-frame-size";
  private static final String REQUEST = "continuum.gateway.max-request-bytes";
  private static final String ENTRY = "continuum.topics.entry-bytes-limit";
  private static final String READ_BATCH = "continuum.topics.read-batch-bytes";

  private MessageLimits() {}

  /**
   * Checks the limits of a node's configuration.
   *
   * @throws IllegalArgumentException naming the settings that disagree and how to fix them
   */
  static void check(Config config) {
    long frame = config.getBytes(FRAME);
    long request = config.getBytes(REQUEST);
    long entry = config.getBytes(ENTRY);
    long readBatch = config.getBytes(READ_BATCH);
    require(
        request + ENVELOPE_BYTES <= frame,
        REQUEST
            + " ("
            + request
            + " bytes) must be at least "
            + ENVELOPE_BYTES
            + " bytes below "
            + FRAME
            + " ("
            + frame
            + " bytes): a request the gateway accepts must fit in one"
            + " message between nodes; lower the first or raise the second");
    require(
        entry <= request,
        ENTRY
            + " ("
            + entry
            + " bytes) must not exceed "
            + REQUEST
            + " ("
            + request
            + " bytes): a topic could declare entries no client can publish");
    require(
        readBatch + entry + ENVELOPE_BYTES <= frame,
        READ_BATCH
            + " ("
            + readBatch
            + " bytes) plus "
            + ENTRY
            + " ("
            + entry
            + " bytes) must"
            + " be at least "
            + ENVELOPE_BYTES
            + " bytes below "
            + FRAME
            + " ("
            + frame
            + " bytes): a read's answer must fit in one message between nodes");
  }

  private static void require(boolean holds, String message) {
    if (!holds) {
      throw new IllegalArgumentException(message);
    }
  }
}
