package io.continuum.function;

import io.continuum.serialization.CborSerializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable progress of a subscription: every entry up to {@code position} was handled (or
 * recorded as failed), and the failures operators should see.
 *
 * @param position the highest index such that it and every earlier one are done
 * @param failed the most recent failed entries, oldest first
 * @param failedTotal how many entries failed in all
 */
public record SubscriptionState(long position, List<FailedEntry> failed, long failedTotal)
    implements CborSerializable {

  public static final SubscriptionState START = new SubscriptionState(0, List.of(), 0);

  /**
   * An entry that could not be handled.
   *
   * @param index the entry's index in the topic
   * @param instance the instance id it was for, or {@code null} when it could not be decoded
   * @param error why
   * @param at when it was given up on, epoch milliseconds
   */
  public record FailedEntry(long index, String instance, String error, long at)
      implements CborSerializable {}

  SubscriptionState advanced(long to) {
    return new SubscriptionState(Math.max(position, to), failed, failedTotal);
  }

  SubscriptionState withFailure(FailedEntry entry, int remembered) {
    List<FailedEntry> next = new ArrayList<>(failed);
    next.add(entry);
    while (next.size() > remembered) {
      next.remove(0);
    }
    return new SubscriptionState(position, List.copyOf(next), failedTotal + 1);
  }
}
