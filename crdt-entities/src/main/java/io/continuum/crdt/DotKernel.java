package io.continuum.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.pekko.cluster.UniqueAddress;

/**
 * A causal dot store: live writes (each a {@link Dot} with its value) together with the {@link
 * CausalContext} of every write ever seen, live or since removed. This is the shared core of {@link
 * MVRegister}, {@link EWFlag} and {@link CausalMap}.
 *
 * <p>Merge keeps a write if both sides hold it, or if one side holds it and the other has never
 * seen it; a write that one side has seen but no longer holds was removed there and stays removed.
 * That is what makes removal work without tombstones.
 *
 * <p>Invariant: every live dot is in the context. Immutable.
 *
 * @param <V> the value attached to each write
 */
final class DotKernel<V> {

  private static final DotKernel<?> EMPTY = new DotKernel<>(new TreeMap<>(), CausalContext.empty());

  private final SortedMap<Dot, V> entries;
  private final CausalContext context;

  private DotKernel(SortedMap<Dot, V> entries, CausalContext context) {
    this.entries = Collections.unmodifiableSortedMap(entries);
    this.context = context;
  }

  @SuppressWarnings("unchecked")
  static <V> DotKernel<V> empty() {
    return (DotKernel<V>) EMPTY;
  }

  /**
   * A kernel with the given live writes and context, e.g. as read back by a serializer.
   *
   * @throws IllegalArgumentException if a live dot is not in the context
   */
  static <V> DotKernel<V> of(Map<Dot, V> entries, CausalContext context) {
    entries.keySet().stream()
        .filter(dot -> !context.contains(dot))
        .findAny()
        .ifPresent(
            dot -> {
              throw new IllegalArgumentException(dot + " is live but not in " + context);
            });
    return new DotKernel<>(new TreeMap<>(entries), context);
  }

  /** The live writes, ordered by dot. */
  SortedMap<Dot, V> entries() {
    return entries;
  }

  CausalContext context() {
    return context;
  }

  /** A new write of {@code value} by {@code node}, beside the current live writes. */
  DotKernel<V> add(UniqueAddress node, V value) {
    Dot dot = context.nextDot(node);
    TreeMap<Dot, V> next = new TreeMap<>(entries);
    next.put(dot, value);
    return new DotKernel<>(next, context.with(dot));
  }

  /** Removes every live write this replica has seen; the context remembers them. */
  DotKernel<V> clear() {
    return removeIf(value -> true);
  }

  /** Removes the live writes whose value matches; the context remembers them. */
  DotKernel<V> removeIf(Predicate<V> matches) {
    TreeMap<Dot, V> next = new TreeMap<>(entries);
    return next.values().removeIf(matches) ? new DotKernel<>(next, context) : this;
  }

  /** The same writes with their values transformed, e.g. pruned. */
  DotKernel<V> mapValues(UnaryOperator<V> transform) {
    TreeMap<Dot, V> next = new TreeMap<>();
    entries.forEach((dot, value) -> next.put(dot, transform.apply(value)));
    return new DotKernel<>(next, context);
  }

  /** Merges two kernels whose values at a common dot are equal. */
  DotKernel<V> merge(DotKernel<V> that) {
    return merge(that, (mine, theirs) -> mine);
  }

  /**
   * Merges two kernels, combining the values at a common dot with {@code combine}, which must be
   * commutative. Values at one dot differ only while a removed node is being pruned.
   */
  DotKernel<V> merge(DotKernel<V> that, BinaryOperator<V> combine) {
    if (this == that) {
      return this;
    }
    TreeMap<Dot, V> next = new TreeMap<>();
    entries.forEach(
        (dot, value) -> {
          V theirs = that.entries.get(dot);
          if (theirs != null) {
            next.put(dot, combine.apply(value, theirs));
          } else if (!that.context.contains(dot)) {
            next.put(dot, value);
          }
        });
    that.entries.forEach(
        (dot, value) -> {
          if (!context.contains(dot)) {
            next.put(dot, value);
          }
        });
    return new DotKernel<>(next, context.merge(that.context));
  }

  /** Whether {@code node} left any trace here. */
  boolean needPruningFrom(UniqueAddress node) {
    return context.version(node) > 0;
  }

  /**
   * Hands {@code removed}'s live writes over to {@code collapseInto}, as new writes of the same
   * values, and forgets {@code removed}.
   */
  DotKernel<V> prune(UniqueAddress removed, UniqueAddress collapseInto) {
    DotKernel<V> pruned = pruningCleanup(removed);
    for (Map.Entry<Dot, V> entry : entries.entrySet()) {
      if (entry.getKey().node().equals(removed)) {
        pruned = pruned.add(collapseInto, entry.getValue());
      }
    }
    return pruned;
  }

  /** Drops every trace of {@code removed}, whose writes were already handed over elsewhere. */
  DotKernel<V> pruningCleanup(UniqueAddress removed) {
    if (!needPruningFrom(removed)) {
      return this;
    }
    TreeMap<Dot, V> next = new TreeMap<>(entries);
    next.keySet().removeIf(dot -> dot.node().equals(removed));
    return new DotKernel<>(next, context.without(removed));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DotKernel<?> that
        && entries.equals(that.entries)
        && context.equals(that.context);
  }

  @Override
  public int hashCode() {
    return Objects.hash(entries, context);
  }

  @Override
  public String toString() {
    return "DotKernel(" + entries + ", " + context + ")";
  }
}
