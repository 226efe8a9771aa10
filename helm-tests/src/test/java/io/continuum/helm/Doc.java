package io.continuum.helm;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A node of a parsed YAML document (a map, a list or a scalar), navigated by keys, with failures
 * that name the path that was missing.
 *
 * <pre>{@code
 * Doc container = deployment.at("spec.template.spec.containers").list().get(0);
 * String port = container.at("readinessProbe.httpGet.port").str();
 * }</pre>
 */
record Doc(String path, Object value) {

  static Doc root(Object value) {
    return new Doc("", value);
  }

  /** The value under {@code key} of this map. */
  Doc get(String key) {
    Object child = asMap().get(key);
    if (child == null) {
      throw new AssertionError("no '" + key + "' at " + describe() + " in " + value);
    }
    return new Doc(path.isEmpty() ? key : path + "." + key, child);
  }

  /** The value at a dotted path of keys, e.g. {@code spec.template.metadata.labels}. */
  Doc at(String dottedPath) {
    Doc doc = this;
    for (String key : dottedPath.split("\\.")) {
      doc = doc.get(key);
    }
    return doc;
  }

  boolean has(String key) {
    return value instanceof Map<?, ?> map && map.get(key) != null;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> asMap() {
    if (!(value instanceof Map<?, ?>)) {
      throw new AssertionError(describe() + " is not a map: " + value);
    }
    return (Map<String, Object>) value;
  }

  List<Doc> list() {
    if (!(value instanceof List<?> items)) {
      throw new AssertionError(describe() + " is not a list: " + value);
    }
    return IntStream.range(0, items.size())
        .mapToObj(i -> new Doc(path + "[" + i + "]", items.get(i)))
        .toList();
  }

  /** The item of this list whose {@code name} is {@code name}. */
  Doc named(String name) {
    return list().stream()
        .filter(item -> item.has("name") && name.equals(item.get("name").str()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no item named '" + name + "' in " + describe()));
  }

  String str() {
    return String.valueOf(value);
  }

  int integer() {
    if (value instanceof Number number) {
      return number.intValue();
    }
    return Integer.parseInt(str());
  }

  private String describe() {
    return path.isEmpty() ? "the document" : path;
  }
}
