package io.continuum.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.continuum.testkit.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive for bare VMs ({@code target/continuum-<version>.tar.gz}): it unpacks
 * with {@code tar}, and its {@code bin/continuum node}, given the environment of its own {@code
 * conf/continuum.env} (with this machine's addresses and ports, and the embedded journal instead of
 * a Cassandra), starts a node that reports its zone, answers the client commands of the same
 * launcher and leaves cleanly on SIGTERM, as systemd stops it.
 */
class DistributionIT {

  private static final Path ARCHIVE = Path.of(System.getProperty("continuum.distribution"));
  private static final String VERSION = System.getProperty("continuum.version");
  private static final Pattern ENV_LINE = Pattern.compile("^([A-Z_][A-Z0-9_]*)=(.*)$");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;
  private Path home;
  private Process node;

  @BeforeEach
  void unpack() throws Exception {
    run(List.of("tar", "-xzf", ARCHIVE.toString(), "-C", dir.toString()), dir);
    home = dir.resolve("continuum-" + VERSION);
  }

  @AfterEach
  void stopNode() throws InterruptedException {
    if (node != null && node.isAlive()) {
      node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void archiveHoldsTheLauncherTheLibrariesTheConfigurationTemplatesAndTheUnit() throws IOException {
    assertThat(home.resolve("bin/continuum")).isExecutable();
    assertThat(home.resolve("lib/continuum-node.jar")).isRegularFile();
    assertThat(home.resolve("lib/cli/continuum-node-cli.jar")).isRegularFile();
    assertThat(Files.readString(home.resolve("lib/cli/classpath")))
        .contains("lib/picocli-")
        .contains("lib/grpc-okhttp-")
        .doesNotContain("pekko");
    assertThat(home.resolve("conf/continuum.env")).isRegularFile();
    assertThat(home.resolve("conf/application.conf")).isRegularFile();
    assertThat(home.resolve("systemd/continuum.service")).isRegularFile();
  }

  @Test
  void everyVariableTheEnvFileSetsIsOneTheNodeOrTheLauncherReads() throws IOException {
    Set<String> read = new TreeSet<>(variablesReadByConfiguration());
    read.addAll(variables(Files.readString(home.resolve("bin/continuum")), "\\$\\{?([A-Z_]+)"));
    read.add("CONTINUUM_GATEWAY"); // the default gateway of the client commands

    assertThat(envFile(home.resolve("conf/continuum.env")).keySet()).isSubsetOf(read);
  }

  @Test
  @Timeout(360)
  void launcherStartsANodeWithTheEnvFileThatReportsItsZoneAnswersClientsAndLeavesOnSigterm()
      throws Exception {
    int[] ports = LoopbackPorts.pick(3);
    Map<String, String> env = envFile(home.resolve("conf/continuum.env"));
    env.put("CONTINUUM_HOST", "127.0.0.1");
    env.put("CONTINUUM_BIND_HOST", "127.0.0.1");
    env.put("CONTINUUM_GATEWAY_PORT", String.valueOf(ports[0]));
    env.put("CONTINUUM_MANAGEMENT_PORT", String.valueOf(ports[1]));
    env.put("CONTINUUM_REMOTE_PORT", String.valueOf(ports[2]));
    env.put("CONTINUUM_SEEDS", "127.0.0.1:" + ports[1]);
    env.put("CONTINUUM_PERSISTENCE", "embedded");
    env.put("CONTINUUM_DATA_DIR", dir.resolve("data").toString());
    env.put("JAVA_OPTS", "-Xms64m -Xmx384m -XX:TieredStopAtLevel=1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    Path log = dir.resolve("node.log");

    ProcessBuilder builder =
        new ProcessBuilder(home.resolve("bin/continuum").toString(), "node")
            .directory(dir.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("CONTINUUM_"));
    builder.environment().putAll(env);
    node = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();

    awaitReady(ports[1], log, Duration.ofMinutes(2));
    JsonNode zones = JSON.readTree(get(ports[1], "/continuum/zones").body());
    assertThat(zones.get("self").asText()).isEqualTo(env.get("CONTINUUM_ZONE")).isEqualTo("edge-a");

    // The client commands of the same launcher, with their own jars; the first makes the
    // class-data sharing archive that the next ones map.
    String gateway = "127.0.0.1:" + ports[0];
    assertThat(client("status", "--gateway", gateway))
        .contains("edge-a (edge -> cloud)")
        .contains("gateway " + gateway);
    assertThat(home.resolve("cds/cli.jsa")).isRegularFile();
    assertThat(client("topic", "create", "it", "--gateway", gateway))
        .startsWith("created topic it");
    assertThat(client("topic", "publish", "it", "hello", "--gateway", gateway)).isEqualTo("1\n");
    assertThat(client("topic", "get", "it", "1", "--gateway", gateway)).isEqualTo("hello\n");

    node.destroy();
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("exits within 60 s of SIGTERM").isTrue();
    // The JVM reports 143 after running its shutdown hooks on SIGTERM (SuccessExitStatus=143).
    assertThat(node.exitValue()).isEqualTo(143);
    assertThat(Files.readString(log))
        .contains("Running CoordinatedShutdown with reason [JvmExitReason]")
        .contains("Exiting completed");
  }

  @Test
  void systemdAcceptsTheUnit() throws Exception {
    Path unit = home.resolve("systemd/continuum.service");
    String text = Files.readString(unit);
    assertThat(text)
        .contains("EnvironmentFile=/etc/continuum/continuum.env")
        .contains("ExecStart=/opt/continuum/bin/continuum node")
        .contains("User=continuum")
        .contains("KillSignal=SIGTERM")
        .contains("SuccessExitStatus=143");
    assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");

    Path installed = dir.resolve("continuum.service");
    Files.writeString(
        installed, text.replace("/opt/continuum/bin/continuum", home + "/bin/continuum"));
    String output = run(List.of("systemd-analyze", "verify", installed.toString()), dir);
    assertThat(output).isBlank();
  }

  /** KEY="value" lines as systemd's EnvironmentFile= reads them; comments and blanks skipped. */
  private static Map<String, String> envFile(Path file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      Matcher matcher = ENV_LINE.matcher(line.trim());
      if (matcher.matches()) {
        String value = matcher.group(2);
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        env.put(matcher.group(1), value);
      }
    }
    return env;
  }

  /** The environment variables the node's configuration (HOCON and logback) substitutes. */
  private static Set<String> variablesReadByConfiguration() throws IOException {
    Set<String> variables = new TreeSet<>();
    ClassLoader loader = DistributionIT.class.getClassLoader();
    for (String resource :
        List.of("reference.conf", "io/continuum/node/node.conf", "logback.xml")) {
      Enumeration<URL> urls = loader.getResources(resource);
      while (urls.hasMoreElements()) {
        try (InputStream in = urls.nextElement().openStream()) {
          String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          variables.addAll(variables(text, "\\$\\{\\??([A-Z_][A-Z0-9_]*)"));
        }
      }
    }
    return variables;
  }

  private static List<String> variables(String text, String regex) {
    List<String> found = new ArrayList<>();
    Matcher matcher = Pattern.compile(regex).matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }

  private void awaitReady(int managementPort, Path log, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!node.isAlive()) {
        throw new AssertionError("node exited while starting:\n" + Files.readString(log));
      }
      try {
        if (get(managementPort, "/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("node not ready in time:\n" + Files.readString(log));
      }
      Thread.sleep(300);
    }
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Runs a client command of the launcher to completion; its standard output. */
  private String client(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/continuum").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("CONTINUUM_"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Path err = Files.createTempFile(dir, "client", ".err");
    Process process = builder.redirectError(err.toFile()).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    assertThat(process.exitValue()).as("%s: %s%s", command, output, Files.readString(err)).isZero();
    return output;
  }

  private static boolean onPath(String command) {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
        return true;
      }
    }
    return false;
  }

  /** Runs a command to completion; its output, or a failure naming it. */
  private static String run(List<String> command, Path directory) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }
}
