package io.continuum.crdt;

import org.apache.pekko.cluster.ddata.Key;

/**
 * The {@link org.apache.pekko.cluster.ddata.Replicator} key of an {@link EWFlag}. Keys are equal
 * when their ids are equal.
 */
public final class EWFlagKey extends Key<EWFlag> {

  /** The key with the given id, unique among all replicated data. */
  public EWFlagKey(String id) {
    super(id);
  }
}
