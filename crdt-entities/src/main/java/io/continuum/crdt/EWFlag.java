package io.continuum.crdt;

import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.AbstractReplicatedData;
import org.apache.pekko.cluster.ddata.RemovedNodePruning;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import scala.jdk.javaapi.CollectionConverters;

/**
 * An enable-wins flag: a boolean that can be switched on and off any number of times; when one
 * replica enables it while another concurrently disables it, the merged flag is enabled.
 *
 * <pre>{@code
 * EWFlag on = EWFlag.empty().enable(nodeA);
 * EWFlag off = on.disable();                          // has seen the enable
 * off.mergeData(on).enabled();                        // false: the disable saw that enable
 * off.mergeData(on.enable(nodeB)).enabled();          // true: a concurrent enable wins
 * }</pre>
 *
 * <p>Built like an observed-remove set of one element (as Riak's flag): {@link #enable} records a
 * fresh dot (node, counter), {@link #disable} drops the dots it has seen, and the flag is enabled
 * while any dot is live. A version vector of every dot seen tells, on merge, a dot that the other
 * side dropped from one it never saw.
 *
 * <p><b>Full state only, no deltas.</b> The state is at most one live dot per node plus a version
 * vector; a delta of {@code disable} would be that same vector, so deltas would save nothing and
 * would need causal delivery.
 *
 * <p>Supports pruning of removed nodes. Immutable.
 */
public final class EWFlag extends AbstractReplicatedData<EWFlag> implements RemovedNodePruning {

  private static final EWFlag EMPTY = new EWFlag(DotKernel.empty());

  private final DotKernel<Boolean> kernel;

  EWFlag(DotKernel<Boolean> kernel) {
    this.kernel = kernel;
  }

  /** The flag that was never enabled: disabled. */
  public static EWFlag empty() {
    return EMPTY;
  }

  /** Switches the flag on; wins over any disable that has not seen it. */
  public EWFlag enable(SelfUniqueAddress node) {
    return new EWFlag(kernel.clear().add(node.uniqueAddress(), Boolean.TRUE));
  }

  /** Switches the flag off, as far as this replica has seen it enabled. */
  public EWFlag disable() {
    return new EWFlag(kernel.clear());
  }

  /** Whether the flag is on. */
  public boolean enabled() {
    return !kernel.entries().isEmpty();
  }

  DotKernel<Boolean> kernel() {
    return kernel;
  }

  @Override
  public EWFlag mergeData(EWFlag that) {
    return new EWFlag(kernel.merge(that.kernel));
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
  public EWFlag prune(UniqueAddress removedNode, UniqueAddress collapseInto) {
    return new EWFlag(kernel.prune(removedNode, collapseInto));
  }

  @Override
  public EWFlag pruningCleanup(UniqueAddress removedNode) {
    return new EWFlag(kernel.pruningCleanup(removedNode));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EWFlag that && kernel.equals(that.kernel);
  }

  @Override
  public int hashCode() {
    return kernel.hashCode();
  }

  @Override
  public String toString() {
    return "EWFlag(" + enabled() + ")";
  }
}
