package io.continuum.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuMeterTest {

  /** A stat line as Linux writes it: utime, stime, cutime, cstime are fields 14 to 17. */
  private static String stat(long pid, String comm, long ppid, long u, long s, long cu, long cs) {
    return pid
        + " ("
        + comm
        + ") S "
        + ppid
        + " 1 1 0 -1 4194560 100 0 0 0 "
        + u
        + " "
        + s
        + " "
        + cu
        + " "
        + cs
        + " 20 0 30 0 12345 1000000 500 18446744073709551615\n";
  }

  private static void process(Path proc, long pid, String comm, long ppid, long... times)
      throws Exception {
    Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(
        proc.resolve(pid + "/stat"), stat(pid, comm, ppid, times[0], times[1], times[2], times[3]));
  }

  @Test
  void aStatLineIsReadAfterTheLastParenthesisOfTheCommandName() {
    CpuMeter.Stat stat =
        CpuMeter.parseStat(stat(4242, "Bench (x) y) z", 17, 1200, 300, 40, 5).trim());
    assertThat(stat).isEqualTo(new CpuMeter.Stat(4242, 17, 1200, 300, 40, 5));
    assertThat(stat.ticks()).isEqualTo(1545);
    assertThatThrownBy(() -> CpuMeter.parseStat("4242 no name"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aGroupIsItsRootsWithEveryDescendantAndNothingElse(@TempDir Path proc) throws Exception {
    process(proc, 10, "sh", 1, 1, 1, 0, 0); // the wrapper script
    process(proc, 11, "beam.smp", 10, 500, 100, 0, 0); // its child
    process(proc, 12, "erl_child_setup", 11, 7, 3, 0, 0); // a grandchild
    process(proc, 20, "epmd", 1, 20, 10, 0, 0); // a second root
    process(proc, 30, "java", 1, 9000, 900, 0, 0); // another system
    Files.createDirectories(proc.resolve("self"));
    CpuMeter meter =
        new CpuMeter(proc, 100, Map.of("system", List.of(10L, 20L), "other", List.of(30L)));
    assertThat(meter.read()).containsEntry("system", 642L).containsEntry("other", 9900L);
  }

  @Test
  void cpuSecondsAreTheDifferenceOfTwoReadingsIncludingChildrenThatEndedInBetween(
      @TempDir Path proc) throws Exception {
    process(proc, 10, "launcher", 1, 100, 0, 0, 0);
    process(proc, 11, "node", 10, 1000, 200, 0, 0);
    CpuMeter meter = new CpuMeter(proc, 100, Map.of("system", List.of(10L)));
    Map<String, Long> before = meter.read();
    // the node ends (its 1,250 ticks move to the launcher's cutime + cstime), a new node starts
    Files.delete(proc.resolve("11/stat"));
    Files.delete(proc.resolve("11"));
    process(proc, 10, "launcher", 1, 150, 0, 1000, 250);
    process(proc, 12, "node", 10, 30, 20, 0, 0);
    Map<String, Double> seconds = meter.seconds(before, meter.read());
    // launcher +50, first node +50 in its last moments, new node 50: 150 ticks
    assertThat(seconds).containsOnlyKeys("system");
    assertThat(seconds.get("system")).isEqualTo(1.5);
  }

  @Test
  void aGroupWhoseRootIsGoneHasNoFigure(@TempDir Path proc) throws Exception {
    process(proc, 10, "nats-server", 1, 100, 0, 0, 0);
    CpuMeter meter = new CpuMeter(proc, 100, Map.of("system", List.of(10L, 99L)));
    assertThat(meter.read()).isEmpty();
    assertThat(CpuMeter.microsPerOperation(Map.of("system", 2.0), 0, "system")).isNull();
    assertThat(CpuMeter.microsPerOperation(Map.of("system", 2.0), 4000, "system", "cassandra"))
        .isNull();
    assertThat(
            CpuMeter.microsPerOperation(
                Map.of("system", 2.0, "cassandra", 1.0), 4000, "system", "cassandra"))
        .isEqualTo(750.0);
  }

  @Test
  void thisProcessIsReadFromTheRealProcFileSystem() {
    CpuMeter meter = CpuMeter.ofThisMachine(100, Map.of());
    assertThat(meter.groups()).containsExactly(CpuMeter.CLIENT);
    if (Files.isDirectory(Path.of("/proc/self"))) {
      assertThat(meter.read().get(CpuMeter.CLIENT)).isPositive();
    }
  }
}
