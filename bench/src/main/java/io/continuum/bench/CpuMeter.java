package io.continuum.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CPU time of the processes of a system under test, from Linux's {@code /proc/<pid>/stat}.
 *
 * <p>A group (e.g. {@link #SYSTEM}: every process of the system under test) is a set of root
 * processes; a reading sums, over each root and all of its descendants, {@code utime + stime} (the
 * CPU of every thread of the process, live or ended) plus {@code cutime + cstime} (the CPU of
 * children that ended and were reaped). The difference of two readings is the CPU the group used in
 * between: a child that ends in between is counted through its parent's {@code cutime}, a child
 * born in between is found by the second reading's walk of the process tree.
 */
final class CpuMeter {

  /** The processes of the system under test (for Continuum: its nodes and the launcher). */
  static final String SYSTEM = "system";

  /** Cassandra's JVM, a separate product that a Continuum cluster may journal to. */
  static final String CASSANDRA = "cassandra";

  /** The process running the load generator. */
  static final String CLIENT = "client";

  /** The fields of one {@code /proc/<pid>/stat} line that CPU accounting needs. */
  record Stat(long pid, long ppid, long utime, long stime, long cutime, long cstime) {

    /** Clock ticks of CPU of the process and of its reaped children. */
    long ticks() {
      return utime + stime + cutime + cstime;
    }
  }

  private final Path proc;
  private final long ticksPerSecond;
  private final Map<String, List<Long>> roots;

  /**
   * @param proc the proc file system, {@code /proc}
   * @param ticksPerSecond the unit of the stat times ({@code getconf CLK_TCK}, 100 on Linux)
   * @param roots the root processes of each group
   */
  CpuMeter(Path proc, long ticksPerSecond, Map<String, List<Long>> roots) {
    this.proc = proc;
    this.ticksPerSecond = ticksPerSecond;
    this.roots = new LinkedHashMap<>(roots);
  }

  /** A meter of {@code /proc}: the given groups, and this process as {@link #CLIENT}. */
  static CpuMeter ofThisMachine(long ticksPerSecond, Map<String, List<Long>> groups) {
    Map<String, List<Long>> all = new LinkedHashMap<>(groups);
    all.put(CLIENT, List.of(ProcessHandle.current().pid()));
    return new CpuMeter(Path.of("/proc"), ticksPerSecond, all);
  }

  /** The groups this meter reads. */
  Set<String> groups() {
    return roots.keySet();
  }

  /**
   * Parses a {@code /proc/<pid>/stat} line. The command name, in parentheses, may itself hold
   * spaces and parentheses, so the fields are counted from the last {@code ')'}.
   */
  static Stat parseStat(String line) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
    }
    long pid = Long.parseLong(line.substring(0, open).trim());
    // After the name: state (field 3), ppid (4), ... utime (14), stime (15), cutime (16),
    // cstime (17); index 0 here is field 3.
    String[] f = line.substring(close + 1).trim().split("\\s+");
    if (f.length < 15) {
      throw new IllegalArgumentException("short /proc/<pid>/stat line: " + line);
    }
    return new Stat(
        pid,
        Long.parseLong(f[1]),
        Long.parseLong(f[11]),
        Long.parseLong(f[12]),
        Long.parseLong(f[13]),
        Long.parseLong(f[14]));
  }

  /**
   * The clock ticks of each group now. A group with a root process that is gone (or unreadable) is
   * left out: its figure would be wrong.
   */
  Map<String, Long> read() {
    Map<Long, Stat> all = processes();
    Map<Long, List<Long>> children = new HashMap<>();
    all.values()
        .forEach(s -> children.computeIfAbsent(s.ppid(), p -> new ArrayList<>()).add(s.pid()));
    Map<String, Long> ticks = new LinkedHashMap<>();
    roots.forEach(
        (group, pids) -> {
          if (!all.keySet().containsAll(pids)) {
            return;
          }
          Set<Long> tree = new LinkedHashSet<>();
          Deque<Long> todo = new ArrayDeque<>(pids);
          while (!todo.isEmpty()) {
            long pid = todo.pop();
            if (tree.add(pid)) {
              todo.addAll(children.getOrDefault(pid, List.of()));
            }
          }
          ticks.put(group, tree.stream().mapToLong(pid -> all.get(pid).ticks()).sum());
        });
    return ticks;
  }

  /**
   * The CPU seconds of each group between two readings; a group missing from either is left out.
   */
  Map<String, Double> seconds(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    before.forEach(
        (group, ticks) -> {
          Long later = after.get(group);
          if (later != null) {
            seconds.put(group, (later - ticks) / (double) ticksPerSecond);
          }
        });
    return seconds;
  }

  /**
   * Microseconds of CPU per operation of some groups together, or null when an operation count is 0
   * or a group was not measured.
   */
  static Double microsPerOperation(
      Map<String, Double> cpuSeconds, long operations, String... groups) {
    if (operations <= 0) {
      return null;
    }
    double seconds = 0;
    for (String group : groups) {
      Double s = cpuSeconds.get(group);
      if (s == null) {
        return null;
      }
      seconds += s;
    }
    return seconds * 1e6 / operations;
  }

  /** Every process's stat, by pid; processes that end while being read are skipped. */
  private Map<Long, Stat> processes() {
    Map<Long, Stat> all = new HashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path dir : dirs) {
        try {
          Stat stat = parseStat(Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1));
          all.put(stat.pid(), stat);
        } catch (IOException | RuntimeException e) {
          // ended between the listing and the read, or not a process
        }
      }
    } catch (IOException e) {
      // no /proc: no figures
    }
    return all;
  }
}
