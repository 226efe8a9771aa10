package io.continuum.multijvm.fault;

import io.continuum.persistence.embedded.JournalStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the embedded journal (the store the harness serves to the nodes) and checks that no
 * persistence id was written by two incarnations: ordered by sequence number, the events of a
 * persistence id come in runs of one writer each (every event keeps the unique id of the
 * incarnation that wrote it), and a writer never writes again once another writer took over. The
 * retained sequence numbers of a persistence id are contiguous too.
 */
final class JournalCheck {

  /** What the check found. */
  record Result(int persistenceIds, long events, int handovers, List<String> violations) {}

  private JournalCheck() {}

  static Result check(JournalStore store) {
    Walk walk = new Walk();
    store.forEachEvent(
        (persistenceId, event) ->
            walk.next(persistenceId, event.getSequenceNr(), event.getWriterUuid()));
    return new Result(walk.ids, walk.events, walk.handovers, walk.violations);
  }

  /** The check's state while it walks the journal in order. */
  private static final class Walk {
    final List<String> violations = new ArrayList<>();
    final Set<String> finished = new HashSet<>();
    int ids;
    long events;
    int handovers;
    String id;
    long previousSeq;
    String writer;

    void next(String rowId, long seq, String rowWriter) {
      events++;
      if (!rowId.equals(id)) {
        ids++;
        id = rowId;
        writer = rowWriter;
        finished.clear();
      } else {
        if (seq != previousSeq + 1) {
          violations.add(id + ": sequence number " + seq + " follows " + previousSeq);
        }
        if (!rowWriter.equals(writer)) {
          handovers++;
          finished.add(writer);
          if (finished.contains(rowWriter)) {
            violations.add(
                id + ": writer " + rowWriter + " wrote " + seq + " after another writer took over");
          }
          writer = rowWriter;
        }
      }
      previousSeq = seq;
    }
  }
}
