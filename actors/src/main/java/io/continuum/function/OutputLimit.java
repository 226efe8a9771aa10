package io.continuum.function;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The largest output a handler may produce: each reply and effect must fit in one message between
 * nodes ({@link FunctionSettings#maxMessageBytes()}), or cluster remoting would drop it.
 */
final class OutputLimit {

  private OutputLimit() {}

  /**
   * What of the output of handler of {@code function} is larger than one message between nodes
   * carries, if anything: it could never be delivered (cluster remoting drops it), so the
   * invocation is refused instead.
   */
  static Optional<String> check(
      String function,
      int max,
      List<OutboxEntry> outbox,
      List<DelayedMessage> delayed,
      FunctionInstance.Replied reply) {
    String what = null;
    int bytes = 0;
    if (reply.payload() != null && reply.payload().length > max) {
      what = "a reply";
      bytes = reply.payload().length;
    }
    for (OutboxEntry entry : outbox) {
      if (entry.payload().length > max) {
        what = "a " + entry.kind().name().toLowerCase(Locale.ROOT) + " to '" + entry.target() + "'";
        bytes = entry.payload().length;
      }
    }
    for (DelayedMessage message : delayed) {
      if (message.payload().length > max) {
        what = "a delayed message to '" + message.target() + "'";
        bytes = message.payload().length;
      }
    }
    return what == null
        ? Optional.empty()
        : Optional.of(
            "function '"
                + function
                + "' produced "
                + what
                + " of "
                + bytes
                + " bytes; a message between nodes carries at most "
                + max
                + " bytes (pekko.remote.artery.advanced.maximum-frame-size less 64 KiB)");
  }
}
