package io.continuum.crdt.field;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;

/**
 * The declared type of one field of a replicated object, e.g. {@code pncounter} or {@code
 * ormap<lwwregister>}, and the pure logic that applies named operations to the field's replicated
 * data and renders it for JSON. Nothing here needs a cluster: the caller passes the current value
 * and its own node address, and stores what comes back.
 *
 * <pre>{@code
 * FieldSpec visits = FieldSpec.parse("pncounter");
 * ReplicatedData v = visits.apply(Optional.empty(), self, "increment", List.of("5"));
 * visits.read(Optional.of(v));                                    // 5L
 *
 * FieldSpec prefs = FieldSpec.parse("ormap<lwwregister>");
 * ReplicatedData p = prefs.apply(Optional.empty(), self, "put", List.of("color", "red"));
 * prefs.read(Optional.of(p));                                     // {color=red}
 * prefs.apply(Optional.of(p), self, "increment", List.of());
 * // IllegalArgumentException: field type ormap<lwwregister> does not accept 'increment';
 * //   it accepts: put, update, remove-key
 * }</pre>
 *
 * <p>An absent value ({@code Optional.empty()}) is a field never written: operations start from the
 * type's empty value, reads render it (0, [], null, false, {}).
 *
 * @param type the field's type
 * @param valueType for {@link FieldType#ORMAP}, the type of its values; empty otherwise
 */
public record FieldSpec(FieldType type, Optional<FieldType> valueType) {

