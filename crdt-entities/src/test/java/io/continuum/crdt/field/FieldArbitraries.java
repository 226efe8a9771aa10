package io.continuum.crdt.field;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of field specs, operations and histories for the CRDT law properties. */
final class FieldArbitraries {

  /** Every field spec: each type, and an ormap of each value type. */
  static final List<FieldSpec> SPECS =
      Stream.concat(
              Arrays.stream(FieldType.values())
                  .filter(type -> type != FieldType.ORMAP)
                  .map(FieldSpec::of),
              Arrays.stream(FieldType.values()).filter(FieldType::isMapValue).map(FieldSpec::mapOf))
          .toList();

  private static final int REPLICAS = 3;

  private FieldArbitraries() {}

  /** Histories of random operations and merges on three replicas, of any spec. */
  static Arbitrary<History> histories() {
    return Arbitraries.of(SPECS).withoutEdgeCases().flatMap(FieldArbitraries::histories);
  }

  static Arbitrary<History> histories(FieldSpec spec) {
    Arbitrary<Integer> replica = Arbitraries.integers().between(0, REPLICAS - 1);
    Arbitrary<History.Step> apply =
        Combinators.combine(replica, operations(spec)).as(History.Apply::new);
    Arbitrary<History.Step> merge =
        Combinators.combine(replica, Arbitraries.integers().between(1, REPLICAS - 1))
            .as((into, offset) -> new History.Merge(into, (into + offset) % REPLICAS));
    Arbitrary<List<History.Step>> steps =
        Arbitraries.frequencyOf(Tuple.of(3, apply), Tuple.of(1, merge)).list().ofMaxSize(30);
    return Combinators.combine(operations(spec).list().ofSize(REPLICAS), steps)
        .as((first, rest) -> new History(spec, first, rest));
  }

  /** Operations a field of {@code spec} accepts, over few elements and keys so that they meet. */
  static Arbitrary<Operation> operations(FieldSpec spec) {
    Arbitrary<String> element = Arbitraries.of("a", "b", "c");
    Arbitrary<String> key = Arbitraries.of("x", "y");
    Arbitrary<String> amount = Arbitraries.longs().between(1, 5).map(String::valueOf);
    return switch (spec.type()) {
      case GCOUNTER -> amount.map(n -> new Operation("increment", n));
      case PNCOUNTER ->
          Combinators.combine(Arbitraries.of("increment", "decrement"), amount)
              .as((name, n) -> new Operation(name, n));
      case GSET -> element.map(e -> new Operation("add", e));
      case ORSET ->
          Arbitraries.oneOf(
              element.map(e -> new Operation("add", e)),
              element.map(e -> new Operation("remove", e)),
              Arbitraries.just(new Operation("clear")));
      case LWWREGISTER, MVREGISTER -> element.map(e -> new Operation("assign", e));
      case FLAG -> Arbitraries.just(new Operation("enable"));
      case EWFLAG -> Arbitraries.of(new Operation("enable"), new Operation("disable"));
      case PNCOUNTERMAP ->
          Arbitraries.frequencyOf(
              Tuple.of(
                  3,
                  Combinators.combine(Arbitraries.of("increment", "decrement"), key, amount)
                      .as((name, k, n) -> new Operation(name, k, n))),
              Tuple.of(1, key.map(k -> new Operation("remove-key", k))));
      case ORMAP -> mapOperations(spec, key);
    };
  }

  private static Arbitrary<Operation> mapOperations(FieldSpec spec, Arbitrary<String> key) {
    FieldType valueType = spec.valueType().orElseThrow();
    Arbitrary<Operation> update =
        Combinators.combine(key, operations(FieldSpec.of(valueType))).as((k, op) -> op.onKey(k));
    Arbitrary<Operation> removeKey = key.map(k -> new Operation("remove-key", k));
    if (!valueType.isRegister()) {
      return Arbitraries.frequencyOf(Tuple.of(3, update), Tuple.of(1, removeKey));
    }
    Arbitrary<Operation> put =
        Combinators.combine(key, Arbitraries.of("a", "b", "c"))
            .as((k, v) -> new Operation("put", k, v));
    return Arbitraries.frequencyOf(Tuple.of(2, update), Tuple.of(2, put), Tuple.of(1, removeKey));
  }
}
