package io.continuum.object;

import io.continuum.crdt.field.FieldSpec;
import io.continuum.sdk.model.InvalidApplicationException;
import io.continuum.sdk.model.ObjectModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A declared object: its fields and the zones it replicates to. Objects without a schema are
 * created on first use, each field with the type its first update names.
 *
 * @param fields field name to its type
 * @param zones the zones the object replicates to, in order of preference for serving calls; empty
 *     for the zones with nodes when it is created
 */
public record ObjectSchema(Map<String, FieldSpec> fields, List<String> zones) {

  public ObjectSchema {
    fields = Map.copyOf(Objects.requireNonNull(fields, "fields"));
    zones = List.copyOf(Objects.requireNonNull(zones, "zones"));
  }

  /** Where declared object schemas come from. */
  public interface Catalog {

    /** The schema of {@code object}, if it is declared. */
    Optional<ObjectSchema> find(String object);

    /**
     * The objects an application declares; an object declared without zones is created in the zones
     * that have nodes, like an undeclared one.
     *
     * @throws InvalidApplicationException naming every field type that does not parse
     */
    static Catalog of(Collection<ObjectModel> objects) {
      Map<String, ObjectSchema> schemas = new HashMap<>();
      List<String> problems = new ArrayList<>();
      for (ObjectModel object : objects) {
        Map<String, FieldSpec> fields = new LinkedHashMap<>();
        object
            .fields()
            .forEach(
                (field, type) -> {
                  try {
                    ObjectState.requireValidName("field", field);
                    fields.put(field, FieldSpec.parse(type));
                  } catch (IllegalArgumentException e) {
                    problems.add("object '" + object.id() + "': " + e.getMessage());
                  }
                });
        schemas.put(object.id(), new ObjectSchema(fields, object.zones()));
      }
      if (!problems.isEmpty()) {
        throw new InvalidApplicationException(problems);
      }
      return id -> Optional.ofNullable(schemas.get(id));
    }
  }
}
