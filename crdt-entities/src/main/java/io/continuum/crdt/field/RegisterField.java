package io.continuum.crdt.field;

import io.continuum.crdt.MVRegister;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;

/** Operations and reads of {@code lwwregister} and {@code mvregister} fields, of strings. */
final class RegisterField {

  private RegisterField() {}

  static ReplicatedData apply(
      FieldSpec spec,
      Optional<ReplicatedData> current,
      SelfUniqueAddress node,
      FieldOperation op,
      Arguments args) {
    String value = args.one("assign <value>");
    if (spec.type() == FieldType.LWWREGISTER) {
      // An LWWRegister has no empty state: the first assign creates it.
      return spec.<LWWRegister<String>>typed(current)
          .map(register -> register.withValue(node, value))
          .orElseGet(() -> LWWRegister.create(node, value));
    }
    return spec.<MVRegister<String>>typed(current).orElseGet(MVRegister::empty).assign(node, value);
  }

  static Object read(FieldSpec spec, Optional<ReplicatedData> current) {
    if (spec.type() == FieldType.LWWREGISTER) {
      return spec.<LWWRegister<String>>typed(current).map(LWWRegister::getValue).orElse(null);
    }
    return spec.<MVRegister<String>>typed(current)
        .map(register -> register.values().stream().sorted().toList())
        .orElse(List.of());
  }
}
