package io.continuum.crdt;

import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.AbstractReplicatedData;
import org.apache.pekko.cluster.ddata.DeltaReplicatedData;
import org.apache.pekko.cluster.ddata.RemovedNodePruning;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import scala.jdk.javaapi.CollectionConverters;

/**
 * An observed-remove map from strings to replicated data, whose merge is a lawful CRDT merge even
 * when keys are removed: {@link #remove} removes the updates of a key this replica has seen, and
 * only those; an update it has not seen survives with exactly the value its writer gave it.
 *
 * <pre>{@code
 * CausalMap<PNCounter> visits = CausalMap.<PNCounter>empty()
 *     .update(self, "home", c -> c.orElse(PNCounter.empty()).increment(self, 1));
 * visits.get("home");                 // Optional[PNCounter(1)]
 * visits.remove("home").get("home");  // Optional.empty
 * }</pre>
 *
 * <p><b>Why not Pekko's ORMap.</b> Pekko's {@code ORMap} (and {@code PNCounterMap}, {@code LWWMap},
 * built on it) merges every value it ever saw for a key that survives, including values another
 * replica had removed. So the result depends on the order of merges: merge is not associative, and
 * a removed value can come back (Pekko's documentation warns about it). This map keeps each update
 * of a key as its own write, a dot (node, counter) with a snapshot of the value, in the same causal
 * dot store as {@link MVRegister}. A replica's update of a key replaces the writes of that key it
 * has seen by one write of the merged and updated value; concurrent writes of a key are kept side
 * by side, and reading the key merges them.
 *
 * <p><b>Values</b> must be replicated data types whose merge is itself a lawful CRDT merge, one
 * type per map, serializable by Pekko (the serializer writes them through Pekko serialization).
 * Keys are strings.
 *
 * <p><b>Full state only, no deltas.</b> Deltas would pay for large maps, but a delta that removes
 * needs the causal context and causal delivery; that is a later optimisation. Until then keep maps
 * small, or spread a large one over several top-level keys (see the module's notes on Distributed
 * Data limits).
 *
 * <p>Supports pruning of removed nodes, in the keys' writes and in the values. Immutable.
 *
 * @param <V> the value type
 */
