package io.continuum.multijvm;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the tail of every node's log when a test fails. */
final class ClusterLogsOnFailure implements TestWatcher {

  private final Supplier<TestCluster> cluster;

  ClusterLogsOnFailure(Supplier<TestCluster> cluster) {
    this.cluster = cluster;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    TestCluster failed = cluster.get();
    if (failed != null) {
      System.err.println(
          "Test " + context.getDisplayName() + " failed; node logs:\n" + failed.logTails(60));
    }
  }
}
