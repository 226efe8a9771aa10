package io.continuum.crdt.field;

import java.util.ArrayList;
import java.util.List;

/** A named field operation with its arguments, as a test generates it. */
record Operation(String name, List<String> args) {

  Operation(String name, String... args) {
    this(name, List.of(args));
  }

  /** This operation on the entry at {@code key} of a map: {@code update <key> <name> <args>}. */
  Operation onKey(String key) {
    List<String> keyed = new ArrayList<>(List.of(key, name));
    keyed.addAll(args);
    return new Operation("update", keyed);
  }

  @Override
  public String toString() {
    return args.isEmpty() ? name : name + " " + String.join(" ", args);
  }
}
