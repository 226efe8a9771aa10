package io.continuum.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The measurements of a run, one JSON object a line in a file that every scenario appends to;
 * {@link Report} turns them into the results table.
 */
public final class Results {

  static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  /** Appends to {@code file}, creating it and its directory when missing. */
  public Results(Path file) {
    this.file = file;
  }

  /** Appends one measurement and prints it. */
  public synchronized void add(Measurement measurement) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          JSON.writeValueAsString(measurement) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.printf(
        "RESULT %s | %s | %s | %s: %s%n",
        measurement.scenario(),
        measurement.backend(),
        measurement.caseName(),
        measurement.system(),
        measurement.metrics());
  }

  /** Every measurement of the file, in order. */
  public static List<Measurement> read(Path file) {
    List<Measurement> all = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          all.add(JSON.readValue(line, Measurement.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }
}
