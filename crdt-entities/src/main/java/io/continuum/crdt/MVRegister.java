package io.continuum.crdt;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.AbstractReplicatedData;
import org.apache.pekko.cluster.ddata.RemovedNodePruning;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.util.ByteString;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A multi-value register: {@link #assign} replaces every value this replica has seen; values
 * assigned concurrently on different replicas are all kept, and {@link #values()} returns them all
 * until a later assign that has seen them replaces them.
 *
 * <pre>{@code
 * MVRegister<String> a = MVRegister.<String>empty().assign(nodeA, "red");
 * MVRegister<String> b = MVRegister.<String>empty().assign(nodeB, "blue");
 * a.mergeData(b).values();                          // [red, blue]: concurrent
 * a.mergeData(b).assign(nodeA, "green").values();   // [green]: it has seen both
 * }</pre>
 *
 * <p>Each value carries a dot (node, counter) and the register keeps a version vector of every
 * write seen (the optimized MV-register of Almeida et al., "Delta State Replicated Data Types").
 *
 * <p><b>Values</b> are restricted to what {@link CrdtSerializer} can write: {@link String} (valid
 * Unicode, as it is written in UTF-8), {@link Long}, {@link Double}, {@link Boolean} and {@link
 * ByteString} (for bytes: a {@code byte[]} has identity equality, so two replicas could never agree
 * on it). {@link #assign} refuses anything else at once, rather than at the next replication.
 *
 * <p><b>Full state only, no deltas.</b> The state is a handful of values plus one version entry per
 * writing node; a delta would have to carry the version vector too (that is how it removes the
 * values it replaces), so it would be nearly as large as the state and would need causal delivery.
 * Not worth it.
 *
 * <p>Supports pruning of removed nodes. Immutable.
 *
 * @param <A> the value type, one of the types listed above
 */
public final class MVRegister<A> extends AbstractReplicatedData<MVRegister<A>>
    implements RemovedNodePruning {

  private static final Set<Class<?>> VALUE_TYPES =
      Set.of(String.class, Long.class, Double.class, Boolean.class);

  private static final MVRegister<?> EMPTY = new MVRegister<>(DotKernel.empty());

  private final DotKernel<A> kernel;

  MVRegister(DotKernel<A> kernel) {
    this.kernel = kernel;
  }

  /** The register that has never been assigned. */
  @SuppressWarnings("unchecked")
  public static <A> MVRegister<A> empty() {
    return (MVRegister<A>) EMPTY;
  }

  /**
   * Replaces every value this replica has seen with {@code value}.
   *
   * @throws IllegalArgumentException if {@code value} is not a String, Long, Double, Boolean or
   *     ByteString
   */
  public MVRegister<A> assign(SelfUniqueAddress node, A value) {
    requireSupported(value);
    return new MVRegister<>(kernel.clear().add(node.uniqueAddress(), value));
  }

  /** The current values: empty before the first assign, several after concurrent assigns. */
  public Set<A> values() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(kernel.entries().values()));
  }

  /** Whether the register was never assigned. */
  public boolean isEmpty() {
    return kernel.entries().isEmpty();
  }

  DotKernel<A> kernel() {
    return kernel;
  }

  @Override
  public MVRegister<A> mergeData(MVRegister<A> that) {
    return new MVRegister<>(kernel.merge(that.kernel));
  }

  @Override
  public scala.collection.immutable.Set<UniqueAddress> modifiedByNodes() {
    return CollectionConverters.asScala(kernel.context().versions().keySet()).toSet();
  }

  @Override
  public boolean needPruningFrom(UniqueAddress removedNode) {
    return kernel.needPruningFrom(removedNode);
  }

  @Override
  public MVRegister<A> prune(UniqueAddress removedNode, UniqueAddress collapseInto) {
    return new MVRegister<>(kernel.prune(removedNode, collapseInto));
  }

  @Override
  public MVRegister<A> pruningCleanup(UniqueAddress removedNode) {
    return new MVRegister<>(kernel.pruningCleanup(removedNode));
  }

  private static void requireSupported(Object value) {
    boolean supported =
        value instanceof ByteString || (value != null && VALUE_TYPES.contains(value.getClass()));
    if (!supported) {
      throw new IllegalArgumentException(
          "an MVRegister holds String, Long, Double, Boolean or ByteString values, got "
              + (value == null ? "null" : value.getClass().getName()));
    }
    if (value instanceof String text && !StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
      throw new IllegalArgumentException(
          "an MVRegister string must be valid Unicode, without unpaired surrogates");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MVRegister<?> that && kernel.equals(that.kernel);
  }

  @Override
  public int hashCode() {
    return kernel.hashCode();
  }

  @Override
  public String toString() {
    return "MVRegister" + values();
  }
}
