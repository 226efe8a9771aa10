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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The results table: the runs of every system in every case aggregated (median with min–max, errors
 * summed), grouped by scenario, each Continuum row with its ratios against the peers measured in
 * the same case, and the machine it ran on.
 */
public final class Report {

  /** A system that has no journal of its own: compared with Continuum on every backend. */
  static final String NO_BACKEND = "-";

  /** Counts, summed over the runs rather than given as a median. */
  static final Set<String> SUMMED = Set.of("errors", "failed", "correct");

  /** These columns first, in this order, then the scenario's own in order of appearance. */
  private static final List<String> FIRST_COLUMNS =
      List.of("ops_per_s", "rate_per_s", "p50_ms", "p99_ms", "p999_ms", "errors");

  /** These columns last, in this order. */
  private static final List<String> LAST_COLUMNS =
      List.of("cpu_us_per_op", "cpu_with_cassandra_us_per_op", "client_cpu_us_per_op");

  private static final Map<String, String> LABELS =
      Map.of(
          "rate_per_s", "open-loop rate/s",
          "cpu_us_per_op", "CPU µs/op",
          "cpu_with_cassandra_us_per_op", "CPU µs/op with Cassandra",
          "client_cpu_us_per_op", "client CPU µs/op",
          "correct", "correct runs");

  private Report() {}

  /**
   * The runs of one system in one case, aggregated.
   *
   * @param metrics each figure over the runs: median, min and max, or the sum for {@link #SUMMED}
   */
  public record Row(
      String scenario,
      String backend,
      String caseName,
      String system,
      boolean peer,
      String setting,
      List<String> compare,
      int runs,
      Map<String, Stats> metrics) {

    /** Whether {@code peer} is a reference for this row: same case, same or no backend. */
    boolean comparedWith(Row peer) {
      return peer.peer()
          && peer != this
          && peer.scenario().equals(scenario)
          && peer.caseName().equals(caseName)
          && (peer.backend().equals(backend) || peer.backend().equals(NO_BACKEND));
    }
  }

