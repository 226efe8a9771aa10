package io.continuum.multijvm.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.continuum.multijvm.ClusterTest;
import io.continuum.multijvm.TestCluster;
import io.continuum.node.local.LocalCluster;
import io.continuum.node.local.NodeProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * A fault scenario on three node processes of the development topology (edge-a, edge-b and cloud
 * zones) under the {@link Workload} of 8 clients on the topic {@value #TOPIC}: start, warm up,
 * inject the fault, then stop the load and check its invariants.
 */
abstract class LoadedClusterTest extends ClusterTest {

  static final String TOPIC = "busy";
  static final int CLIENTS = 8;
  static final Duration SERVE_AGAIN = Duration.ofSeconds(60);

  protected Workload load;

  /**
   * Starts one node per zone of {@code zones}, then the workload on a topic homed in {@code
   * topicZone}, and waits until the load runs.
   */
  protected void startLoaded(
      String name,
      List<String> zones,
      Map<String, String> environment,
      String topicZone,
      Duration callTimeout) {
    startLoaded(name, zones, environment, topicZone, callTimeout, CLIENTS);
  }

  /** As above, with {@code clients} clients instead of {@value #CLIENTS}. */
  protected void startLoaded(
      String name,
      List<String> zones,
      Map<String, String> environment,
      String topicZone,
      Duration callTimeout,
      int clients) {
    cluster =
        TestCluster.start(
            TestCluster.directory(name), LocalCluster.DEV_TOPOLOGY, zones, environment);
    load = Workload.start(cluster, TOPIC, topicZone, clients, callTimeout);
    load.awaitProgress("warm-up", 400, SERVE_AGAIN);
  }

  /** The node that hosts the busy topic now, as {@code observer} reports it. */
  protected NodeProcess topicHost(NodeProcess observer) {
    return cluster.hostOf(TOPIC, observer).orElseThrow();
  }

  /**
   * Lets the load run on after the fault, stops it and checks its invariants through {@code
   * reader}; on the embedded journal, also that no persistence id had two writers at once.
   *
   * @return the invariants' figures, for the scenario's {@code fault-suite:} line
   */
  protected String finish(NodeProcess reader) {
    load.awaitProgress("load after the fault", 400, SERVE_AGAIN);
    load.stop();
    Workload.Outcome outcome = load.verify(reader);
    return cluster
        .journal()
        .map(journal -> JournalCheck.check(journal.store()))
        .map(
            journal -> {
              assertThat(journal.violations()).as("journal").isEmpty();
              return String.format(
                  "%s; journal: %d persistence ids, %d writer handovers, none interleaved",
                  outcome, journal.persistenceIds(), journal.handovers());
            })
        .orElse(outcome.toString());
  }

  @AfterEach
  final void stopLoad() {
    if (load != null) {
      load.close();
    }
  }

  static double secondsSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1e9;
  }
}
