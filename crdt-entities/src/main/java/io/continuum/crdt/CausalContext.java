package io.continuum.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.pekko.cluster.UniqueAddress;

/**
 * The writes a replica has seen, as a version vector: for each node, the highest counter of that
 * node's dots that reached this replica. A dot is <em>seen</em> if its counter is at most the
 * node's entry.
 *
 * <p>A vector is enough (no set of stray dots) because the types built on it replicate full states
 * only: every node creates its dots in order, and merging full states keeps each node's dots
 * contiguous.
 *
 * <p>Immutable.
 */
final class CausalContext {

  private static final CausalContext EMPTY = new CausalContext(new TreeMap<>());

  private final SortedMap<UniqueAddress, Long> versions;

  private CausalContext(SortedMap<UniqueAddress, Long> versions) {
    this.versions = Collections.unmodifiableSortedMap(versions);
  }

  /** The context that has seen nothing. */
  public static CausalContext empty() {
    return EMPTY;
  }

  /**
   * A context with the given versions, e.g. as read back by a serializer.
   *
   * @throws IllegalArgumentException if a version is below 1
   */
  public static CausalContext of(Map<UniqueAddress, Long> versions) {
    versions.forEach(
        (node, version) -> {
          if (version < 1) {
            throw new IllegalArgumentException(
                "version of " + node + " must be at least 1, got " + version);
          }
        });
    return new CausalContext(new TreeMap<>(versions));
  }

  /** The highest counter seen from {@code node}, 0 if none. */
  public long version(UniqueAddress node) {
    return versions.getOrDefault(node, 0L);
  }

  /** Every node with a version, ordered by address. */
  public SortedMap<UniqueAddress, Long> versions() {
    return versions;
  }

  /** Whether the write identified by {@code dot} has been seen. */
  public boolean contains(Dot dot) {
    return dot.counter() <= version(dot.node());
  }

  /** The dot for {@code node}'s next write: one past its current version. */
  public Dot nextDot(UniqueAddress node) {
    return new Dot(node, version(node) + 1);
  }

  /** This context, having also seen {@code dot}. */
  public CausalContext with(Dot dot) {
    if (contains(dot)) {
      return this;
    }
    TreeMap<UniqueAddress, Long> next = new TreeMap<>(versions);
    next.put(dot.node(), dot.counter());
    return new CausalContext(next);
  }

  /** The least context that has seen everything either context has seen. */
  public CausalContext merge(CausalContext that) {
    TreeMap<UniqueAddress, Long> next = new TreeMap<>(versions);
    that.versions.forEach((node, version) -> next.merge(node, version, Math::max));
    return new CausalContext(next);
  }

  /** This context without any memory of {@code node}, for pruning a removed node. */
  public CausalContext without(UniqueAddress node) {
    if (!versions.containsKey(node)) {
      return this;
    }
    TreeMap<UniqueAddress, Long> next = new TreeMap<>(versions);
    next.remove(node);
    return new CausalContext(next);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CausalContext that && versions.equals(that.versions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(versions);
  }

  @Override
  public String toString() {
    return "CausalContext" + versions;
  }
}
