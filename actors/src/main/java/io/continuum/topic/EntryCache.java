package io.continuum.topic;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The newest entries of an active topic, bounded by count and bytes, so that tails and recent reads
 * are served from memory while old entries are read from the journal. The entries are always one
 * run of consecutive indexes.
 */
final class EntryCache {

  private final int maxEntries;
  private final long maxBytes;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long bytes;

  EntryCache(int maxEntries, long maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /**
   * Adds the entry after the newest. One that does not directly follow the newest (the journal
   * replayed after the topic restarted) starts the cache over.
   */
  void add(Entry entry) {
    Entry newest = entries.peekLast();
    if (newest != null && entry.index() != newest.index() + 1) {
      entries.clear();
      bytes = 0;
    }
    entries.addLast(entry);
    bytes += entry.payload().length;
    while (entries.size() > 1 && (entries.size() > maxEntries || bytes > maxBytes)) {
      bytes -= entries.removeFirst().payload().length;
    }
  }

  /** True when the cache holds {@code index} and everything after it. */
  boolean covers(long index) {
    return !entries.isEmpty() && entries.peekFirst().index() <= index;
  }

  /**
   * Entries from {@code from} on, at most {@code max} of them and, beyond the first, at most {@code
   * maxBytes} of payload.
   */
  List<Entry> range(long from, int max, long maxBytes) {
    List<Entry> result = new ArrayList<>();
    long total = 0;
    for (Entry entry : entries) {
      if (entry.index() < from) {
        continue;
      }
      total += entry.payload().length;
      if (result.size() >= max || (!result.isEmpty() && total > maxBytes)) {
        break;
      }
      result.add(entry);
    }
    return result;
  }

  /** Forgets the entries after {@code index}. */
  void dropAfter(long index) {
    while (!entries.isEmpty() && entries.peekLast().index() > index) {
      bytes -= entries.removeLast().payload().length;
    }
  }

  Optional<Entry> newest() {
    return Optional.ofNullable(entries.peekLast());
  }
}
