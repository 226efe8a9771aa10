package io.continuum.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The results table: every measurement of a run grouped by scenario, each Continuum row with its
 * ratios against the peers measured in the same case, and the machine it ran on.
 */
public final class Report {

  private Report() {}

  /**
   * A ratio of a Continuum figure to a peer's.
   *
   * @param peer the peer's system name
   * @param metric e.g. {@code ops_per_s}
   * @param ratio Continuum's value divided by the peer's
   */
  public record Ratio(String peer, String metric, double ratio) {

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s %s %s×", peer, label(metric), ratioText(ratio));
    }
  }

  /** Two decimals, or three significant digits for ratios below 0.1 (0.0043, not 0.00). */
  static String ratioText(double ratio) {
    return ratio >= 0.1
        ? String.format(Locale.ROOT, "%.2f", ratio)
        : String.format(Locale.ROOT, "%.2g", ratio);
  }

  /** The ratios of {@code row} against the peer rows of its case, for its compared metrics. */
  public static List<Ratio> ratios(Measurement row, List<Measurement> all) {
    List<Ratio> ratios = new ArrayList<>();
    if (row.peer()) {
      return ratios;
    }
    for (Measurement peer : all) {
      if (!peer.peer() || !peer.group().equals(row.group())) {
        continue;
      }
      for (String metric : row.compare()) {
        Double ours = row.metrics().get(metric);
        Double theirs = peer.metrics().get(metric);
        if (ours != null && theirs != null && theirs != 0) {
          ratios.add(new Ratio(peer.system(), metric, ours / theirs));
        }
      }
    }
    return ratios;
  }

  /** The Markdown table of {@code all}, scenario by scenario. */
  public static String markdown(List<Measurement> all, Map<String, String> machine) {
    StringBuilder out = new StringBuilder("# Continuum benchmark results\n\n");
    machine.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
    out.append(
        "\nRatios are Continuum's figure divided by the peer's, measured in the same run:"
            + " above 1 is better for ops/s, below 1 is better for latencies and times.\n");
    Set<String> scenarios = new LinkedHashSet<>();
    all.forEach(m -> scenarios.add(m.scenario()));
    for (String scenario : scenarios) {
      List<Measurement> rows = all.stream().filter(m -> m.scenario().equals(scenario)).toList();
      Set<String> metrics = new LinkedHashSet<>();
      rows.forEach(m -> metrics.addAll(m.metrics().keySet()));
      out.append("\n## ").append(scenario).append("\n\n| backend | case | system |");
      metrics.forEach(m -> out.append(' ').append(label(m)).append(" |"));
      out.append(" vs peer |\n|---|---|---|");
      metrics.forEach(m -> out.append("---:|"));
      out.append("---|\n");
      for (Measurement row : rows) {
        out.append("| ")
            .append(row.backend())
            .append(" | ")
            .append(row.caseName())
            .append(" | ")
            .append(row.system())
            .append(" |");
        for (String metric : metrics) {
          Double value = row.metrics().get(metric);
          out.append(' ').append(value == null ? "" : format(value)).append(" |");
        }
        out.append(' ')
            .append(
                ratios(row, all).stream().map(Ratio::toString).collect(Collectors.joining("; ")))
            .append(" |\n");
      }
      Map<String, String> settings = new LinkedHashMap<>();
      rows.forEach(
          m ->
              settings.putIfAbsent(
                  m.peer() ? m.system() : m.system() + " (" + m.backend() + ")", m.setting()));
      out.append('\n');
      settings.forEach(
          (system, setting) -> {
            if (setting != null && !setting.isBlank()) {
              out.append("- ").append(system).append(": ").append(setting).append('\n');
            }
          });
    }
    return out.toString();
  }

  /** The JSON document of {@code all}: the machine, and every row with its ratios. */
  public static ObjectNode json(List<Measurement> all, Map<String, String> machine) {
    ObjectNode root = Results.JSON.createObjectNode();
    ObjectNode machineNode = root.putObject("machine");
    machine.forEach(machineNode::put);
    ArrayNode rows = root.putArray("results");
    for (Measurement m : all) {
      ObjectNode row = Results.JSON.valueToTree(m);
      ArrayNode ratios = row.putArray("ratios");
      ratios(m, all).forEach(r -> ratios.add(Results.JSON.valueToTree(r)));
      rows.add(row);
    }
    return root;
  }

  /** Writes {@code results.md} and {@code results.json} next to the measurements file. */
  public static Path write(Path measurements) throws IOException {
    List<Measurement> all = Results.read(measurements);
    Map<String, String> machine = machine();
    Path dir = measurements.toAbsolutePath().getParent();
    Path md = dir.resolve("results.md");
    Files.writeString(md, markdown(all, machine));
    Results.JSON
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("results.json").toFile(), json(all, machine));
    return md;
  }

  /** This machine: processors, memory, CPU model, JDK, OS, date. */
  public static Map<String, String> machine() {
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE));
    machine.put("processors (nproc)", String.valueOf(Runtime.getRuntime().availableProcessors()));
    machine.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
    String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal").replace("kB", "").trim();
    machine.put(
        "memory",
        memKb.matches("\\d+")
            ? String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(memKb) / 1048576.0)
            : "unknown");
    machine.put(
        "jdk",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")");
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    return machine;
  }

  private static String firstValue(Path file, String key) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines
          .filter(l -> l.startsWith(key))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | UncheckedIOException e) {
      return "unknown";
    }
  }

  private static String label(String metric) {
    return metric
        .replace("_per_s", "/s")
        .replace("_ms", " ms")
        .replace("_mib", " MiB")
        .replace("p999", "p99.9")
        .replace('_', ' ');
  }

  private static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    return Math.abs(value) >= 100
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }
}
