package io.continuum.function;

import io.continuum.serialization.CborSerializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable state of a function instance: the application's state as JSON, the de-duplication
 * positions of its senders, its outbox and delayed messages, and recent replies.
 *
 * @param state the application state as JSON, {@code null} before the first change
 * @param seen highest sequence number handled per sender
 * @param channelSeqs last sequence number assigned per outbound channel
 * @param outbox effects not yet acknowledged, in the order they were recorded
 * @param delayed messages waiting for their time
 * @param nextDelayedId id of the next delayed message
 * @param replies replies of the last invocations with a request id, oldest first
 * @param zone the zone of the incarnation that handled the last message ({@code null} before)
 */
public record FunctionState(
    byte[] state,
    Map<String, Long> seen,
    Map<String, Long> channelSeqs,
    List<OutboxEntry> outbox,
    List<DelayedMessage> delayed,
    long nextDelayedId,
    StoredReplies replies,
    String zone)
    implements CborSerializable {

  public static final FunctionState EMPTY =
      new FunctionState(
          null, Map.of(), Map.of(), List.of(), List.of(), 1, StoredReplies.EMPTY, null);

  /** True when {@code seq} from {@code sender} was handled already. */
  public boolean hasSeen(String sender, long seq) {
    return seq <= seen.getOrDefault(sender, 0L);
  }

  /** The reply stored for a request id. */
  public Optional<StoredReply> replyTo(String requestId) {
    return replies.get(requestId);
  }

  /** True when nothing waits to be delivered or to fire. */
  public boolean isQuiet() {
    return outbox.isEmpty() && delayed.isEmpty();
  }

  /**
   * This state as an idle instance keeps it: without the replies stored before {@code replyCutoff}
   * (no attempt of their calls can arrive any more), and with {@code zone}'s string shared instead
   * of the copy read from the journal.
   */
  FunctionState compacted(long replyCutoff, String zone) {
    return new FunctionState(
        state,
        seen,
        channelSeqs,
        outbox,
        delayed,
        nextDelayedId,
        replies.storedSince(replyCutoff),
        zone.equals(this.zone) ? zone : this.zone);
  }

  /** About how many bytes of heap this state takes, for {@link IdleInstances}' bound. */
  long estimatedBytes() {
    long bytes = state == null ? 0 : 16 + state.length;
    for (String key : seen.keySet()) {
      bytes += 96 + 2L * key.length();
    }
    for (String key : channelSeqs.keySet()) {
      bytes += 96 + 2L * key.length();
    }
    return bytes + replies.estimatedBytes();
  }

  FunctionState handled(FunctionInstance.Handled event, FunctionSettings.Replies kept) {
    Map<String, Long> nextSeen = seen;
    if (event.sender() != null) {
      nextSeen = new HashMap<>(seen);
      nextSeen.put(event.sender(), event.seq());
    }
    StoredReplies nextReplies =
        event.reply() != null ? replies.added(event.reply(), kept) : replies;
    List<DelayedMessage> nextDelayed = delayed;
    long nextId = nextDelayedId;
    if (!event.delayed().isEmpty()) {
      nextDelayed = new ArrayList<>(delayed);
      nextDelayed.addAll(event.delayed());
      nextId = event.delayed().get(event.delayed().size() - 1).id() + 1;
    }
    return new FunctionState(
            event.state() != null ? event.state() : state,
            Map.copyOf(nextSeen),
            channelSeqs,
            outbox,
            List.copyOf(nextDelayed),
            nextId,
            nextReplies,
            event.zone() != null ? event.zone() : zone)
        .enqueued(event.outbox());
  }

  FunctionState acknowledged(FunctionInstance.Acknowledged event) {
    List<OutboxEntry> remaining =
        outbox.stream()
            .filter(e -> !(e.channel().equals(event.channel()) && e.seq() <= event.seq()))
            .toList();
    return new FunctionState(
        state, seen, channelSeqs, remaining, delayed, nextDelayedId, replies, zone);
  }

  FunctionState fired(FunctionInstance.DelayedFired event) {
    List<DelayedMessage> remaining =
        delayed.stream().filter(d -> !event.ids().contains(d.id())).toList();
    return new FunctionState(
            state, seen, channelSeqs, outbox, remaining, nextDelayedId, replies, zone)
        .enqueued(event.released());
  }

  private FunctionState enqueued(List<OutboxEntry> entries) {
    if (entries.isEmpty()) {
      return this;
    }
    Map<String, Long> nextSeqs = new HashMap<>(channelSeqs);
    List<OutboxEntry> nextOutbox = new ArrayList<>(outbox);
    for (OutboxEntry entry : entries) {
      nextSeqs.put(entry.channel(), entry.seq());
      nextOutbox.add(entry);
    }
    return new FunctionState(
        state,
        seen,
        Map.copyOf(nextSeqs),
        List.copyOf(nextOutbox),
        delayed,
        nextDelayedId,
        replies,
        zone);
  }

  /** The next sequence number of a channel, given entries already assigned in this batch. */
  long nextSeq(String channel, List<OutboxEntry> assigned) {
    long last = channelSeqs.getOrDefault(channel, 0L);
    for (OutboxEntry entry : assigned) {
      if (entry.channel().equals(channel)) {
        last = Math.max(last, entry.seq());
      }
    }
    return last + 1;
  }
}
