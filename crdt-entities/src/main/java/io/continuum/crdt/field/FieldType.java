package io.continuum.crdt.field;

import static io.continuum.crdt.field.FieldOperation.ADD;
import static io.continuum.crdt.field.FieldOperation.ASSIGN;
import static io.continuum.crdt.field.FieldOperation.CLEAR;
import static io.continuum.crdt.field.FieldOperation.DECREMENT;
import static io.continuum.crdt.field.FieldOperation.DISABLE;
import static io.continuum.crdt.field.FieldOperation.ENABLE;
import static io.continuum.crdt.field.FieldOperation.INCREMENT;
import static io.continuum.crdt.field.FieldOperation.PUT;
import static io.continuum.crdt.field.FieldOperation.REMOVE;
import static io.continuum.crdt.field.FieldOperation.REMOVE_KEY;
import static io.continuum.crdt.field.FieldOperation.UPDATE;
import static io.continuum.crdt.field.FieldQuery.CONTAINS;
import static io.continuum.crdt.field.FieldQuery.GET;
import static io.continuum.crdt.field.FieldQuery.VALUE;

import io.continuum.crdt.CausalMap;
import io.continuum.crdt.EWFlag;
import io.continuum.crdt.MVRegister;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.ddata.Flag;
import org.apache.pekko.cluster.ddata.GCounter;
import org.apache.pekko.cluster.ddata.GSet;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.ORSet;
import org.apache.pekko.cluster.ddata.PNCounter;
import org.apache.pekko.cluster.ddata.ReplicatedData;

/**
 * The CRDT types a field of a replicated object can have, with their wire names, the replicated
 * data class that holds them and the operations and queries they accept.
 *
 * <table>
 *   <caption>Field types</caption>
 *   <tr><th>wire name</th><th>operations</th><th>read as</th></tr>
 *   <tr><td>gcounter</td><td>increment</td><td>number</td></tr>
 *   <tr><td>pncounter</td><td>increment, decrement</td><td>number</td></tr>
 *   <tr><td>gset</td><td>add</td><td>sorted list of strings</td></tr>
 *   <tr><td>orset</td><td>add, remove, clear</td><td>sorted list of strings</td></tr>
 *   <tr><td>lwwregister</td><td>assign</td><td>string, or null before the first assign</td></tr>
 *   <tr><td>mvregister</td><td>assign</td><td>sorted list of the concurrent values</td></tr>
 *   <tr><td>flag</td><td>enable</td><td>boolean</td></tr>
 *   <tr><td>ewflag</td><td>enable, disable</td><td>boolean</td></tr>
 *   <tr><td>ormap&lt;V&gt;</td><td>put (register values), update, remove-key</td>
 *       <td>map from key to V's reading</td></tr>
 *   <tr><td>pncountermap</td><td>increment, decrement, remove-key</td>
 *       <td>map from key to number</td></tr>
 * </table>
 *
 * <p>Elements, values and keys are strings. Both map types are {@link CausalMap}s, not Pekko's
 * {@code ORMap}/{@code PNCounterMap}: Pekko's maps can resurrect removed values, depending on the
 * order of merges (see {@link CausalMap}).
 */
public enum FieldType {
  GCOUNTER("gcounter", GCounter.class, EnumSet.of(INCREMENT), EnumSet.of(VALUE)),
  PNCOUNTER("pncounter", PNCounter.class, EnumSet.of(INCREMENT, DECREMENT), EnumSet.of(VALUE)),
  GSET("gset", GSet.class, EnumSet.of(ADD), EnumSet.of(VALUE, CONTAINS)),
  ORSET("orset", ORSet.class, EnumSet.of(ADD, REMOVE, CLEAR), EnumSet.of(VALUE, CONTAINS)),
  LWWREGISTER("lwwregister", LWWRegister.class, EnumSet.of(ASSIGN), EnumSet.of(VALUE)),
  MVREGISTER("mvregister", MVRegister.class, EnumSet.of(ASSIGN), EnumSet.of(VALUE)),
  FLAG("flag", Flag.class, EnumSet.of(ENABLE), EnumSet.of(VALUE)),
  EWFLAG("ewflag", EWFlag.class, EnumSet.of(ENABLE, DISABLE), EnumSet.of(VALUE)),
  ORMAP("ormap", CausalMap.class, EnumSet.of(PUT, UPDATE, REMOVE_KEY), EnumSet.of(VALUE, GET)),
  PNCOUNTERMAP(
      "pncountermap",
      CausalMap.class,
      EnumSet.of(INCREMENT, DECREMENT, REMOVE_KEY),
      EnumSet.of(VALUE, GET));

  private final String wireName;
  private final Class<? extends ReplicatedData> dataClass;
  private final Set<FieldOperation> operations;
  private final Set<FieldQuery> queries;

  FieldType(
      String wireName,
      Class<? extends ReplicatedData> dataClass,
      Set<FieldOperation> operations,
      Set<FieldQuery> queries) {
    this.wireName = wireName;
    this.dataClass = dataClass;
    this.operations = Collections.unmodifiableSet(operations);
    this.queries = Collections.unmodifiableSet(queries);
  }

  /**
   * The type with the given wire name, ignoring case.
   *
   * @throws IllegalArgumentException naming the accepted wire names
   */
  public static FieldType parse(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(type -> type.wireName.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown field type '" + name + "'; use one of: " + wireNames(values())));
  }

  /** The name used in configuration, on the wire and in the CLI, e.g. {@code pncounter}. */
  public String wireName() {
    return wireName;
  }

  /** The replicated data class that holds a field of this type. */
  public Class<? extends ReplicatedData> dataClass() {
    return dataClass;
  }

  /**
   * The operations this type accepts, in declaration order. For {@link #ORMAP}, {@code put} only
   * when its values are registers; see {@link FieldSpec#operations()}.
   */
  public Set<FieldOperation> operations() {
    return operations;
  }

  /** The queries this type answers, in declaration order. */
  public Set<FieldQuery> queries() {
    return queries;
  }

  /** Whether this type can be the value type of an {@link #ORMAP}: any type but the maps. */
  public boolean isMapValue() {
    return this != ORMAP && this != PNCOUNTERMAP;
  }

  /** Whether this type is a register, settable by {@code assign} (or {@code put} in a map). */
  public boolean isRegister() {
    return this == LWWREGISTER || this == MVREGISTER;
  }

  static String wireNames(FieldType... types) {
    return Arrays.stream(types).map(FieldType::wireName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
