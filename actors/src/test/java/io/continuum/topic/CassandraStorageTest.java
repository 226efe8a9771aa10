package io.continuum.topic;

import com.typesafe.config.ConfigFactory;
import io.continuum.testkit.CassandraServer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The topic storage scenario on a real Cassandra 5, started from Maven Central's cassandra-all. */
class CassandraStorageTest {

  @TempDir static Path work;
  private static CassandraServer cassandra;

  @BeforeAll
  static void startCassandra() throws IOException {
    cassandra = CassandraServer.start(work);
  }

  @AfterAll
  static void stopCassandra() {
    if (cassandra != null) {
      cassandra.close();
    }
  }

  @Test
  @Timeout(240)
  void topicSurvivesRestartOnCassandra() {
    new TopicStorageScenario(
            ConfigFactory.parseString(
                "continuum.persistence.backend = cassandra\n"
                    + "continuum.persistence.cassandra.contact-points = \""
                    + cassandra.contactPoint()
                    + "\"\ncontinuum.persistence.cassandra.local-datacenter = \""
                    + cassandra.localDatacenter()
                    + "\""))
        .run();
  }
}
