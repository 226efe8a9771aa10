package io.continuum.object;

import io.continuum.crdt.CausalMap;
import io.continuum.crdt.field.FieldSpec;
import io.continuum.crdt.field.FieldType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.ddata.GSet;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The layout of one object in its Replicator entry: a {@link CausalMap} whose key {@code
 * <field>|<type>} holds the field's value, and whose key {@code @zones} holds the zones the object
 * replicates to (a {@link GSet}). The type is part of the key so that an object created on first
 * use knows its fields' types without a schema; were one field created concurrently with two types,
 * both values are kept and the type that sorts first wins, deterministically on every replica.
 */
final class ObjectState {

  static final String ZONES_KEY = "@zones";
  private static final String WRITER_PREFIX = "@writer|";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  /** One field: its name, type and value. */
  record Field(String name, FieldSpec spec, ReplicatedData value) {
    Object read() {
      return spec.read(Optional.of(value));
    }
  }

  private ObjectState() {}

  /**
   * @throws IllegalArgumentException unless {@code name} is a valid object or field name
   */
  static String requireValidName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " name '"
              + name
              + "': use 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
    return name;
  }

  static boolean exists(CausalMap<ReplicatedData> state) {
    return state.entries().keySet().stream().anyMatch(key -> !key.startsWith(WRITER_PREFIX));
  }

  /** The fields by name. */
  static SortedMap<String, Field> fields(CausalMap<ReplicatedData> state) {
    SortedMap<String, Field> fields = new TreeMap<>();
    state
        .entries()
        .forEach(
            (key, value) -> {
              int bar = key.indexOf('|');
              if (bar > 0 && !key.startsWith("@")) {
                String name = key.substring(0, bar);
                fields.putIfAbsent(
                    name, new Field(name, FieldSpec.parse(key.substring(bar + 1)), value));
              }
            });
    return fields;
  }

  /** The zones the object replicates to, sorted; empty for an object that does not exist. */
  static List<String> zones(CausalMap<ReplicatedData> state) {
    return state
        .get(ZONES_KEY)
        .map(
            zones ->
                CollectionConverters.asJava(((GSet<?>) zones).elements()).stream()
                    .map(String::valueOf)
                    .sorted()
                    .toList())
        .orElse(List.of());
  }

  /**
   * Applies one operation to a field, creating the object (with {@code zones}) and the field (with
   * {@code type}) when absent.
   *
   * @param type the field's type, required when the field does not exist yet
   * @param writer when present and it applied this sequence number or a later one already, the
   *     state is returned unchanged; else its sequence number is recorded with the update (key
   *     {@code @writer|<id>}, a register whose timestamp is the sequence number, so merges keep the
   *     highest)
   * @throws IllegalArgumentException when the object lives in other zones, the field has another
   *     type, a new field has no type, or the operation does not suit the type
   */
  static CausalMap<ReplicatedData> update(
      CausalMap<ReplicatedData> state,
      SelfUniqueAddress self,
      String object,
      String field,
      String operation,
      List<String> args,
      Optional<FieldSpec> type,
      List<String> zones,
      Optional<ReplicatedObjects.Writer> writer) {
    if (writer.isPresent() && appliedSeq(state, writer.get().id()) >= writer.get().seq()) {
      return state;
    }
    List<String> existingZones = zones(state);
    if (!existingZones.isEmpty() && !new HashSet<>(existingZones).equals(new HashSet<>(zones))) {
      throw new IllegalArgumentException(
          "object '"
              + object
              + "' replicates to zones "
              + String.join(", ", existingZones)
              + ", not "
              + String.join(", ", zones)
              + "; leave the zones out (changing an object's zones is not supported yet)");
    }
    Field existing = fields(state).get(field);
    FieldSpec spec;
    if (existing != null) {
      if (type.isPresent() && !type.get().equals(existing.spec())) {
        throw new IllegalArgumentException(
            "field '"
                + field
                + "' of object '"
                + object
                + "' is a "
                + existing.spec()
                + ", not a "
                + type.get()
                + "; leave the type out or give "
                + existing.spec());
      }
      spec = existing.spec();
    } else {
      spec =
          type.orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "object '"
                          + object
                          + "' has no field '"
                          + field
                          + "' yet: give its type to create it, one of: "
                          + typeNames()));
    }
    String key = field + "|" + spec.wireName();
    CausalMap<ReplicatedData> next =
        state.update(self, key, current -> spec.apply(current, self, operation, args));
    if (existingZones.isEmpty()) {
      next =
          next.update(
              self,
              ZONES_KEY,
              current -> {
                @SuppressWarnings("unchecked")
                GSet<String> set = current.map(c -> (GSet<String>) c).orElse(GSet.create());
                for (String zone : zones) {
                  set = set.add(zone);
                }
                return set;
              });
    }
    if (writer.isPresent()) {
      long seq = writer.get().seq();
      LWWRegister.Clock<String> bySeq = (current, value) -> seq;
      next =
          next.update(
              self,
              WRITER_PREFIX + writer.get().id(),
              current ->
                  current
                      .map(
                          r -> ((LWWRegister<String>) r).withValue(self, Long.toString(seq), bySeq))
                      .orElseGet(() -> LWWRegister.create(self, Long.toString(seq), bySeq)));
    }
    return next;
  }

  /** The highest sequence number {@code writer} applied, 0 when none. */
  @SuppressWarnings("unchecked")
  static long appliedSeq(CausalMap<ReplicatedData> state, String writer) {
    return state
        .get(WRITER_PREFIX + writer)
        .map(r -> Long.parseLong(((LWWRegister<String>) r).getValue()))
        .orElse(0L);
  }

  /**
   * Removes every field and the zones: the object no longer exists (concurrent writes survive).
   * What idempotent writers applied is kept, so that a repeated update cannot bring a field back.
   */
  static CausalMap<ReplicatedData> delete(CausalMap<ReplicatedData> state) {
    CausalMap<ReplicatedData> next = state;
    for (String key : state.entries().keySet()) {
      if (!key.startsWith(WRITER_PREFIX)) {
        next = next.remove(key);
      }
    }
    return next;
  }

  /** The fields as JSON-friendly values, by name. */
  static Map<String, Object> values(CausalMap<ReplicatedData> state) {
    Map<String, Object> values = new TreeMap<>();
    fields(state).forEach((name, field) -> values.put(name, field.read()));
    return values;
  }

  static String typeNames() {
    List<String> names =
        new ArrayList<>(Arrays.stream(FieldType.values()).map(FieldType::wireName).toList());
    names.replaceAll(n -> n.equals("ormap") ? "ormap<V>" : n);
    return names.stream().collect(Collectors.joining(", "));
  }
}
