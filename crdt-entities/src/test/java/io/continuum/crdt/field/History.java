package io.continuum.crdt.field;

import io.continuum.crdt.TestNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.cluster.ddata.DeltaReplicatedData;
import org.apache.pekko.cluster.ddata.ReplicatedData;

/**
 * What happened to one field on three replicas: each replica's first operation, then a sequence of
 * operations on and merges between replicas. Replaying it gives the three replicas' states.
 *
 * @param spec the field's type
 * @param first each replica's first operation, so that every replica has a value
 * @param steps what happened next, in order
 */
record History(FieldSpec spec, List<Operation> first, List<Step> steps) {

  /** One event: an operation on a replica, or a replica merging in another's state. */
  sealed interface Step {}

  /** Replica {@code replica} applies {@code operation}. */
  record Apply(int replica, Operation operation) implements Step {
    @Override
    public String toString() {
      return replica + ": " + operation;
    }
  }

  /** Replica {@code into} merges in the state of replica {@code from}. */
  record Merge(int into, int from) implements Step {
    @Override
    public String toString() {
      return into + " <- " + from;
    }
  }

  /** Replays the history; returns the replicas' final states. */
  List<ReplicatedData> replay() {
    List<ReplicatedData> replicas = new ArrayList<>();
    for (int replica = 0; replica < first.size(); replica++) {
      replicas.add(apply(Optional.empty(), replica, first.get(replica)));
    }
    for (Step step : steps) {
      if (step instanceof Apply apply) {
        replicas.set(
            apply.replica(),
            apply(Optional.of(replicas.get(apply.replica())), apply.replica(), apply.operation()));
      } else if (step instanceof Merge merge) {
        replicas.set(merge.into(), merge(replicas.get(merge.into()), replicas.get(merge.from())));
      }
    }
    return replicas;
  }

  /** Pekko's merge, through the erased signature every replicated data type shares. */
  static ReplicatedData merge(ReplicatedData a, ReplicatedData b) {
    return a.merge(b);
  }

  /** The reading of a state, as the object layer would render it. */
  Object read(ReplicatedData state) {
    return spec.read(Optional.of(state));
  }

  /**
   * Applies an operation as the Replicator's update would: the Replicator takes the accumulated
   * delta and keeps the state without it.
   */
  private ReplicatedData apply(Optional<ReplicatedData> current, int replica, Operation op) {
    ReplicatedData next =
        spec.apply(current, TestNodes.REPLICAS.get(replica), op.name(), op.args());
    return next instanceof DeltaReplicatedData delta ? delta.resetDelta() : next;
  }
}
