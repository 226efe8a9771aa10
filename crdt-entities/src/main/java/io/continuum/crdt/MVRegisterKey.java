package io.continuum.crdt;

import org.apache.pekko.cluster.ddata.Key;

/**
 * The {@link org.apache.pekko.cluster.ddata.Replicator} key of an {@link MVRegister}. Keys are
 * equal when their ids are equal.
 *
 * @param <A> the register's value type
 */
public final class MVRegisterKey<A> extends Key<MVRegister<A>> {

  /** The key with the given id, unique among all replicated data. */
  public MVRegisterKey(String id) {
    super(id);
  }
}
