package io.continuum.topic;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topic storage scenario on the embedded default: the LMDB journal in a data directory, served
 * by the node itself.
 */
class EmbeddedStorageTest {

  @TempDir Path data;

  @Test
  @Timeout(120)
  void topicSurvivesRestartOnEmbeddedJournal() {
    new TopicStorageScenario(
            ConfigFactory.parseString(
                "continuum.persistence.backend = embedded\ncontinuum.data-dir = \""
                    + data.toString().replace("\\", "/")
                    + "\""))
        .run();
  }
}
