package io.continuum.sdk.model;

import java.util.List;
import java.util.Map;

/**
 * A declared replicated object.
 *
 * @param id the object
 * @param fields field name to its type's wire name, in declaration order
 * @param zones the zones holding replicas; empty for every zone of the cluster
 */
public record ObjectModel(String id, Map<String, String> fields, List<String> zones) {}
