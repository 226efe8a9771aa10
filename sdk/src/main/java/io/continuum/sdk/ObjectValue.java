package io.continuum.sdk;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A replicated object as a handler reads it: each field's reading, as in {@code bin/continuum
 * object get} — counters as numbers, sets as sorted lists, registers as strings, flags as booleans,
 * maps as maps. A field never written reads as its type's empty value.
 *
 * <pre>{@code
 * long readings = ctx.object("farm-stats").counter("readings");
 * List<String> sensors = ctx.object("farm-stats").elements("sensors");
 * }</pre>
 */
public final class ObjectValue {

  private final String id;
  private final Map<String, Object> fields;

  /**
   * @param id the object
   * @param fields each field's reading, by name
   */
  public ObjectValue(String id, Map<String, Object> fields) {
    this.id = id;
    this.fields = new TreeMap<>(fields);
  }

  /** The object's id. */
  public String id() {
    return id;
  }

  /** Every field's reading, by name. */
  public Map<String, Object> fields() {
    return Map.copyOf(fields);
  }

  /** The reading of a field, empty when it was never written. */
  public Optional<Object> value(String field) {
    return Optional.ofNullable(fields.get(field));
  }

  /** A counter's value, 0 when never written. */
  public long counter(String field) {
    return value(field).map(v -> as(field, v, Number.class).longValue()).orElse(0L);
  }

  /** A set's elements, sorted; empty when never written. */
  @SuppressWarnings("unchecked")
  public List<String> elements(String field) {
    return value(field).map(v -> (List<String>) as(field, v, List.class)).orElse(List.of());
  }

  /** A flag, false when never written. */
  public boolean flag(String field) {
    return value(field).map(v -> as(field, v, Boolean.class)).orElse(false);
  }

  /** A last-writer-wins register's value, empty when never assigned. */
  public Optional<String> register(String field) {
    return value(field).map(v -> as(field, v, String.class));
  }

  private <T> T as(String field, Object value, Class<T> type) {
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          "field '" + field + "' of object '" + id + "' reads as " + value.getClass().getName());
    }
    return type.cast(value);
  }

  @Override
  public String toString() {
    return id + fields;
  }
}
