package io.continuum.node.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded journal of a local cluster: the H2 database files under the data directory, served
 * over TCP on 127.0.0.1 from the process that launches the nodes. Every node connects to it, so
 * stopping, killing or restarting any node never takes the database away from the others.
 *
 * <p>A node frozen (SIGSTOP) or stalled in the middle of a journal write would keep its H2
 * transaction open, and with it the lock on the event row it was writing: the incarnation that
 * takes the entity over on another node could not write that sequence number until the frozen
 * process died. The server therefore aborts <em>abandoned transactions</em> — a session that holds
 * uncommitted writes and has sent no statement for {@link #ABANDONED_AFTER} — which rolls the write
 * back. Nothing acknowledged is lost: a journal write is acknowledged only after its commit, and
 * the abandoned writer's commit fails when it wakes up.
 */
public final class JournalServer implements AutoCloseable {

  /** How long a session may hold uncommitted writes without sending a statement. */
  public static final Duration ABANDONED_AFTER = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(JournalServer.class);

  private static final String ABANDONED =
      "SELECT SESSION_ID, CLIENT_ADDR FROM INFORMATION_SCHEMA.SESSIONS"
          + " WHERE CONTAINS_UNCOMMITTED AND SESSION_STATE = 'SLEEP'"
          + " AND SLEEP_SINCE < CURRENT_TIMESTAMP - INTERVAL '"
          + ABANDONED_AFTER.toMillis() / 1000.0
          + "' SECOND";

  private final Server server;
  private final ScheduledExecutorService reaper;
  private Connection admin;

  private JournalServer(Server server) {
    this.server = server;
    this.reaper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "journal-reaper");
              thread.setDaemon(true);
              return thread;
            });
    long period = ABANDONED_AFTER.toMillis() / 4;
    reaper.scheduleWithFixedDelay(this::abortAbandoned, period, period, TimeUnit.MILLISECONDS);
  }

  /** Serves the database files of {@code dataDir/journal} on a free loopback port. */
  public static JournalServer start(Path dataDir) {
    try {
      Server server =
          Server.createTcpServer(
                  "-tcpPort",
                  String.valueOf(freePort()),
                  "-baseDir",
                  dataDir.resolve("journal").toAbsolutePath().toString(),
                  "-ifNotExists")
              .start();
      return new JournalServer(server);
    } catch (SQLException e) {
      throw new IllegalStateException("could not start the embedded journal: " + e.getMessage(), e);
    }
  }

  /**
   * The JDBC URL of the journal for nodes. {@code WRITE_DELAY=0} hands each commit to the OS before
   * it is acknowledged.
   */
  public String url() {
    return "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/continuum;WRITE_DELAY=0";
  }

  @Override
  public void close() {
    reaper.shutdownNow();
    try {
      reaper.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeAdmin();
    server.stop();
  }

  /** Aborts every abandoned transaction; runs on the reaper thread. */
  private void abortAbandoned() {
    try {
      if (admin == null || admin.isClosed()) {
        admin = DriverManager.getConnection(url(), "sa", "");
      }
      try (Statement statement = admin.createStatement()) {
        Map<Integer, String> abandoned = new LinkedHashMap<>();
        try (ResultSet sessions = statement.executeQuery(ABANDONED)) {
          while (sessions.next()) {
            abandoned.put(sessions.getInt(1), sessions.getString(2));
          }
        }
        for (Map.Entry<Integer, String> session : abandoned.entrySet()) {
          statement.execute("CALL ABORT_SESSION(" + session.getKey() + ")");
          log.warn(
              "Aborted journal session {} from {}: it held uncommitted writes and sent nothing for"
                  + " {} ms (its process is frozen or stalled); its write is rolled back, never"
                  + " acknowledged",
              session.getKey(),
              session.getValue(),
              ABANDONED_AFTER.toMillis());
        }
      }
    } catch (SQLException e) {
      log.warn("Could not look for abandoned journal transactions: {}", e.getMessage());
      closeAdmin();
    }
  }

  private void closeAdmin() {
    try {
      if (admin != null) {
        admin.close();
      }
    } catch (SQLException e) {
      log.debug("Closing the journal's admin connection: {}", e.getMessage());
    }
    admin = null;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
