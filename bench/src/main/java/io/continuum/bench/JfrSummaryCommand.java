package io.continuum.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where the CPU time of a flight recording goes: the execution samples by package of the sampled
 * (top) frame, by method of the top frame, and by the innermost Continuum frame on the stack (the
 * product code that led there).
 */
@Command(
    name = "jfr-summary",
    description = "Summarise the CPU samples of JFR recordings.",
    mixinStandardHelpOptions = true)
final class JfrSummaryCommand implements Callable<Integer> {

  /**
   * Events of time spent blocked, summed: fsyncs, file writes, and reads from blocking sockets
   * (gRPC, the journal's connections and remoting use NIO and do not appear).
   */
  private static final java.util.Set<String> BLOCKING =
      java.util.Set.of("jdk.FileForce", "jdk.FileWrite", "jdk.SocketRead");

  @Parameters(description = "Recordings (.jfr).")
  List<Path> recordings;

  @Option(names = "--top", defaultValue = "12")
  int top;

  @Override
  public Integer call() throws Exception {
    Map<String, Long> byPackage = new HashMap<>();
    Map<String, Long> byMethod = new HashMap<>();
    Map<String, Long> byOwnFrame = new HashMap<>();
    Map<String, long[]> io = new HashMap<>();
    long samples = 0;
    for (Path recording : recordings) {
      for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
        String type = event.getEventType().getName();
        if (BLOCKING.contains(type)) {
          long[] countAndNanos = io.computeIfAbsent(type, t -> new long[2]);
          countAndNanos[0]++;
          countAndNanos[1] += event.getDuration().toNanos();
        }
        if (!type.equals("jdk.ExecutionSample")) {
          continue;
        }
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        String topMethod = method(frames.get(0));
        byMethod.merge(topMethod, 1L, Long::sum);
        byPackage.merge(packageOf(frames.get(0)), 1L, Long::sum);
        String own = "(no Continuum frame)";
        for (RecordedFrame frame : frames) {
          if (frame.getMethod().getType().getName().startsWith("io.continuum")) {
            own = method(frame);
            break;
          }
        }
        byOwnFrame.merge(own, 1L, Long::sum);
      }
    }
    System.out.printf("%d CPU samples in %s%n", samples, recordings);
    io.forEach(
        (type, countAndNanos) ->
            System.out.printf(
                "%s: %d events, %.1f ms in all, %.3f ms each%n",
                type,
                countAndNanos[0],
                countAndNanos[1] / 1e6,
                countAndNanos[1] / 1e6 / countAndNanos[0]));
    print("by package of the running frame", byPackage, samples);
    print("by running method", byMethod, samples);
    print("by innermost Continuum frame", byOwnFrame, samples);
    return 0;
  }

  private void print(String title, Map<String, Long> counts, long samples) {
    System.out.println("\n" + title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    "  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
  }

  private static String method(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  /** The first three segments of the frame's package, e.g. {@code org.h2.mvstore}. */
  static String packageOf(RecordedFrame frame) {
    return packagePrefix(frame.getMethod().getType().getName(), 3);
  }

  /** The first {@code segments} segments of the package of {@code className}. */
  static String packagePrefix(String className, int segments) {
    int lastDot = className.lastIndexOf('.');
    String pkg = lastDot < 0 ? "(default)" : className.substring(0, lastDot);
    String[] parts = pkg.split("\\.");
    return String.join(".", java.util.Arrays.copyOf(parts, Math.min(segments, parts.length)));
  }
}
