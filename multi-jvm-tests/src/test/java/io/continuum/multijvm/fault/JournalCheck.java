package io.continuum.multijvm.fault;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the embedded journal (H2, over the TCP server the harness runs) and checks that no
 * persistence id was written by two incarnations: ordered by sequence number, the events of a
 * persistence id come in runs of one writer each (pekko-persistence-jdbc stores the writing actor's
 * unique writer id with every event), and a writer never writes again once another writer took
 * over. The retained sequence numbers of a persistence id are contiguous too.
 */
final class JournalCheck {

  /** What the check found. */
  record Result(int persistenceIds, long events, int handovers, List<String> violations) {}

  private JournalCheck() {}

  static Result check(String url) {
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT \"persistence_id\", \"sequence_number\", \"writer\" FROM"
                    + " PUBLIC.\"event_journal\" ORDER BY \"persistence_id\","
                    + " \"sequence_number\"")) {
      List<String> violations = new ArrayList<>();
      int ids = 0;
      long events = 0;
      int handovers = 0;
      String id = null;
      long previousSeq = 0;
      String writer = null;
      Set<String> finished = new HashSet<>();
      while (rows.next()) {
        events++;
        String rowId = rows.getString(1);
        long seq = rows.getLong(2);
        String rowWriter = rows.getString(3);
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
                  id
                      + ": writer "
                      + rowWriter
                      + " wrote "
                      + seq
                      + " after another writer took over");
            }
            writer = rowWriter;
          }
        }
        previousSeq = seq;
      }
      return new Result(ids, events, handovers, violations);
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the journal at " + url, e);
    }
  }
}
