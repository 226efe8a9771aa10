package io.continuum.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod as Kubernetes would create it from a rendered Deployment, for running its node as a local
 * process: the container's environment with the downward API and Secret references resolved, its
 * volume mounts replaced by local directories, and the Pod object the Kubernetes API would list.
 *
 * @param name the pod's name
 * @param environment the node container's environment, every value resolved
 * @param apiObject the Pod as {@code GET /api/v1/namespaces/{ns}/pods} returns it
 */
record RenderedPod(String name, Map<String, String> environment, Map<String, Object> apiObject) {

  static final String CONTAINER = "continuum";

  /**
   * The first pod of the Deployment {@code deployment}, with IP {@code podIp}; the container's
   * volumes become directories under {@code volumes}.
   */
  static RenderedPod of(Manifests manifests, String deployment, String podIp, Path volumes)
      throws IOException {
    Doc template = manifests.get("Deployment", deployment).at("spec.template");
    Doc container = template.at("spec.containers").named(CONTAINER);
    String name = deployment + "-0";
    String namespace = Chart.NAMESPACE;

    Map<String, String> mounts = new LinkedHashMap<>();
    if (container.has("volumeMounts")) {
      for (Doc mount : container.get("volumeMounts").list()) {
        Path local = volumes.resolve(mount.get("name").str());
        Files.createDirectories(local);
        mounts.put(mount.get("mountPath").str(), local.toAbsolutePath().toString());
      }
    }

    Map<String, String> environment = new LinkedHashMap<>();
    for (Doc variable : container.get("env").list()) {
      String value = resolve(variable, manifests, name, namespace, podIp);
      for (Map.Entry<String, String> mount : mounts.entrySet()) {
        if (value.equals(mount.getKey()) || value.startsWith(mount.getKey() + "/")) {
          value = mount.getValue() + value.substring(mount.getKey().length());
        }
      }
      environment.put(variable.get("name").str(), value);
    }

    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    metadata.put("labels", template.at("metadata.labels").asMap());
    Map<String, Object> apiObject = new LinkedHashMap<>();
    apiObject.put("metadata", metadata);
    apiObject.put("spec", template.get("spec").asMap());
    apiObject.put(
        "status",
        Map.of(
            "phase",
            "Running",
            "podIP",
            podIp,
            "containerStatuses",
            List.of(
                Map.of(
                    "name",
                    CONTAINER,
                    "ready",
                    false,
                    "state",
                    Map.of("running", Map.of("startedAt", "2025-01-01T00:00:00Z"))))));
    return new RenderedPod(name, environment, apiObject);
  }

  private static String resolve(
      Doc variable, Manifests manifests, String podName, String namespace, String podIp) {
    if (variable.has("value")) {
      return variable.get("value").str();
    }
    Doc source = variable.get("valueFrom");
    if (source.has("fieldRef")) {
      String field = source.at("fieldRef.fieldPath").str();
      return switch (field) {
        case "status.podIP" -> podIp;
        case "metadata.namespace" -> namespace;
        case "metadata.name" -> podName;
        default -> throw new AssertionError("downward API field not emulated: " + field);
      };
    }
    if (source.has("secretKeyRef")) {
      Doc secret = manifests.get("Secret", source.at("secretKeyRef.name").str()).get("data");
      String encoded = secret.get(source.at("secretKeyRef.key").str()).str();
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
    throw new AssertionError("value source not emulated: " + source.value());
  }

  String zone() {
    return environment.get("CONTINUUM_ZONE");
  }

  int port(String variable) {
    return Integer.parseInt(environment.get(variable));
  }
}