  public FieldSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(valueType, "valueType");
    if (type == FieldType.ORMAP && valueType.isEmpty()) {
      throw new IllegalArgumentException(
          "an ormap needs a value type, e.g. ormap<lwwregister>; use one of: " + mapValueNames());
    }
    if (type != FieldType.ORMAP && valueType.isPresent()) {
      throw new IllegalArgumentException(
          "only an ormap has a value type, " + type.wireName() + " has none");
    }
    if (valueType.isPresent() && !valueType.get().isMapValue()) {
      throw new IllegalArgumentException(
          "an ormap cannot hold "
              + valueType.get().wireName()
              + "; use one of: "
              + mapValueNames());
    }
  }

  /** The spec of a field of a type without a value type, i.e. anything but an ormap. */
  public static FieldSpec of(FieldType type) {
    return new FieldSpec(type, Optional.empty());
  }

  /** The spec of an ormap field with values of {@code valueType}. */
  public static FieldSpec mapOf(FieldType valueType) {
    return new FieldSpec(FieldType.ORMAP, Optional.of(valueType));
  }

  /**
   * Parses a wire name: a {@link FieldType} name, or {@code ormap<V>} with V a value type, ignoring
   * case and spaces.
   *
   * @throws IllegalArgumentException naming what is accepted
   */
  public static FieldSpec parse(String name) {
    String text = name == null ? "" : name.replace(" ", "");
    int open = text.indexOf('<');
    if (open < 0) {
      return of(FieldType.parse(text));
    }
    if (!text.endsWith(">")) {
      throw new IllegalArgumentException(
          "malformed field type '" + name + "'; a map is written ormap<value type>");
    }
    FieldType type = FieldType.parse(text.substring(0, open));
    if (type != FieldType.ORMAP) {
      throw new IllegalArgumentException(
          "only an ormap has a value type, got '" + name + "'; use " + type.wireName());
    }
    return mapOf(FieldType.parse(text.substring(open + 1, text.length() - 1)));
  }

  /** The wire name, {@code parse}'s inverse, e.g. {@code ormap<pncounter>}. */
  public String wireName() {
    return valueType.map(v -> type.wireName() + "<" + v.wireName() + ">").orElse(type.wireName());
  }

  /** The operations a field of this spec accepts. */
  public Set<FieldOperation> operations() {
    EnumSet<FieldOperation> operations = EnumSet.copyOf(type.operations());
    if (valueType.isPresent() && !valueType.get().isRegister()) {
      operations.remove(FieldOperation.PUT);
    }
    return Collections.unmodifiableSet(operations);
  }

  /**
   * Applies the operation named {@code operation} to the field's current value.
   *
   * @param current the field's value, empty if it was never written
   * @param node this replica, which records the write
   * @param operation a {@link FieldOperation} wire name, e.g. {@code increment}
   * @param args the operation's arguments, e.g. {@code ["5"]}
   * @return the new value, to be stored and replicated
   * @throws IllegalArgumentException if the operation is not one this spec accepts (the message
   *     lists those it does), its arguments are wrong, or {@code current} is not of this type
   */
  public ReplicatedData apply(
      Optional<ReplicatedData> current,
      SelfUniqueAddress node,
      String operation,
      List<String> args) {
    return apply(current, node, operation, Arguments.of(args));
  }

  /** {@link #apply(Optional, SelfUniqueAddress, String, List)} for a map entry's value. */
  ReplicatedData apply(
      Optional<ReplicatedData> current,
      SelfUniqueAddress node,
      String operation,
      Arguments arguments) {
    FieldOperation op = operation(operation);
    return switch (type) {
      case GCOUNTER, PNCOUNTER -> CounterField.apply(this, current, node, op, arguments);
      case GSET, ORSET -> SetField.apply(this, current, node, op, arguments);
      case LWWREGISTER, MVREGISTER -> RegisterField.apply(this, current, node, op, arguments);
      case FLAG, EWFLAG -> FlagField.apply(this, current, node, op, arguments);
      case ORMAP, PNCOUNTERMAP -> MapField.apply(this, current, node, op, arguments);
    };
  }

  /**
   * Renders the field's value as a JSON-friendly Java value: a {@link Long} (a {@link
   * java.math.BigInteger} past {@code Long.MAX_VALUE}) for counters, a sorted {@link List} of
   * strings for sets and multi-value registers, a String or null for an LWW register, a {@link
   * Boolean} for flags, a sorted {@link java.util.Map} for maps.
   *
   * @param current the field's value, empty if it was never written
   * @throws IllegalArgumentException if {@code current} is not of this type
   */
  public Object read(Optional<ReplicatedData> current) {
    return switch (type) {
      case GCOUNTER, PNCOUNTER -> CounterField.read(this, current);
      case GSET, ORSET -> SetField.read(this, current);
      case LWWREGISTER, MVREGISTER -> RegisterField.read(this, current);
      case FLAG, EWFLAG -> FlagField.read(this, current);
      case ORMAP, PNCOUNTERMAP -> MapField.read(this, current);
    };
  }

  /**
   * Answers the query named {@code query}: {@code value} (as {@link #read}), {@code contains
   * <element>} for sets, {@code get <key>} for maps.
   *
   * @throws IllegalArgumentException if this spec does not answer the query (the message lists
   *     those it does) or its arguments are wrong
   */
  public Object query(Optional<ReplicatedData> current, String query, List<String> args) {
    FieldQuery q = query(query);
    Arguments arguments = Arguments.of(args);
    return switch (q) {
      case VALUE -> {
        arguments.none("value");
        yield read(current);
      }
      case CONTAINS -> SetField.contains(this, current, arguments.one("contains <element>"));
      case GET -> MapField.get(this, current, arguments.one("get <key>"));
    };
  }

  /**
   * The current value as this spec's data class, or empty if absent.
   *
   * @throws IllegalArgumentException if the value is of another class
   */
  <T extends ReplicatedData> Optional<T> typed(Optional<ReplicatedData> current) {
    current.ifPresent(
        data -> {
          if (!type.dataClass().isInstance(data)) {
            throw new IllegalArgumentException(
                "field of type "
                    + wireName()
                    + " holds a "
                    + data.getClass().getSimpleName()
                    + ", not a "
                    + type.dataClass().getSimpleName());
          }
        });
    @SuppressWarnings("unchecked")
    Optional<T> typed = (Optional<T>) current;
    return typed;
  }

  /** The error for an operation this spec accepts by name but not in this place. */
  IllegalArgumentException notAccepted(String operation) {
    return new IllegalArgumentException(
        "field type "
            + wireName()
            + " does not accept '"
            + operation
            + "'; it accepts: "
            + join(operations()));
  }

  private FieldOperation operation(String name) {
    return operations().stream()
        .filter(op -> op.wireName().equals(name))
        .findFirst()
        .orElseThrow(() -> notAccepted(name));
  }

  private FieldQuery query(String name) {
    return type.queries().stream()
        .filter(q -> q.wireName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "field type "
                        + wireName()
                        + " does not answer '"
                        + name
                        + "'; it answers: "
                        + join(type.queries())));
  }

  private static String join(Set<?> names) {
    return names.stream().map(Object::toString).collect(Collectors.joining(", "));
  }

  private static String mapValueNames() {
    return FieldType.wireNames(
        Arrays.stream(FieldType.values()).filter(FieldType::isMapValue).toArray(FieldType[]::new));
  }

  @Override
  public String toString() {
    return wireName();
  }
}
