package io.continuum.crdt.field;

import java.math.BigInteger;
import java.util.Optional;
import org.apache.pekko.cluster.ddata.GCounter;
import org.apache.pekko.cluster.ddata.PNCounter;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;

/** Operations and reads of {@code gcounter} and {@code pncounter} fields. */
final class CounterField {

  private CounterField() {}

  static ReplicatedData apply(
      FieldSpec spec,
      Optional<ReplicatedData> current,
      SelfUniqueAddress node,
      FieldOperation op,
      Arguments args) {
    if (spec.type() == FieldType.GCOUNTER) {
      GCounter counter = spec.<GCounter>typed(current).orElseGet(GCounter::empty);
      return counter.increment(node, args.optionalAmount("increment [amount]"));
    }
    PNCounter counter = spec.<PNCounter>typed(current).orElseGet(PNCounter::empty);
    return switch (op) {
      case INCREMENT -> counter.increment(node, args.optionalAmount("increment [amount]"));
      case DECREMENT -> counter.decrement(node, args.optionalAmount("decrement [amount]"));
      default -> throw spec.notAccepted(op.wireName());
    };
  }

  static Object read(FieldSpec spec, Optional<ReplicatedData> current) {
    BigInteger value =
        spec.type() == FieldType.GCOUNTER
            ? spec.<GCounter>typed(current).map(GCounter::getValue).orElse(BigInteger.ZERO)
            : spec.<PNCounter>typed(current).map(PNCounter::getValue).orElse(BigInteger.ZERO);
    return number(value);
  }

  /** A Long while the value fits, else the BigInteger itself. */
  static Number number(BigInteger value) {
    return value.bitLength() < Long.SIZE ? (Number) value.longValueExact() : value;
  }
}
