package io.continuum.topic;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The topic storage scenario on the embedded default: H2 files in a data directory. */
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
