package io.continuum.crdt.field;

import io.continuum.crdt.EWFlag;
import java.util.Optional;
import org.apache.pekko.cluster.ddata.Flag;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;

/** Operations and reads of {@code flag} and {@code ewflag} fields. */
final class FlagField {

  private FlagField() {}

  static ReplicatedData apply(
      FieldSpec spec,
      Optional<ReplicatedData> current,
      SelfUniqueAddress node,
      FieldOperation op,
      Arguments args) {
    if (spec.type() == FieldType.FLAG) {
      args.none("enable");
      return spec.<Flag>typed(current).orElseGet(Flag::create).switchOn();
    }
    EWFlag flag = spec.<EWFlag>typed(current).orElseGet(EWFlag::empty);
    return switch (op) {
      case ENABLE -> {
        args.none("enable");
        yield flag.enable(node);
      }
      case DISABLE -> {
        args.none("disable");
        yield flag.disable();
      }
      default -> throw spec.notAccepted(op.wireName());
    };
  }

  static Boolean read(FieldSpec spec, Optional<ReplicatedData> current) {
    return spec.type() == FieldType.FLAG
        ? spec.<Flag>typed(current).map(Flag::enabled).orElse(false)
        : spec.<EWFlag>typed(current).map(EWFlag::enabled).orElse(false);
  }
}
