package io.continuum.crdt.field;

import io.continuum.crdt.CausalMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.pekko.cluster.ddata.PNCounter;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;

/**
 * Operations and reads of {@code ormap<V>} and {@code pncountermap} fields: {@link CausalMap}s from
 * strings to V, or to PN-counters. A key removed on one replica while updated on another survives
 * with the concurrent update's value.
 */
final class MapField {

  private MapField() {}

  static ReplicatedData apply(
      FieldSpec spec,
      Optional<ReplicatedData> current,
      SelfUniqueAddress node,
      FieldOperation op,
      Arguments args) {
    CausalMap<ReplicatedData> map =
        spec.<CausalMap<ReplicatedData>>typed(current).orElseGet(CausalMap::empty);
    return switch (op) {
      case PUT -> {
        List<String> keyAndValue = args.two("put <key> <value>");
        Arguments value = Arguments.of(keyAndValue.subList(1, 2));
        yield map.update(
            node,
            keyAndValue.get(0),
            old -> valueSpec(spec).apply(old, node, FieldOperation.ASSIGN.wireName(), value));
      }
      case UPDATE -> {
        String key = args.first("update <key> <operation> [arguments]");
        Arguments operation = args.rest("update <key>");
        String name = operation.first("<operation> [arguments]");
        Arguments operationArgs = operation.rest("update <key>");
        yield map.update(node, key, old -> valueSpec(spec).apply(old, node, name, operationArgs));
      }
      case INCREMENT -> {
        String key = args.first("increment <key> [amount]");
        long amount = args.rest("increment <key>").optionalAmount("[amount]");
        yield map.update(node, key, old -> counter(old).increment(node, amount));
      }
      case DECREMENT -> {
        String key = args.first("decrement <key> [amount]");
        long amount = args.rest("decrement <key>").optionalAmount("[amount]");
        yield map.update(node, key, old -> counter(old).decrement(node, amount));
      }
      case REMOVE_KEY -> map.remove(args.one("remove-key <key>"));
      default -> throw spec.notAccepted(op.wireName());
    };
  }

  static Map<String, Object> read(FieldSpec spec, Optional<ReplicatedData> current) {
    FieldSpec values = valueSpec(spec);
    Map<String, Object> rendered = new TreeMap<>();
    spec.<CausalMap<ReplicatedData>>typed(current)
        .ifPresent(
            map ->
                map.entries()
                    .forEach((key, value) -> rendered.put(key, values.read(Optional.of(value)))));
    return rendered;
  }

  /** The reading of the value at {@code key}, or null if the map has no such key. */
  static Object get(FieldSpec spec, Optional<ReplicatedData> current, String key) {
    return spec.<CausalMap<ReplicatedData>>typed(current)
        .flatMap(map -> map.get(key))
        .map(value -> valueSpec(spec).read(Optional.of(value)))
        .orElse(null);
  }

  private static PNCounter counter(Optional<ReplicatedData> current) {
    return current.map(PNCounter.class::cast).orElseGet(PNCounter::empty);
  }

  private static FieldSpec valueSpec(FieldSpec spec) {
    return FieldSpec.of(spec.valueType().orElse(FieldType.PNCOUNTER));
  }
}
