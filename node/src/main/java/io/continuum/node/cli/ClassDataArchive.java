package io.continuum.node.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates the class-data sharing archive of the client commands, which the launchers pass to every
 * client command ({@code -XX:SharedArchiveFile}): the JVM then maps the classes of picocli,
 * grpc-java and protobuf parsed and verified instead of loading them from their jars, which halves
 * the time a command takes. Two JVMs of this one's Java, options and class path: the {@link
 * CliTrainingRun}, which lists the classes it loads, then {@code -Xshare:dump}, which archives them
 * (a static archive, since picocli's classes are too old for a dynamic one). The archive appears
 * whole or not at all.
 *
 * <p>{@code java [options] -cp CLASSPATH io.continuum.node.cli.ClassDataArchive ARCHIVE}: exits
 * with 0 when it created the archive, else says why on stderr and exits with 1.
 */
public final class ClassDataArchive {

  private static final long STEP_TIMEOUT_SECONDS = 180;

  private ClassDataArchive() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: ClassDataArchive ARCHIVE");
      System.exit(2);
    }
    System.err.println(
        "continuum: preparing a class-data archive so that commands start fast (once, a few"
            + " seconds)...");
    List<String> options = new ArrayList<>();
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!option.startsWith("-Xshare") && !option.contains("SharedArchiveFile")) {
        options.add(option);
      }
    }
    try {
      create(Path.of(args[0]), System.getProperty("java.class.path"), options);
      System.exit(0);
    } catch (IOException e) {
      System.err.println(
          "continuum: no class-data archive (" + e.getMessage() + "); commands start slower");
      System.exit(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(1);
    }
  }

  /**
   * Creates (or replaces) {@code archive} for JVMs started with these options and this class path
   * (of jar files only: the JVM archives no classes from directories).
   */
  static void create(Path archive, String classpath, List<String> options)
      throws IOException, InterruptedException {
    Path directory = archive.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    String name = "cli-" + ProcessHandle.current().pid();
    Path classList = directory.resolve(name + ".classlist");
    Path partial = directory.resolve(name + ".jsa.partial");
    Path log = directory.resolve(name + ".log");
    try {
      List<String> training = java(options, "-XX:DumpLoadedClassList=" + classList);
      training.addAll(List.of("-cp", classpath, CliTrainingRun.class.getName()));
      run("the training run", training, log);
      List<String> dump =
          java(
              options,
              "-Xshare:dump",
              "-XX:SharedClassListFile=" + classList,
              "-XX:SharedArchiveFile=" + partial);
      dump.addAll(List.of("-cp", classpath));
      run("-Xshare:dump", dump, log);
      if (!Files.isRegularFile(partial)) {
        throw new IOException("-Xshare:dump wrote no archive");
      }
      Files.move(
          partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(classList);
      Files.deleteIfExists(partial);
      Files.deleteIfExists(log);
    }
  }

  private static List<String> java(List<String> options, String... more) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.addAll(List.of(more));
    return command;
  }

  /**
   * Runs a step, its output in {@code log}; its failure names the step and ends with the last lines
   * it printed.
   */
  private static void run(String step, List<String> command, Path log)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(step + " did not finish in " + STEP_TIMEOUT_SECONDS + " s");
    }
    if (process.exitValue() != 0) {
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
          lines.add(line); // not the frames of a stack trace
        }
      }
      List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
      throw new IOException(
          step
              + " exited with "
              + process.exitValue()
              + (last.isEmpty() ? "" : ": " + String.join(" | ", last)));
    }
  }
}
