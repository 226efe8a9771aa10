package io.continuum.multijvm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A test that starts its own cluster of node processes: the cluster is always stopped afterwards,
 * and the tail of every node's log is printed when the test fails.
 */
public abstract class ClusterTest {

  /** Set by the test once it starts its cluster. */
  protected TestCluster cluster;

  @RegisterExtension final ClusterLogsOnFailure logs = new ClusterLogsOnFailure(() -> cluster);

  @AfterEach
  final void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
