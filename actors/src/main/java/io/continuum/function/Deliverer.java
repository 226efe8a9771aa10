package io.continuum.function;

import io.continuum.reply.Rejection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Carries out outbox entries: sends messages to instances and publishes to topics. */
public interface Deliverer {

  /**
   * Delivers one entry on behalf of {@code sender}, which the receiver uses with the entry's
   * sequence number to drop repeats.
   *
   * @return empty when the destination took the entry; a rejection when it refused it for good (the
   *     receiving handler failed); a failed stage when the destination could not be reached, so the
   *     entry is to be delivered again
   */
  CompletionStage<Optional<Rejection>> deliver(String sender, OutboxEntry entry);
}
