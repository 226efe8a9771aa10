package io.continuum.sdk;

/**
 * The named CRDT fields of a declared object. Each method adds one field; names are unique per
 * object. See {@code docs/objects.md} for the operations and readings of every type.
 *
 * <pre>{@code
 * app.object("farm-stats", o -> o.pnCounter("readings").orSet("sensors")).zones("edge-a", "cloud");
 * }</pre>
 */
public interface ObjectFields {

  /** A field of a type by its wire name, e.g. {@code pncounter} or {@code ormap<lwwregister>}. */
  ObjectFields field(String name, String type);

  /** A grow-only counter: {@code increment}. */
  default ObjectFields gCounter(String name) {
    return field(name, "gcounter");
  }

  /** A counter: {@code increment}, {@code decrement}. */
  default ObjectFields pnCounter(String name) {
    return field(name, "pncounter");
  }

  /** A grow-only set of strings: {@code add}. */
  default ObjectFields gSet(String name) {
    return field(name, "gset");
  }

  /** An observed-remove set of strings: {@code add}, {@code remove}, {@code clear}. */
  default ObjectFields orSet(String name) {
    return field(name, "orset");
  }

  /** A last-writer-wins register: {@code assign}. */
  default ObjectFields lwwRegister(String name) {
    return field(name, "lwwregister");
  }

  /** A multi-value register, read as all concurrent values: {@code assign}. */
  default ObjectFields mvRegister(String name) {
    return field(name, "mvregister");
  }

  /** An enable-only flag: {@code enable}. */
  default ObjectFields flag(String name) {
    return field(name, "flag");
  }

  /** An enable-wins flag: {@code enable}, {@code disable}. */
  default ObjectFields ewFlag(String name) {
    return field(name, "ewflag");
  }

  /**
   * A map of counters: {@code increment KEY [N]}, {@code decrement KEY [N]}, {@code remove-key}.
   */
  default ObjectFields pnCounterMap(String name) {
    return field(name, "pncountermap");
  }

  /**
   * A map from keys to values of {@code valueType} (e.g. {@code lwwregister}, {@code pncounter},
   * {@code orset}): {@code put}, {@code update KEY OP [ARGS]}, {@code remove-key}.
   */
  default ObjectFields orMap(String name, String valueType) {
    return field(name, "ormap<" + valueType + ">");
  }
}
