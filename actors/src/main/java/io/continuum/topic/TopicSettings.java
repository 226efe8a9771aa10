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
 */
public record TopicSettings(
    long defaultHistory,
    int defaultMaxEntryBytes,
    int entryBytesLimit,
    int cachedEntries,
    long cachedBytes,
    long readBatchBytes,
    int snapshotEvery,
    Duration askTimeout) {

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
        topics.getDuration("ask-timeout"));
  }
}
