package io.continuum.crdt;

import java.util.List;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;

/** Cluster node addresses for tests that need no cluster. */
public final class TestNodes {

  /** The actor system name every node shares, as in a real cluster. */
  public static final String SYSTEM = "continuum";

  /** Three distinct nodes, as three replicas of one data value would run on. */
  public static final List<SelfUniqueAddress> REPLICAS = List.of(node(1), node(2), node(3));

  private TestNodes() {}

  /** The {@code n}-th node: its own host, port and uid. */
  public static SelfUniqueAddress node(int n) {
    Address address = new Address("pekko", SYSTEM, "10.0.0." + n, 7354 + n);
    return new SelfUniqueAddress(new UniqueAddress(address, 1000L + n));
  }
}
