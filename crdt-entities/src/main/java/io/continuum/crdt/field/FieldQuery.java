package io.continuum.crdt.field;

/**
 * A named read of a field, as it appears on the wire and in the CLI. Every field answers {@code
 * value}; sets and maps also answer a question about one element or key.
 */
public enum FieldQuery {
  /** The whole value, rendered as by {@link FieldSpec#read}. */
  VALUE("value"),
  /** Whether a set holds an element: {@code contains <element>}, a Boolean. */
  CONTAINS("contains"),
  /** The value at one key of a map, or null: {@code get <key>}. */
  GET("get");

  private final String wireName;

  FieldQuery(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on the wire and in the CLI. */
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
