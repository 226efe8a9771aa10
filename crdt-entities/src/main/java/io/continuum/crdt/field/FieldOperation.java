package io.continuum.crdt.field;

/**
 * A named update of a field, as it appears on the wire and in the CLI ({@code increment}, {@code
 * remove-key}, ...). Which operations a field accepts depends on its {@link FieldSpec}.
 */
public enum FieldOperation {
  /** Adds to a counter: {@code increment [amount]}, amount 1 by default. */
  INCREMENT("increment"),
  /** Subtracts from a counter: {@code decrement [amount]}, amount 1 by default. */
  DECREMENT("decrement"),
  /** Adds an element to a set: {@code add <element>}. */
  ADD("add"),
  /** Removes an element from an observed-remove set: {@code remove <element>}. */
  REMOVE("remove"),
  /** Removes every element of an observed-remove set that this replica has seen. */
  CLEAR("clear"),
  /** Sets a register: {@code assign <value>}. */
  ASSIGN("assign"),
  /** Switches a flag on. */
  ENABLE("enable"),
  /** Switches an enable-wins flag off. */
  DISABLE("disable"),
  /** Sets the register at a key of a map of registers: {@code put <key> <value>}. */
  PUT("put"),
  /**
   * Applies an operation of the value type to the entry at a key of a map, creating it if absent:
   * {@code update <key> <operation> [arguments]}, e.g. {@code update visits increment 5}.
   */
  UPDATE("update"),
  /** Removes a key and its value from a map: {@code remove-key <key>}. */
  REMOVE_KEY("remove-key");

  private final String wireName;

  FieldOperation(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on the wire and in the CLI, e.g. {@code remove-key}. */
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
