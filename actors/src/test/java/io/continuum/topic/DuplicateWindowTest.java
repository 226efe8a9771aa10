package io.continuum.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DuplicateWindowTest {

  @Test
  void durationsAreWrittenInTheirLargestWholeUnit() {
    assertThat(DuplicateWindow.text(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(DuplicateWindow.text(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(DuplicateWindow.text(Duration.ofHours(1))).isEqualTo("1h");
    assertThat(DuplicateWindow.text(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(DuplicateWindow.text(Duration.ZERO)).isEqualTo("0ms");
  }

  @Test
  void aTopicsWindowIsItsSpecsLengthWithinTheNodesBounds() {
    TopicSettings settings = TopicSettings.fromConfig(ConfigFactory.load());
    TopicSpec spec = new TopicSpec("t", "edge-a", 10, 10, Duration.ofSeconds(30));

    assertThat(DuplicateWindow.of(spec, settings))
        .isEqualTo(new DuplicateWindow(Duration.ofSeconds(30), 100_000, 10_000));
    assertThat(settings.defaultDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.duplicateWindowLimit()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aNodeRefusesADefaultWindowAboveItsLimit() {
    assertThatThrownBy(
            () ->
                TopicSettings.fromConfig(
                    ConfigFactory.parseString(
                            "continuum.topics { default-duplicate-window = 2h,"
                                + " duplicate-window-limit = 1h }")
                        .withFallback(ConfigFactory.load())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("default-duplicate-window")
        .hasMessageContaining("(1h), was 2h");
  }
}
