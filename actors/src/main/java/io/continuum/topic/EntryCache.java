package io.continuum.topic;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest entries of an active topic, bounded by count and bytes, so that tails and recent reads
 * are served from memory while old entries are read from the journal.
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
   * Adds the newest entry. Entries at or after its index are dropped first: the event handler runs
   * before a write is confirmed, so after a failed write and a restart the cache may hold entries
   * that were never written, and the replayed or next real entry replaces them.
   */
  void add(Entry entry) {
    while (!entries.isEmpty() && entries.peekLast().index() >= entry.index()) {
      bytes -= entries.removeLast().payload().length;
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
   * Entries {@code from..to}, at most {@code max} of them and, beyond the first, at most {@code
   * maxBytes} of payload.
   */
  List<Entry> range(long from, long to, int max, long maxBytes) {
    List<Entry> result = new ArrayList<>();
    long total = 0;
    for (Entry entry : entries) {
      if (entry.index() < from) {
        continue;
      }
      if (entry.index() > to) {
        break;
      }
      total += entry.payload().length;
      if (result.size() >= max || (!result.isEmpty() && total > maxBytes)) {
        break;
      }
      result.add(entry);
    }
    return result;
  }
}
