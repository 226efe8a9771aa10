package io.continuum.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CassandraServerTest {

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void answersCqlAndKeepsItsDataAcrossARestartOnTheSamePort(@TempDir Path workDir)
      throws Exception {
    try (CassandraServer server = CassandraServer.start(workDir)) {
      int port = server.cqlPort();
      long firstPid = server.pid();
      assertThat(server.contactPoint()).isEqualTo("127.0.0.1:" + port);
      assertThat(server.workDir()).isEqualTo(workDir.toAbsolutePath());

      try (CqlSession session = connect(server)) {
        session.execute(
            "CREATE KEYSPACE testkit WITH replication ="
                + " {'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE testkit.greetings (id int PRIMARY KEY, text text)");
        session.execute("INSERT INTO testkit.greetings (id, text) VALUES (1, 'hello')");
        assertThat(greeting(session)).isEqualTo("hello");
        // Stopped with a client still connected, as a fault test would.
        server.stop();
      }
      assertThat(server.isRunning()).isFalse();
      assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

      server.restart();
      assertThat(server.cqlPort()).isEqualTo(port);
      assertThat(server.pid()).isNotEqualTo(firstPid);
      try (CqlSession session = connect(server)) {
        assertThat(greeting(session)).isEqualTo("hello");
      }

      long secondPid = server.pid();
      server.kill();
      assertThat(ProcessHandle.of(secondPid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(server.logTail(5)).isNotBlank();
    }
  }

  private static CqlSession connect(CassandraServer server) {
    return CqlSession.builder()
        .addContactPoint(new InetSocketAddress("127.0.0.1", server.cqlPort()))
        .withLocalDatacenter(server.localDatacenter())
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                .build())
        .build();
  }

  private static String greeting(CqlSession session) {
    return session
        .execute("SELECT text FROM testkit.greetings WHERE id = 1")
        .one()
        .getString("text");
  }
}
