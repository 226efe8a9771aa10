package io.continuum.function;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import scala.collection.immutable.HashMap;
import scala.collection.immutable.HashMap$;
import scala.collection.immutable.Vector;
import scala.collection.immutable.Vector$;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The replies an instance keeps for retried invocations, oldest first, as an immutable value whose
 * every operation costs effectively O(1) (persistent structures share everything but the change): a
 * lookup by request id, an addition, a look at the oldest, and its eviction. A list copied per call
 * cost O(n) at up to {@code max-remembered-replies} replies, and so did a look at the oldest reply
 * of Scala's immutable {@code Queue} (it reverses its input list for every {@code head}).
 *
 * <p>Serialized as the list of replies, oldest first.
 */
public final class StoredReplies {

  /** No replies. */
  public static final StoredReplies EMPTY =
      new StoredReplies(HashMap$.MODULE$.empty(), Vector$.MODULE$.empty());

  private final HashMap<String, StoredReply> byRequestId;
  private final Vector<StoredReply> oldestFirst;

  private StoredReplies(HashMap<String, StoredReply> byRequestId, Vector<StoredReply> oldestFirst) {
    this.byRequestId = byRequestId;
    this.oldestFirst = oldestFirst;
  }

  /** The replies of a list, oldest first, as serialized. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static StoredReplies of(List<StoredReply> oldestFirst) {
    StoredReplies replies = EMPTY;
    for (StoredReply reply : oldestFirst) {
      replies = replies.with(reply);
    }
    return replies;
  }

  /** The reply stored for a request id. */
  public Optional<StoredReply> get(String requestId) {
    return Optional.ofNullable(byRequestId.getOrElse(requestId, () -> null));
  }

  public int size() {
    return oldestFirst.length();
  }

  /**
   * These replies and {@code reply}, without the oldest ones beyond what is kept: every reply
   * younger than the retention (at most {@code max}), and at least the {@code min} newest.
   */
  public StoredReplies added(StoredReply reply, FunctionSettings.Replies kept) {
    StoredReplies next = with(reply);
    long expired = reply.storedAt() - kept.retention().toMillis();
    while (next.size() > kept.max()
        || (next.size() > kept.min() && next.oldestFirst.head().storedAt() < expired)) {
      next = next.withoutOldest();
    }
    return next;
  }

  /** These replies without those stored before {@code cutoff} (epoch milliseconds). */
  public StoredReplies storedSince(long cutoff) {
    StoredReplies next = this;
    while (next.size() > 0 && next.oldestFirst.head().storedAt() < cutoff) {
      next = next.withoutOldest();
    }
    return next.size() == 0 ? EMPTY : next;
  }

  /** About how many bytes of heap these replies take. */
  long estimatedBytes() {
    long bytes = 0;
    for (StoredReply reply : CollectionConverters.asJava(oldestFirst)) {
      bytes += 160 + 2L * reply.requestId().length();
      bytes += reply.payload() == null ? 0 : reply.payload().length;
    }
    return bytes;
  }

  @SuppressWarnings("unchecked") // :+ returns Vector[B >: A], erased; appended is ambiguous in Java
  private StoredReplies with(StoredReply reply) {
    return new StoredReplies(
        byRequestId.updated(reply.requestId(), reply),
        (Vector<StoredReply>) oldestFirst.$colon$plus(reply));
  }

  private StoredReplies withoutOldest() {
    StoredReply oldest = oldestFirst.head();
    HashMap<String, StoredReply> index =
        byRequestId.getOrElse(oldest.requestId(), () -> null) == oldest
            ? byRequestId.removed(oldest.requestId())
            : byRequestId;
    return new StoredReplies(index, oldestFirst.tail());
  }

  /** The replies, oldest first. */
  @JsonValue
  public List<StoredReply> toList() {
    return new ArrayList<>(CollectionConverters.asJava(oldestFirst));
  }
}
