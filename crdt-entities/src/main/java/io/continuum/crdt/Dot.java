package io.continuum.crdt;

import java.util.Comparator;
import java.util.Objects;
import org.apache.pekko.cluster.UniqueAddress;

/**
 * One event of one node: the {@code counter}-th write that {@code node} made to a data value. A dot
 * is globally unique, so a replica can tell whether it has seen a write by looking for its dot in
 * its {@link CausalContext}.
 *
 * @param node the node that made the write
 * @param counter 1 for the node's first write, then 2, 3, ...
 */
record Dot(UniqueAddress node, long counter) implements Comparable<Dot> {

  private static final Comparator<Dot> ORDER =
      Comparator.comparing(Dot::node).thenComparingLong(Dot::counter);

  public Dot {
    Objects.requireNonNull(node, "node");
    if (counter < 1) {
      throw new IllegalArgumentException("a dot's counter starts at 1, got " + counter);
    }
  }

  /** Orders dots by node address, then counter, so that serialized forms are deterministic. */
  @Override
  public int compareTo(Dot other) {
    return ORDER.compare(this, other);
  }
}