public final class CausalMap<V extends ReplicatedData> extends AbstractReplicatedData<CausalMap<V>>
    implements RemovedNodePruning {

  /** One write of a key: the key and the value it was given. */
  record Entry<V>(String key, V value) {
    Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  private static final CausalMap<?> EMPTY = new CausalMap<>(DotKernel.empty());

  private final DotKernel<Entry<V>> kernel;

  CausalMap(DotKernel<Entry<V>> kernel) {
    this.kernel = kernel;
  }

  /** The map without keys. */
  @SuppressWarnings("unchecked")
  public static <V extends ReplicatedData> CausalMap<V> empty() {
    return (CausalMap<V>) EMPTY;
  }

  /** The keys and their values, ordered by key. */
  public SortedMap<String, V> entries() {
    SortedMap<String, V> entries = new TreeMap<>();
    for (Entry<V> entry : kernel.entries().values()) {
      entries.merge(entry.key(), entry.value(), CausalMap::mergeValues);
    }
    return Collections.unmodifiableSortedMap(entries);
  }

  /** The value of {@code key}: the merge of its concurrent writes, or empty if it has none. */
  public Optional<V> get(String key) {
    return kernel.entries().values().stream()
        .filter(entry -> entry.key().equals(key))
        .map(Entry::value)
        .reduce(CausalMap::mergeValues);
  }

  /** Whether {@code key} has a value. */
  public boolean contains(String key) {
    return kernel.entries().values().stream().anyMatch(entry -> entry.key().equals(key));
  }

  /**
   * Sets the value of {@code key} to {@code modify} applied to its current value (empty if it has
   * none). To keep the map a CRDT, {@code modify} must return the current value updated, not a
   * value unrelated to it.
   */
  public CausalMap<V> update(SelfUniqueAddress node, String key, Function<Optional<V>, V> modify) {
    V next = withoutDelta(modify.apply(get(key)));
    return new CausalMap<>(
        kernel
            .removeIf(entry -> entry.key().equals(key))
            .add(node.uniqueAddress(), new Entry<>(key, next)));
  }

  /** Removes {@code key} as far as this replica has seen it; a concurrent update survives. */
  public CausalMap<V> remove(String key) {
    return new CausalMap<>(kernel.removeIf(entry -> entry.key().equals(key)));
  }

  /**
   * How many writes of each node this map has seen: its causal context. A write made by {@code
   * node} as its n-th write to this map is reflected here once {@code versions().get(node) >= n},
   * whether or not its key was removed since; the object layer hands this out as a version token
   * for read-your-writes.
   */
  public SortedMap<UniqueAddress, Long> versions() {
    return Collections.unmodifiableSortedMap(kernel.context().versions());
  }

  DotKernel<Entry<V>> kernel() {
    return kernel;
  }

  @Override
  public CausalMap<V> mergeData(CausalMap<V> that) {
    return new CausalMap<>(
        kernel.merge(
            that.kernel,
            (mine, theirs) -> new Entry<>(mine.key(), mergeValues(mine.value(), theirs.value()))));
  }

  @Override
  public scala.collection.immutable.Set<UniqueAddress> modifiedByNodes() {
    Set<UniqueAddress> nodes = new HashSet<>(kernel.context().versions().keySet());
    for (Entry<V> entry : kernel.entries().values()) {
      if (entry.value() instanceof RemovedNodePruning value) {
        nodes.addAll(CollectionConverters.asJava(value.modifiedByNodes()));
      }
    }
    return CollectionConverters.asScala(nodes).toSet();
  }

  @Override
  public boolean needPruningFrom(UniqueAddress removedNode) {
    return kernel.needPruningFrom(removedNode)
        || kernel.entries().values().stream()
            .anyMatch(
                entry ->
                    entry.value() instanceof RemovedNodePruning value
                        && value.needPruningFrom(removedNode));
  }

  @Override
  public CausalMap<V> prune(UniqueAddress removedNode, UniqueAddress collapseInto) {
    return new CausalMap<>(
        kernel
            .prune(removedNode, collapseInto)
            .mapValues(
                entry ->
                    mapValue(
                        entry,
                        value ->
                            value.needPruningFrom(removedNode)
                                ? value.prune(removedNode, collapseInto)
                                : value)));
  }

  @Override
  public CausalMap<V> pruningCleanup(UniqueAddress removedNode) {
    return new CausalMap<>(
        kernel
            .pruningCleanup(removedNode)
            .mapValues(
                entry ->
                    mapValue(
                        entry,
                        value ->
                            value.needPruningFrom(removedNode)
                                ? value.pruningCleanup(removedNode)
                                : value)));
  }

  @SuppressWarnings("unchecked")
  private static <V extends ReplicatedData> Entry<V> mapValue(
      Entry<V> entry, Function<RemovedNodePruning, ReplicatedData> transform) {
    return entry.value() instanceof RemovedNodePruning value
        ? new Entry<>(entry.key(), (V) transform.apply(value))
        : entry;
  }

  @SuppressWarnings("unchecked")
  private static <V extends ReplicatedData> V mergeValues(V a, V b) {
    return a == b ? a : (V) a.merge(b);
  }

  /** The Replicator collects deltas of the top-level value only; a value's own delta is noise. */
  @SuppressWarnings("unchecked")
  private static <V extends ReplicatedData> V withoutDelta(V value) {
    return value instanceof DeltaReplicatedData delta ? (V) delta.resetDelta() : value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CausalMap<?> that && kernel.equals(that.kernel);
  }

  @Override
  public int hashCode() {
    return kernel.hashCode();
  }

  @Override
  public String toString() {
    return "CausalMap" + entries();
  }
}
