package io.continuum.topic;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import scala.Tuple2;
import scala.collection.immutable.HashMap;
import scala.collection.immutable.HashMap$;
import scala.collection.immutable.LongMap;
import scala.collection.immutable.LongMap$;
import scala.collection.immutable.Vector;
import scala.collection.immutable.Vector$;
import scala.collection.mutable.ReusableBuilder;

/**
 * The sequence numbers of idempotent producers a topic remembers, with the index each was appended
 * at, so that a repeated publish returns its original index instead of appending again. An
 * immutable value whose operations cost effectively O(1) (Scala's persistent {@code HashMap} and
 * {@code Vector}, which share everything but the change) or O(log n) (its {@code LongMap}), so a
 * publish never copies what the topic remembers.
 *
 * <p>Sequence numbers are forgotten lazily, oldest appended first, as entries are appended (by
 * their {@code publishedAt}, so that recovery rebuilds the same value): those published more than
 * the {@link DuplicateWindow} before the newest entry and, beyond {@link
 * DuplicateWindow#maxSequences()}, the oldest whatever their age. Each producer keeps the highest
 * of its sequence numbers that were forgotten: a repeat at or below it that is not remembered is
 * {@link #isForgotten forgotten}, as the topic cannot tell whether it was published, and must be
 * refused rather than appended twice. This holds for a producer idle for longer than the window
 * too, as long as it is remembered: beyond {@link DuplicateWindow#maxProducers()}, the producer
 * that appended least recently is forgotten entirely, and what it publishes next is taken as a new
 * producer's.
 *
 * <p>Serialized as its {@link Form}: parallel arrays, no object per sequence number. Its fields are
 * hidden from Jackson, which Pekko lets see every field and which would look for a deserializer of
 * them even though it never uses one.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE)
public final class ProducerSequences {

  /** Nothing remembered. */
  public static final ProducerSequences EMPTY =
      new ProducerSequences(
          Vector$.MODULE$.empty(),
          HashMap$.MODULE$.empty(),
          HashMap$.MODULE$.empty(),
          LongMap$.MODULE$.empty());

  /**
   * A sequence number of a producer. Its hash is written out: a record's, {@code 31 *
   * producerId.hashCode() + seq}, is the same for producers whose ids differ in their last
   * characters (so their hashes differ by a little) at sequence numbers a multiple of 31 apart.
   * With 1,000 such producers, 94% of 100,000 remembered sequence numbers shared their hash with
   * another, in collision nodes that are searched linearly and took 185 bytes per sequence number
   * instead of 100. Spreading the sequence number over all bits first (Fibonacci hashing) leaves
   * collisions to chance.
   */
  private record Sequence(String producerId, long seq) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Sequence that
          && seq == that.seq
          && producerId.equals(that.producerId);
    }

    @Override
    public int hashCode() {
      return producerId.hashCode() ^ Long.hashCode(seq * 0x9E3779B97F4A7C15L);
    }
  }

  /** A remembered sequence number: the index it was appended at, and when. */
  private record Remembered(Sequence sequence, long index, long publishedAt) {}

  /**
   * A remembered producer.
   *
   * @param id its id, the one instance its remembered sequence numbers share
   * @param forgottenUpTo the highest of its sequence numbers that was forgotten, 0 when none
   * @param lastIndex the index of its newest entry
   */
  private record Producer(String id, long forgottenUpTo, long lastIndex) {}

  private final Vector<Remembered> oldestFirst;
  private final HashMap<Sequence, Remembered> bySequence;
  private final HashMap<String, Producer> producers;

  /**
   * The remembered producers by the index of their newest entry: the first appended least recently.
   */
  private final LongMap<String> byLastIndex;

  private ProducerSequences(
      Vector<Remembered> oldestFirst,
      HashMap<Sequence, Remembered> bySequence,
      HashMap<String, Producer> producers,
      LongMap<String> byLastIndex) {
    this.oldestFirst = oldestFirst;
    this.bySequence = bySequence;
    this.producers = producers;
    this.byLastIndex = byLastIndex;
  }

  /** The index a producer's sequence number was appended at, if remembered. */
  public OptionalLong indexOf(String producerId, long seq) {
    Remembered remembered = bySequence.getOrElse(new Sequence(producerId, seq), () -> null);
    return remembered == null ? OptionalLong.empty() : OptionalLong.of(remembered.index());
  }

  /**
   * True when a sequence number that is not remembered is at or below the highest one of its
   * producer that was forgotten: it may have been published, so it must not be appended.
   */
  public boolean isForgotten(String producerId, long seq) {
    Producer producer = producers.getOrElse(producerId, () -> null);
    return producer != null && seq <= producer.forgottenUpTo();
  }

  /** How many sequence numbers are remembered. */
  public int size() {
    return oldestFirst.length();
  }

  /** How many producers are remembered. */
  public int producerCount() {
    return producers.size();
  }

  /**
   * These sequence numbers with one appended at {@code index}, and without those it makes the
   * window forget.
   */
  public ProducerSequences appended(
      String producerId, long seq, long index, long publishedAt, DuplicateWindow window) {
    Producer known = producers.getOrElse(producerId, () -> null);
    String id = known != null ? known.id() : producerId;
    Remembered remembered = new Remembered(new Sequence(id, seq), index, publishedAt);
    HashMap<String, Producer> nextProducers =
        producers.updated(id, new Producer(id, known != null ? known.forgottenUpTo() : 0, index));
    LongMap<String> nextByLastIndex =
        (known != null ? byLastIndex.removed(known.lastIndex()) : byLastIndex).updated(index, id);
    if (nextProducers.size() > window.maxProducers()) {
      long leastRecent = nextByLastIndex.firstKey();
      nextProducers = nextProducers.removed(nextByLastIndex.apply(leastRecent));
      nextByLastIndex = nextByLastIndex.removed(leastRecent);
    }
    return new ProducerSequences(
            appendedTo(oldestFirst, remembered),
            bySequence.updated(remembered.sequence(), remembered),
            nextProducers,
            nextByLastIndex)
        .expired(publishedAt, window);
  }

  /**
   * These sequence numbers without those published more than the window before {@code now}, and
   * without the oldest beyond the window's maximum.
   */
  public ProducerSequences expired(long now, DuplicateWindow window) {
    long oldestKept = now - window.length().toMillis();
    ProducerSequences kept = this;
    while (!kept.oldestFirst.isEmpty()
        && (kept.size() > window.maxSequences()
            || kept.oldestFirst.head().publishedAt() < oldestKept)) {
      kept = kept.withoutOldest();
    }
    return kept;
  }

  private ProducerSequences withoutOldest() {
    Remembered oldest = oldestFirst.head();
    Sequence sequence = oldest.sequence();
    HashMap<Sequence, Remembered> index =
        bySequence.getOrElse(sequence, () -> null) == oldest
            ? bySequence.removed(sequence)
            : bySequence;
    Producer producer = producers.getOrElse(sequence.producerId(), () -> null);
    HashMap<String, Producer> nextProducers =
        producer != null && sequence.seq() > producer.forgottenUpTo()
            ? producers.updated(
                producer.id(), new Producer(producer.id(), sequence.seq(), producer.lastIndex()))
            : producers;
    return new ProducerSequences(oldestFirst.tail(), index, nextProducers, byLastIndex);
  }

  @SuppressWarnings("unchecked") // :+ returns Vector[B >: A], erased; appended is ambiguous in Java
  private static Vector<Remembered> appendedTo(Vector<Remembered> vector, Remembered remembered) {
    return (Vector<Remembered>) vector.$colon$plus(remembered);
  }

  /**
   * The serialized form: the remembered producers, least recently appending first, then the
   * remembered sequence numbers, oldest first, each as parallel arrays.
   *
   * @param ids producer ids: the remembered producers first, then those of remembered sequence
   *     numbers whose producer was forgotten
   * @param forgottenUpTo of each remembered producer, the highest of its sequence numbers that was
   *     forgotten
   * @param lastIndexes of each remembered producer, the index of its newest entry
   * @param producers of each remembered sequence number, the position of its producer in {@code
   *     ids}
   * @param seqs each remembered sequence number
   * @param indexes the index each was appended at
   * @param publishedAt when each was published, epoch milliseconds
   */
  public record Form(
      List<String> ids,
      long[] forgottenUpTo,
      long[] lastIndexes,
      int[] producers,
      long[] seqs,
      long[] indexes,
      long[] publishedAt) {}

  /** The serialized form of these sequence numbers. */
  @JsonValue
  public Form toForm() {
    List<String> ids = new ArrayList<>();
    java.util.Map<String, Integer> positions = new java.util.HashMap<>();
    int producerCount = producers.size();
    long[] forgottenUpTo = new long[producerCount];
    long[] lastIndexes = new long[producerCount];
    scala.collection.Iterator<String> leastRecentFirst = byLastIndex.valuesIterator();
    while (leastRecentFirst.hasNext()) {
      Producer producer = producers.apply(leastRecentFirst.next());
      forgottenUpTo[ids.size()] = producer.forgottenUpTo();
      lastIndexes[ids.size()] = producer.lastIndex();
      positions.put(producer.id(), ids.size());
      ids.add(producer.id());
    }
    int size = size();
    int[] producerOf = new int[size];
    long[] seqs = new long[size];
    long[] indexes = new long[size];
    long[] publishedAt = new long[size];
    scala.collection.Iterator<Remembered> remembered = oldestFirst.iterator();
    for (int i = 0; i < size; i++) {
      Remembered next = remembered.next();
      String id = next.sequence().producerId();
      producerOf[i] =
          positions.computeIfAbsent(
              id,
              unknown -> {
                ids.add(unknown);
                return ids.size() - 1;
              });
      seqs[i] = next.sequence().seq();
      indexes[i] = next.index();
      publishedAt[i] = next.publishedAt();
    }
    return new Form(ids, forgottenUpTo, lastIndexes, producerOf, seqs, indexes, publishedAt);
  }

  /** Sequence numbers from their serialized form. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ProducerSequences of(Form form) {
    HashMap<String, Producer> producers = HashMap$.MODULE$.empty();
    LongMap<String> byLastIndex = LongMap$.MODULE$.empty();
    for (int i = 0; i < form.forgottenUpTo().length; i++) {
      String id = form.ids().get(i);
      producers =
          producers.updated(id, new Producer(id, form.forgottenUpTo()[i], form.lastIndexes()[i]));
      byLastIndex = byLastIndex.updated(form.lastIndexes()[i], id);
    }
    // Builders: a snapshot of 100,000 sequence numbers reads in a fifth of the time.
    ReusableBuilder<Remembered, Vector<Remembered>> oldestFirst = Vector$.MODULE$.newBuilder();
    ReusableBuilder<Tuple2<Sequence, Remembered>, HashMap<Sequence, Remembered>> bySequence =
        HashMap$.MODULE$.newBuilder();
    for (int i = 0; i < form.seqs().length; i++) {
      Remembered remembered =
          new Remembered(
              new Sequence(form.ids().get(form.producers()[i]), form.seqs()[i]),
              form.indexes()[i],
              form.publishedAt()[i]);
      oldestFirst.addOne(remembered);
      bySequence.addOne(new Tuple2<>(remembered.sequence(), remembered));
    }
    return new ProducerSequences(oldestFirst.result(), bySequence.result(), producers, byLastIndex);
  }
}
