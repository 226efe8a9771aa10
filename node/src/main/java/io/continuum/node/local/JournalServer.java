package io.continuum.node.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import org.h2.tools.Server;

/**
 * The embedded journal of a local cluster: the H2 database files under the data directory, served
 * over TCP on 127.0.0.1 from the process that launches the nodes. Every node connects to it, so
 * stopping, killing or restarting any node never takes the database away from the others.
 */
public final class JournalServer implements AutoCloseable {

  private final Server server;

  private JournalServer(Server server) {
    this.server = server;
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
    server.stop();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
