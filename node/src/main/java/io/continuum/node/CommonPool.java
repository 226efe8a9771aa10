package io.continuum.node;

import java.util.OptionalInt;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;

/**
 * Keeps the JVM's common fork-join pool usable for the completion stages of Pekko's Java API.
 *
 * <p>Pekko's Java API returns Scala futures converted to {@code CompletableFuture}s whose every
 * dependent stage ({@code thenApply}, {@code whenComplete}, …) runs asynchronously on the common
 * pool. Its parallelism defaults to one less than the processors, and below 2 the JDK runs every
 * asynchronous stage on a new thread: on a 2-core machine each gateway call started a thread, which
 * cost more CPU than the rest of the call (bench/README.md). A node therefore sizes the pool to at
 * least 2 before anything uses it, unless the operator set {@value #PARALLELISM}.
 */
final class CommonPool {

  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  /** Sets the pool's parallelism when nobody did and the JDK's default would be below 2. */
  static void sizeForAsyncStages() {
    String configured = System.getProperty(PARALLELISM);
    int processors = Runtime.getRuntime().availableProcessors();
    parallelismFor(processors, configured)
        .ifPresent(p -> System.setProperty(PARALLELISM, Integer.toString(p)));
  }

  /** The parallelism to set: none when configured or when the default is already 2 or more. */
  static OptionalInt parallelismFor(int processors, String configured) {
    return configured == null && processors - 1 < 2 ? OptionalInt.of(2) : OptionalInt.empty();
  }

  /** Warns when the pool was sized too late (or configured) to run stages without new threads. */
  static void warnIfThreadPerStage(Logger log) {
    if (ForkJoinPool.getCommonPoolParallelism() < 2) {
      log.warn(
          "The common fork-join pool has parallelism {}, so every asynchronous stage starts a new"
              + " thread; run the node with -D{}=2",
          ForkJoinPool.getCommonPoolParallelism(),
          PARALLELISM);
    }
  }
}
