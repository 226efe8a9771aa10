package io.continuum.topic;

import io.continuum.serialization.CborSerializable;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The most recent sequence numbers of one idempotent producer and the indexes they were appended
 * at, so that a retried publish returns its original index instead of appending again.
 *
 * @param seqs remembered sequence numbers, ascending
 * @param indexes the index each of those was appended at
 */
public record ProducerWindow(long[] seqs, long[] indexes) implements CborSerializable {

  /** Sequence numbers remembered per producer; a retry older than these is refused. */
  public static final int SIZE = 32;

  static final ProducerWindow EMPTY = new ProducerWindow(new long[0], new long[0]);

  /** The index a sequence number was appended at, if remembered. */
  public OptionalLong indexOf(long seq) {
    int at = Arrays.binarySearch(seqs, seq);
    return at >= 0 ? OptionalLong.of(indexes[at]) : OptionalLong.empty();
  }

  /** True when {@code seq} is unknown and older than everything remembered: it may be a replay. */
  public boolean isTooOld(long seq) {
    return seqs.length == SIZE && seq < seqs[0];
  }

  /** The newest index this producer appended, 0 when none. */
  public long lastIndex() {
    long last = 0;
    for (long index : indexes) {
      last = Math.max(last, index);
    }
    return last;
  }

  /**
   * This window with one more appended sequence number, dropping the oldest beyond {@link #SIZE}.
   */
  public ProducerWindow with(long seq, long index) {
    int at = -Arrays.binarySearch(seqs, seq) - 1;
    long[] newSeqs = new long[seqs.length + 1];
    long[] newIndexes = new long[seqs.length + 1];
    System.arraycopy(seqs, 0, newSeqs, 0, at);
    System.arraycopy(indexes, 0, newIndexes, 0, at);
    newSeqs[at] = seq;
    newIndexes[at] = index;
    System.arraycopy(seqs, at, newSeqs, at + 1, seqs.length - at);
    System.arraycopy(indexes, at, newIndexes, at + 1, seqs.length - at);
    int drop = Math.max(0, newSeqs.length - SIZE);
    return new ProducerWindow(
        Arrays.copyOfRange(newSeqs, drop, newSeqs.length),
        Arrays.copyOfRange(newIndexes, drop, newIndexes.length));
  }
}
