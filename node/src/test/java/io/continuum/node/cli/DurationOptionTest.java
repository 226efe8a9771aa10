package io.continuum.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationOptionTest {

  private final DurationOption option = new DurationOption();

  @Test
  void readsAWholeNumberAndAUnit() {
    assertThat(option.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(option.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(option.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(option.convert("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(option.convert("2 m")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void refusesAnythingElseSayingWhatItTakes() {
    for (String text : new String[] {"5", "m", "1.5m", "-1s", "2 minutes", "5d"}) {
      assertThatThrownBy(() -> option.convert(text))
          .as(text)
          .isInstanceOf(CommandLine.TypeConversionException.class)
          .hasMessage(
              "invalid duration '" + text + "': use a whole number and ms, s, m or h, e.g. 5m");
    }
  }

  @Test
  void writesMillisecondsInTheirLargestWholeUnit() {
    assertThat(DurationOption.text(120_000)).isEqualTo("2m");
    assertThat(DurationOption.text(90_000)).isEqualTo("90s");
    assertThat(DurationOption.text(3_600_000)).isEqualTo("1h");
    assertThat(DurationOption.text(1500)).isEqualTo("1500ms");
  }
}
