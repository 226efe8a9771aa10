package io.continuum.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The one call of the Kubernetes API that Pekko's {@code kubernetes-api} discovery makes — {@code
 * GET /api/v1/namespaces/{namespace}/pods?labelSelector=...} — over HTTPS with a bearer token,
 * answered from a fixed list of pods with the equality-based label selector semantics of
 * Kubernetes. Like the real API server, it answers 401 without the service account's token and an
 * empty list when no pod matches.
 *
 * <p>Its certificate (for 127.0.0.1) and the token are files, to be given to the discovery as a pod
 * would find them under {@code /var/run/secrets/kubernetes.io/serviceaccount/}.
 */
final class KubernetesApiStub implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "changeit";

  private final HttpsServer server;
  private final String namespace;
  private final String token;
  private final List<Map<String, Object>> pods;
  private final Path caCertificate;
  private final Path tokenFile;
  private final List<String> selectorsAsked = Collections.synchronizedList(new ArrayList<>());

  private KubernetesApiStub(
      HttpsServer server,
      String namespace,
      String token,
      List<Map<String, Object>> pods,
      Path caCertificate,
      Path tokenFile) {
    this.server = server;
    this.namespace = namespace;
    this.token = token;
    this.pods = List.copyOf(pods);
    this.caCertificate = caCertificate;
    this.tokenFile = tokenFile;
  }

  /**
   * Serves {@code pods} (Kubernetes Pod objects as maps) of {@code namespace} on a free port of
   * 127.0.0.1; its key, certificate and token are written to {@code dir}.
   */
  static KubernetesApiStub start(Path dir, String namespace, List<Map<String, Object>> pods)
      throws IOException, GeneralSecurityException, InterruptedException {
    Files.createDirectories(dir);
    Path keyStore = dir.resolve("api-server.p12");
    Path certificate = dir.resolve("ca.crt");
    Files.deleteIfExists(keyStore);
    keytool(
        "-genkeypair",
        "-alias",
        "api-server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=kubernetes",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "api-server",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        certificate.toString());
    String token = UUID.randomUUID().toString();
    Path tokenFile = Files.writeString(dir.resolve("token"), token);

    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keyStore)));
    KubernetesApiStub stub =
        new KubernetesApiStub(server, namespace, token, pods, certificate, tokenFile);
    server.createContext("/", stub::handle);
    server.start();
    return stub;
  }

  /** Value for {@code KUBERNETES_SERVICE_PORT}; the host is 127.0.0.1. */
  int port() {
    return server.getAddress().getPort();
  }

  /** The API server's certificate, as {@code pekko.discovery.kubernetes-api.api-ca-path}. */
  Path caCertificate() {
    return caCertificate;
  }

  /** The service account token, as {@code pekko.discovery.kubernetes-api.api-token-path}. */
  Path tokenFile() {
    return tokenFile;
  }

  /** The label selectors of the pod list requests answered so far. */
  List<String> selectorsAsked() {
    synchronized (selectorsAsked) {
      return List.copyOf(selectorsAsked);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String expectedPath = "/api/v1/namespaces/" + namespace + "/pods";
      if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, status("Unauthorized", 401));
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())
          || !expectedPath.equals(exchange.getRequestURI().getPath())) {
        respond(exchange, 404, status("no such resource in this stub", 404));
        return;
      }
      String selector = query(exchange).getOrDefault("labelSelector", "");
      selectorsAsked.add(selector);
      List<Map<String, Object>> matching = new ArrayList<>();
      for (Map<String, Object> pod : pods) {
        if (matches(selector, labelsOf(pod))) {
          matching.add(pod);
        }
      }
      respond(
          exchange,
          200,
          Map.of("kind", "PodList", "apiVersion", "v1", "metadata", Map.of(), "items", matching));
    }
  }

  /** Equality-based selector: {@code k=v,k2==v2,k3!=v3}; an empty selector matches everything. */
  static boolean matches(String selector, Map<String, Object> labels) {
    for (String term : selector.split(",")) {
      if (term.isBlank()) {
        continue;
      }
      boolean negated = term.contains("!=");
      String[] keyValue = term.split(negated ? "!=" : "==?", 2);
      String actual =
          labels.get(keyValue[0].trim()) == null ? null : labels.get(keyValue[0].trim()).toString();
      boolean equal = keyValue.length == 2 && keyValue[1].trim().equals(actual);
      if (equal == negated) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> labelsOf(Map<String, Object> pod) {
    Map<String, Object> metadata = (Map<String, Object>) pod.getOrDefault("metadata", Map.of());
    return (Map<String, Object>) metadata.getOrDefault("labels", Map.of());
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> query = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] keyValue = pair.split("=", 2);
        query.put(
            URLDecoder.decode(keyValue[0], StandardCharsets.UTF_8),
            keyValue.length == 2 ? URLDecoder.decode(keyValue[1], StandardCharsets.UTF_8) : "");
      }
    }
    return query;
  }

  private static Map<String, Object> status(String message, int code) {
    return Map.of(
        "kind",
        "Status",
        "apiVersion",
        "v1",
        "status",
        "Failure",
        "message",
        message,
        "code",
        code);
  }

  private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static SSLContext sslContext(Path keyStoreFile)
      throws IOException, GeneralSecurityException {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStoreFile)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
