package io.continuum.crdt;

import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.ReplicatedData;

/**
 * The {@link org.apache.pekko.cluster.ddata.Replicator} key of a {@link CausalMap}. Keys are equal
 * when their ids are equal.
 *
 * @param <V> the map's value type
 */
public final class CausalMapKey<V extends ReplicatedData> extends Key<CausalMap<V>> {

  /** The key with the given id, unique among all replicated data. */
  public CausalMapKey(String id) {
    super(id);
  }
}
