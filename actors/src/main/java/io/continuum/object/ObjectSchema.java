package io.continuum.object;

import io.continuum.crdt.field.FieldSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A declared object: its fields and the zones it replicates to. Objects without a schema are
 * created on first use, each field with the type its first update names.
 *
 * @param fields field name to its type
 * @param zones the zones the object replicates to, in order of preference for serving calls
 */
public record ObjectSchema(Map<String, FieldSpec> fields, List<String> zones) {

  public ObjectSchema {
    fields = Map.copyOf(Objects.requireNonNull(fields, "fields"));
    zones = List.copyOf(Objects.requireNonNull(zones, "zones"));
  }

  /** Where declared object schemas come from; {@link #NONE} until the DSL declares objects. */
  public interface Catalog {

    /** No declared objects: every object is created on first use. */
    Catalog NONE = object -> Optional.empty();

    /** The schema of {@code object}, if it is declared. */
    Optional<ObjectSchema> find(String object);
  }
}
