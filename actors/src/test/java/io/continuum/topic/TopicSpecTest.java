package io.continuum.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

  private final TopicSpec spec = new TopicSpec("sensors", "edge-a", 5, 1024, Duration.ofMinutes(2));

  @Test
  void retainsEverythingWhileTheTopicIsShorterThanItsHistory() {
    assertThat(spec.firstRetained(0)).isEqualTo(1);
    assertThat(spec.firstRetained(5)).isEqualTo(1);
  }

  @Test
  void retainsTheLastHistoryEntries() {
    assertThat(spec.firstRetained(6)).isEqualTo(2);
    assertThat(spec.firstRetained(12)).isEqualTo(8);
  }

  @Test
  void aSpecWithoutADuplicateWindowGetsTheOneGivenAndOneWithAWindowKeepsIt() {
    TopicSpec old = new TopicSpec("sensors", "edge-a", 5, 1024, null);

    assertThat(old.withDuplicateWindowIfUnset(Duration.ofMinutes(2))).isEqualTo(spec);
    assertThat(spec.withDuplicateWindowIfUnset(Duration.ofHours(1))).isSameAs(spec);
  }

  @Test
  void acceptsNamesOfLettersDigitsAndPunctuation() {
    for (String name : List.of("a", "cpu-raw", "Farm_1.temp:celsius", "x".repeat(200))) {
      assertThat(TopicSpec.requireValidName(name)).isEqualTo(name);
    }
  }

  @Test
  void refusesAnEmptyName() {
    assertThatThrownBy(() -> TopicSpec.requireValidName(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic name must not be empty");
  }

  @Test
  void refusesInvalidNamesSayingWhatIsValid() {
    for (String name : List.of("-leading", "has space", "a/b", "a|b", "x".repeat(201))) {
      assertThatThrownBy(() -> TopicSpec.requireValidName(name))
          .as("topic name '%s'", name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid topic name '" + name + "': use 1-200 letters");
    }
  }
}
