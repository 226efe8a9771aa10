package io.continuum.function;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.ActorRef;

/**
 * The function instances of one node that went idle, each in its compact form: the durable state it
 * had when it stopped (without expired replies) and the sequence number of its last event. An
 * instance that is called again starts from its compact form, reading only the highest sequence
 * number from the journal instead of its snapshot and events; a running instance takes several
 * kilobytes of heap, a compact one a few hundred bytes plus its state.
 *
 * <p>A compact form is valid only in the shard incarnation that made it (the shard actor, the
 * instances' parent): a shard that moved to another node and came back is a new actor, whose
 * instances recover from the journal. And an instance that finds the journal ahead of its compact
 * form (another incarnation wrote since, e.g. in another zone) discards it and recovers from the
 * journal.
 *
 * <p>The forms are bounded by an estimate of their bytes; beyond it the instances idle longest lose
 * theirs and recover from the journal when called again. Thread-safe: instances of every shard of
 * the node put and take concurrently.
 */
public final class IdleInstances {

  /** What an estimate adds per instance to its state and replies: key, entry, records. */
  static final int OVERHEAD_BYTES = 240;

  /**
   * One idle instance.
   *
   * @param state its durable state, quiet (nothing to deliver, nothing delayed)
   * @param sequenceNr the sequence number of its last event
   * @param shard the shard actor it ran in (its parent), whose incarnation the form is valid in
   */
  public record Compact(FunctionState state, long sequenceNr, ActorRef shard) {

    long estimatedBytes(String key) {
      return OVERHEAD_BYTES + 2L * key.length() + state.estimatedBytes();
    }
  }

  private final long maxBytes;
  private final Map<String, Compact> oldestFirst = new LinkedHashMap<>();
  private long bytes;

  /** Forms of at most about {@code maxBytes} bytes. */
  public IdleInstances(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Keeps the compact form of the instance with entity id {@code key}. */
  public synchronized void put(String key, Compact compact) {
    long size = compact.estimatedBytes(key);
    if (size > maxBytes) {
      return;
    }
    Compact previous = oldestFirst.put(key, compact);
    bytes += size - (previous == null ? 0 : previous.estimatedBytes(key));
    Iterator<Map.Entry<String, Compact>> oldest = oldestFirst.entrySet().iterator();
    while (bytes > maxBytes) {
      Map.Entry<String, Compact> evicted = oldest.next();
      bytes -= evicted.getValue().estimatedBytes(evicted.getKey());
      oldest.remove();
    }
  }

  /**
   * Removes and returns the compact form of the instance with entity id {@code key}, when it was
   * made in {@code shard} (this incarnation of the instance's shard actor).
   */
  public synchronized Optional<Compact> take(String key, ActorRef shard) {
    Compact compact = oldestFirst.remove(key);
    if (compact == null) {
      return Optional.empty();
    }
    bytes -= compact.estimatedBytes(key);
    return compact.shard().equals(shard) ? Optional.of(compact) : Optional.empty();
  }

  /** How many instances are kept. */
  public synchronized int size() {
    return oldestFirst.size();
  }

  /** The estimated bytes of the forms kept. */
  public synchronized long estimatedBytes() {
    return bytes;
  }
}
