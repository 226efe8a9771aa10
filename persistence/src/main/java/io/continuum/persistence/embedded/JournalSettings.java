package io.continuum.persistence.embedded;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of the embedded journal ({@code continuum.persistence.embedded}).
 *
 * @param mapSize the most bytes the store may hold
 * @param durability when commits are forced to disk
 * @param syncInterval how often, with {@link JournalStore.Durability#PERIODIC}
 * @param callTimeout how long a node waits for a read of the journal
 */
public record JournalSettings(
    long mapSize, JournalStore.Durability durability, Duration syncInterval, Duration callTimeout) {

  /** The defaults of {@code reference.conf}. */
  public static JournalSettings defaults() {
    return new JournalSettings(
        64L << 30, JournalStore.Durability.PERIODIC, Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  /** Reads {@code continuum.persistence.embedded} of a configuration. */
  public static JournalSettings fromConfig(Config config) {
    Config embedded = config.getConfig("continuum.persistence.embedded");
    String fsync = embedded.getString("fsync");
    JournalStore.Durability durability;
    try {
      durability = JournalStore.Durability.valueOf(fsync.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "continuum.persistence.embedded.fsync is '"
              + fsync
              + "'; expected always, periodic or never");
    }
    return new JournalSettings(
        embedded.getBytes("max-size"),
        durability,
        embedded.getDuration("fsync-interval"),
        embedded.getDuration("call-timeout"));
  }
}
