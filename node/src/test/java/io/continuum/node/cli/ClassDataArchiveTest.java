package io.continuum.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The class-data sharing archive of the client commands, as the launchers make it. */
class ClassDataArchiveTest {

  private static final List<String> OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  @TempDir Path dir;

  @Test
  @Timeout(600)
  void makesAnArchiveThatAJvmWithTheSameClassPathMaps() throws Exception {
    String classpath = jarClassPath();
    Path archive = dir.resolve("cds/cli.jsa");

    ClassDataArchive.create(archive, classpath, OPTIONS);

    assertThat(archive).isRegularFile();
    try (Stream<Path> files = Files.list(archive.getParent())) {
      assertThat(files).as("no class list or partial archive left").containsExactly(archive);
    }
    // -Xshare:on: the JVM refuses to start when it cannot map the archive.
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(OPTIONS);
    command.addAll(
        List.of(
            "-Xshare:on",
            "-XX:SharedArchiveFile=" + archive,
            "-cp",
            classpath,
            ContinuumCli.class.getName(),
            "--version"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output).isEqualTo("continuum 0.1.0\n");
    assertThat(process.exitValue()).isZero();
  }

  @Test
  void aFailedStepLeavesNoArchive() throws Exception {
    Path empty = dir.resolve("empty.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(empty))) {
      jar.putNextEntry(new JarEntry("nothing.txt"));
    }
    Path archive = dir.resolve("cds/cli.jsa");

    // Without the CLI's classes the training run fails.
    assertThatThrownBy(() -> ClassDataArchive.create(archive, empty.toString(), OPTIONS))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("the training run exited with 1: ")
        .hasMessageContaining(
            "Could not find or load main class " + CliTrainingRun.class.getName());
    try (Stream<Path> files = Files.list(archive.getParent())) {
      assertThat(files).isEmpty();
    }
  }

  /**
   * The test's class path with each directory (this module's classes; in a reactor build, those of
   * the modules it depends on) in a jar: the JVM archives no classes from directories.
   */
  private String jarClassPath() throws IOException {
    List<String> classpath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        Path jar = dir.resolve("classes-" + classpath.size() + ".jar");
        if (!Files.exists(jar)) {
          jar(path, jar);
        }
        classpath.add(jar.toString());
      } else if (entry.endsWith(".jar")) {
        classpath.add(entry);
      }
    }
    return String.join(File.pathSeparator, classpath);
  }

  private static void jar(Path classes, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
  }
}
