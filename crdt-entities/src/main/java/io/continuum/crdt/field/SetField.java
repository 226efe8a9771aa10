package io.continuum.crdt.field;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.cluster.ddata.GSet;
import org.apache.pekko.cluster.ddata.ORSet;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;

/** Operations and reads of {@code gset} and {@code orset} fields, sets of strings. */
final class SetField {

  private SetField() {}

  static ReplicatedData apply(
      FieldSpec spec,
      Optional<ReplicatedData> current,
      SelfUniqueAddress node,
      FieldOperation op,
      Arguments args) {
    if (spec.type() == FieldType.GSET) {
      GSet<String> set = spec.<GSet<String>>typed(current).orElseGet(GSet::empty);
      return set.add(args.one("add <element>"));
    }
    ORSet<String> set = spec.<ORSet<String>>typed(current).orElseGet(ORSet::empty);
    return switch (op) {
      case ADD -> set.add(node, args.one("add <element>"));
      case REMOVE -> set.remove(node, args.one("remove <element>"));
      case CLEAR -> {
        args.none("clear");
        yield set.clear(node);
      }
      default -> throw spec.notAccepted(op.wireName());
    };
  }

  static List<String> read(FieldSpec spec, Optional<ReplicatedData> current) {
    return elements(spec, current).stream().sorted().toList();
  }

  static boolean contains(FieldSpec spec, Optional<ReplicatedData> current, String element) {
    return elements(spec, current).contains(element);
  }

  private static Set<String> elements(FieldSpec spec, Optional<ReplicatedData> current) {
    return spec.type() == FieldType.GSET
        ? spec.<GSet<String>>typed(current).map(GSet::getElements).orElse(Set.of())
        : spec.<ORSet<String>>typed(current).map(ORSet::getElements).orElse(Set.of());
  }
}