  /**
   * A ratio of a Continuum figure to a peer's.
   *
   * @param peer the peer's system name
   * @param metric e.g. {@code ops_per_s}
   * @param ratio Continuum's median divided by the peer's
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

  /**
   * The runs of each system in each case as one row, in order of first appearance: the median, min
   * and max of every figure, the sum of counts ({@link #SUMMED}).
   */
  public static List<Row> aggregate(List<Measurement> all) {
    Map<String, List<Measurement>> runs = new LinkedHashMap<>();
    all.forEach(m -> runs.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m));
    List<Row> rows = new ArrayList<>();
    for (List<Measurement> ofOne : runs.values()) {
      Map<String, List<Double>> values = new LinkedHashMap<>();
      ofOne.forEach(
          m ->
              m.metrics()
                  .forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v)));
      Map<String, Stats> metrics = new LinkedHashMap<>();
      values.forEach(
          (metric, v) -> metrics.put(metric, SUMMED.contains(metric) ? Stats.sum(v) : Stats.of(v)));
      Measurement first = ofOne.get(0);
      rows.add(
          new Row(
              first.scenario(),
              first.backend(),
              first.caseName(),
              first.system(),
              first.peer(),
              first.setting(),
              first.compare(),
              ofOne.size(),
              metrics));
    }
    return rows;
  }

  /** The ratios of {@code row} against the peer rows of its case, for its compared metrics. */
  public static List<Ratio> ratios(Row row, List<Row> all) {
    List<Ratio> ratios = new ArrayList<>();
    if (row.peer()) {
      return ratios;
    }
    for (Row peer : all) {
      if (!row.comparedWith(peer)) {
        continue;
      }
      for (String metric : row.compare()) {
        Stats ours = row.metrics().get(metric);
        Stats theirs = peer.metrics().get(metric);
        if (ours != null && theirs != null && theirs.value() != 0) {
          ratios.add(new Ratio(peer.system(), metric, ours.value() / theirs.value()));
        }
      }
    }
    return ratios;
  }

  /**
   * The rows of one scenario in table order: case by case (in order of appearance), Continuum's
   * rows by backend first, then the peers.
   */
  static List<Row> tableOrder(List<Row> rows) {
    List<String> cases = rows.stream().map(Row::caseName).distinct().toList();
    List<String> backends = rows.stream().map(Row::backend).distinct().toList();
    List<String> systems = rows.stream().map(Row::system).distinct().toList();
    return rows.stream()
        .sorted(
            Comparator.<Row>comparingInt(r -> cases.indexOf(r.caseName()))
                .thenComparing(Row::peer)
                .thenComparingInt(r -> backends.indexOf(r.backend()))
                .thenComparingInt(r -> systems.indexOf(r.system())))
        .toList();
  }

  /** The Markdown tables of {@code all}, scenario by scenario. */
  public static String markdown(
      List<Measurement> all, Map<String, String> machine, List<String> method) {
    List<Row> summary = aggregate(all);
    StringBuilder out = new StringBuilder("# Continuum benchmark results\n\n");
    machine.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
    if (!method.isEmpty()) {
      out.append('\n');
      method.forEach(line -> out.append("- ").append(line).append('\n'));
    }
    out.append(
        "\nA figure is the median of the runs of its case, with the lowest and highest run in"
            + " parentheses; errors are summed over the runs. CPU µs/op is the CPU time (user +"
            + " system) of every process of the system over a run, divided by the operations it"
            + " completed; client CPU µs/op is the load generator's. Ratios are Continuum's median"
            + " divided by the peer's, measured in the same run: above 1 is better for ops/s,"
            + " below 1 is better for latencies, times and CPU.\n");
    Set<String> scenarios = new LinkedHashSet<>();
    summary.forEach(r -> scenarios.add(r.scenario()));
    for (String scenario : scenarios) {
      List<Row> rows =
          tableOrder(summary.stream().filter(r -> r.scenario().equals(scenario)).toList());
      List<String> metrics = columns(rows);
      out.append("\n## ").append(scenario).append("\n\n| backend | case | system | runs |");
      metrics.forEach(m -> out.append(' ').append(label(m)).append(" |"));
      out.append(" vs peer |\n|---|---|---|---:|");
      metrics.forEach(m -> out.append("---:|"));
      out.append("---|\n");
      for (Row row : rows) {
        out.append("| ")
            .append(row.backend())
            .append(" | ")
            .append(row.caseName())
            .append(" | ")
            .append(row.system())
            .append(" | ")
            .append(row.runs())
            .append(" |");
        for (String metric : metrics) {
          Stats value = row.metrics().get(metric);
          out.append(' ').append(value == null ? "" : value.text()).append(" |");
        }
        out.append(' ')
            .append(
                ratios(row, summary).stream()
                    .map(Ratio::toString)
                    .collect(Collectors.joining("; ")))
            .append(" |\n");
      }
      Map<String, String> settings = new LinkedHashMap<>();
      rows.forEach(
          r ->
              settings.putIfAbsent(
                  r.backend().equals(NO_BACKEND)
                      ? r.system()
                      : r.system() + " (" + r.backend() + ")",
                  r.setting()));
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

  private static List<String> columns(List<Row> rows) {
    Set<String> present = new LinkedHashSet<>();
    rows.forEach(r -> present.addAll(r.metrics().keySet()));
    List<String> columns = new ArrayList<>();
    FIRST_COLUMNS.stream().filter(present::contains).forEach(columns::add);
    present.stream()
        .filter(m -> !FIRST_COLUMNS.contains(m) && !LAST_COLUMNS.contains(m))
        .forEach(columns::add);
    LAST_COLUMNS.stream().filter(present::contains).forEach(columns::add);
    return columns;
  }

  /**
   * The JSON document of {@code all}: the machine, every run as measured ({@code runs}), and every
   * system in every case aggregated, with its ratios ({@code results}).
   */
  public static ObjectNode json(
      List<Measurement> all, Map<String, String> machine, List<String> method) {
    ObjectNode root = Results.JSON.createObjectNode();
    ObjectNode machineNode = root.putObject("machine");
    machine.forEach(machineNode::put);
    ArrayNode methodNode = root.putArray("method");
    method.forEach(methodNode::add);
    List<Row> summary = aggregate(all);
    ArrayNode rows = root.putArray("results");
    for (Row r : summary) {
      ObjectNode row = Results.JSON.valueToTree(r);
      ArrayNode ratios = row.putArray("ratios");
      ratios(r, summary).forEach(x -> ratios.add(Results.JSON.valueToTree(x)));
      rows.add(row);
    }
    ArrayNode runs = root.putArray("runs");
    all.forEach(m -> runs.add(Results.JSON.valueToTree(m)));
    return root;
  }

  /** Writes {@code results.md} and {@code results.json} next to the measurements file. */
  public static Path write(Path measurements, List<String> method) throws IOException {
    List<Measurement> all = Results.read(measurements);
    Map<String, String> machine = machine();
    Path dir = measurements.toAbsolutePath().getParent();
    Path md = dir.resolve("results.md");
    Files.writeString(md, markdown(all, machine, method));
    Results.JSON
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("results.json").toFile(), json(all, machine, method));
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
    try {
      String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      machine.put(
          "load average at the report (1, 5, 15 min)", String.join(" ", load[0], load[1], load[2]));
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
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

  static String label(String metric) {
    String known = LABELS.get(metric);
    if (known != null) {
      return known;
    }
    return metric
        .replace("_per_s", "/s")
        .replace("_ms", " ms")
        .replace("_mib", " MiB")
        .replace("p999", "p99.9")
        .replace('_', ' ');
  }
}
