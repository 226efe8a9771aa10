package io.continuum.topic;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Node-wide settings of topics, from {@code continuum.topics}.
 *
 * @param defaultHistory entries retained when a create leaves history open
 * @param defaultMaxEntryBytes largest payload when a create leaves it open
 * @param entryBytesLimit the largest max entry size a topic may declare
 * @param cachedEntries newest entries an active topic keeps in memory for reads and tails
 * @param cachedBytes bound of those entries' payload bytes
 * @param readBatchBytes payload bytes one read returns at most
 * @param snapshotEvery a snapshot every this many entries bounds recovery time
 * @param askTimeout how long a caller waits for a topic to answer
 * @param defaultDuplicateWindow duplicate window of a topic whose create leaves it open, and of
 *     topics created before topics had one
 * @param duplicateWindowLimit the longest duplicate window a topic may declare
 * @param maxRememberedSequences producer sequence numbers a topic remembers at most
 * @param maxProducers idempotent producers a topic remembers at most
 */
public record TopicSettings(
    long defaultHistory,
    int defaultMaxEntryBytes,
    int entryBytesLimit,
    int cachedEntries,
    long cachedBytes,
    long readBatchBytes,
    int snapshotEvery,
    Duration askTimeout,
    Duration defaultDuplicateWindow,
    Duration duplicateWindowLimit,
    int maxRememberedSequences,
    int maxProducers) {

  /**
   * @throws IllegalArgumentException naming the setting when the duplicate window bounds are not
   *     positive or the default window exceeds the limit
   */
  public TopicSettings {
    if (maxRememberedSequences < 1 || maxProducers < 1) {
      throw new IllegalArgumentException(
          "continuum.topics.max-remembered-sequences and max-producers must be positive, were "
              + maxRememberedSequences
              + " and "
              + maxProducers);
    }
    if (defaultDuplicateWindow.toMillis() < 1
        || defaultDuplicateWindow.compareTo(duplicateWindowLimit) > 0) {
      throw new IllegalArgumentException(
          "continuum.topics.default-duplicate-window must be between 1ms and"
              + " duplicate-window-limit ("
              + DuplicateWindow.text(duplicateWindowLimit)
              + "), was "
              + DuplicateWindow.text(defaultDuplicateWindow));
    }
  }

  public static TopicSettings fromConfig(Config config) {
    Config topics = config.getConfig("continuum.topics");
    return new TopicSettings(
        topics.getLong("default-history"),
        (int) topics.getBytes("default-max-entry-bytes").longValue(),
        (int) topics.getBytes("entry-bytes-limit").longValue(),
        topics.getInt("cached-entries"),
        topics.getBytes("cached-bytes"),
        topics.getBytes("read-batch-bytes"),
        topics.getInt("snapshot-every"),
        topics.getDuration("ask-timeout"),
        topics.getDuration("default-duplicate-window"),
        topics.getDuration("duplicate-window-limit"),
        topics.getInt("max-remembered-sequences"),
        topics.getInt("max-producers"));
  }
}
