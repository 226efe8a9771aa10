package io.continuum.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The Kubernetes objects of a {@code helm template} output. */
final class Manifests {

  private final List<Doc> objects;

  private Manifests(List<Doc> objects) {
    this.objects = List.copyOf(objects);
  }

  static Manifests parse(String yaml) {
    List<Doc> objects = new ArrayList<>();
    for (Object document : new Yaml(new LoaderOptions()).loadAll(yaml)) {
      if (document != null) {
        objects.add(Doc.root(document));
      }
    }
    return new Manifests(objects);
  }

  List<Doc> all() {
    return objects;
  }

  List<Doc> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind").str())).toList();
  }

  /** The object of that kind and name; fails listing what was rendered. */
  Doc get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(
            () -> new AssertionError("no " + kind + " named " + name + "; rendered: " + summary()));
  }

  Optional<Doc> find(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> Objects.equals(name, o.at("metadata.name").str()))
        .findFirst();
  }

  /** kind/name of every object, for failure messages. */
  String summary() {
    return objects.stream()
        .map(o -> o.get("kind").str() + "/" + o.at("metadata.name").str())
        .collect(Collectors.joining(", "));
  }

  /** Whether every label of {@code selector} is among {@code labels}, as a Kubernetes selector. */
  static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
    return !selector.isEmpty()
        && selector.entrySet().stream()
            .allMatch(
                e -> Objects.equals(String.valueOf(e.getValue()), str(labels.get(e.getKey()))));
  }

  private static String str(Object value) {
    return value == null ? null : String.valueOf(value);
  }
}
