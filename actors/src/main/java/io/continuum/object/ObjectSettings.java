package io.continuum.object;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of replicated objects, from {@code continuum.objects}.
 *
 * @param consistencyTimeout how long a majority or all call waits for replicas
 * @param askTimeout how long a call waits for the node that serves it
 * @param locateTimeout how long a node waits for other zones when looking an object up
 * @param readYourWritesWait how long a read with a version waits for the write to arrive
 * @param bridgeRetry how often writes not yet confirmed by another zone are resent
 * @param durableDir where each node keeps its zone's durable objects
 * @param lmdb whether they are kept in LMDB rather than one file per object
 */
public record ObjectSettings(
    Duration consistencyTimeout,
    Duration askTimeout,
    Duration locateTimeout,
    Duration readYourWritesWait,
    Duration bridgeRetry,
    Path durableDir,
    boolean lmdb) {

  public static ObjectSettings fromConfig(Config config) {
    Config c = config.getConfig("continuum.objects");
    return new ObjectSettings(
        c.getDuration("consistency-timeout"),
        c.getDuration("ask-timeout"),
        c.getDuration("locate-timeout"),
        c.getDuration("read-your-writes-wait"),
        c.getDuration("bridge-retry"),
        Path.of(c.getString("durable-dir")),
        switch (c.getString("durable-store")) {
          case "file" -> false;
          case "lmdb" -> true;
          default ->
              throw new IllegalArgumentException(
                  "continuum.objects.durable-store must be file or lmdb, was "
                      + c.getString("durable-store"));
        });
  }
}
