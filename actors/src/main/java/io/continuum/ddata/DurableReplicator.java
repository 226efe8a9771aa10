package io.continuum.ddata;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ddata.Replicator;
import org.apache.pekko.cluster.ddata.ReplicatorSettings;

/**
 * Starts a Distributed Data Replicator of its own, every key durable: in one file per key ({@link
 * FileDurableStore}, written and forced to disk before the Replicator acknowledges), or in LMDB.
 */
public final class DurableReplicator {

  private DurableReplicator() {}

  /**
   * Starts {@code /system/<name>}.
   *
   * @param role the cluster role whose nodes replicate its keys, or {@code null} for every node
   * @param dir where this node keeps the keys
   * @param lmdb LMDB instead of files (needs {@code --add-opens} on Java 17)
   * @param overrides Replicator settings that differ from {@code pekko.cluster.distributed-data}
   */
  public static ActorRef start(
      ActorSystem<?> system, String name, String role, Path dir, boolean lmdb, Config overrides) {
    String absolute = dir.toAbsolutePath().toString();
    Config config =
        overrides
            .withValue("name", ConfigValueFactory.fromAnyRef(name))
            .withValue("role", ConfigValueFactory.fromAnyRef(role == null ? "" : role))
            .withValue("durable.keys", ConfigValueFactory.fromIterable(List.of("*")))
            .withValue("durable.lmdb.dir", ConfigValueFactory.fromAnyRef(absolute))
            .withValue("durable.file.dir", ConfigValueFactory.fromAnyRef(absolute))
            .withValue(
                "durable.store-actor-class",
                ConfigValueFactory.fromAnyRef(
                    lmdb
                        ? "org.apache.pekko.cluster.ddata.LmdbDurableStore"
                        : FileDurableStore.class.getName()))
            .withFallback(system.settings().config().getConfig("pekko.cluster.distributed-data"));
    return ((ExtendedActorSystem) system.classicSystem())
        .systemActorOf(Replicator.props(ReplicatorSettings.apply(config)), name);
  }

  /** A directory name for this node, {@code <host>-<port>}, so nodes sharing a disk do not mix. */
  public static String nodeDir(ActorSystem<?> system) {
    return system.address().getHost().orElse("local")
        + "-"
        + system.address().getPort().map(String::valueOf).orElse("0");
  }
}
