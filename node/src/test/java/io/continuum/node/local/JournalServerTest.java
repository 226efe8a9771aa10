package io.continuum.node.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalServerTest {

  @TempDir Path dataDir;

  private JournalServer journal;

  @BeforeEach
  void start() throws SQLException {
    journal = JournalServer.start(dataDir);
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE events (pid VARCHAR, seq BIGINT, writer VARCHAR, PRIMARY KEY (pid, seq))");
    }
  }

  @AfterEach
  void stop() {
    journal.close();
  }

  @Test
  void anAbandonedWriteIsRolledBackSoAnotherWriterCanTakeTheSequenceNumber() throws SQLException {
    try (Connection frozen = connect();
        Connection idle = connect();
        Connection takeover = connect()) {
      frozen.setAutoCommit(false);
      insert(frozen, "frozen");

      // Blocks on the frozen writer's row lock until the server aborts its transaction.
      insert(takeover, "takeover");

      assertThatThrownBy(frozen::commit).isInstanceOf(SQLException.class);
      assertThat(writerOf(takeover)).isEqualTo("takeover");
      assertThat(writerOf(idle))
          .as("an idle session without open writes is left alone")
          .isEqualTo("takeover");
    }
  }

  @Test
  void aWriteCommittedInTimeIsKept() throws SQLException {
    try (Connection writer = connect();
        Connection reader = connect()) {
      writer.setAutoCommit(false);
      insert(writer, "writer");
      writer.commit();
      assertThat(writerOf(reader)).isEqualTo("writer");
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(journal.url() + ";LOCK_TIMEOUT=30000", "sa", "");
  }

  private static void insert(Connection connection, String writer) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("INSERT INTO events VALUES ('Topic|busy', 329, '" + writer + "')");
    }
  }

  private static String writerOf(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT writer FROM events WHERE pid = 'Topic|busy'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
