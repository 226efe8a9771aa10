package io.continuum.node.cli;

import io.continuum.node.ContinuumNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code continuum node}: runs one node in this process. Options override the environment
 * (CONTINUUM_ZONE, CONTINUUM_SEEDS, ...) and application.conf.
 */
@Command(
    name = "node",
    description = "Run one cluster node in the foreground.",
    mixinStandardHelpOptions = true)
final class NodeCommand implements Callable<Integer> {

  @Option(names = "--zone", description = "This node's zone (env CONTINUUM_ZONE).")
  String zone;

  @Option(
      names = "--topology",
      description = "Zones, e.g. edge-a:edge>cloud,cloud:cloud (env CONTINUUM_TOPOLOGY).")
  String topology;

  @Option(
      names = "--seeds",
      description =
          "Management host:port of the bootstrap nodes, comma-separated (env CONTINUUM_SEEDS).")
  String seeds;

  @Option(names = "--host", description = "Address others reach this node at (env CONTINUUM_HOST).")
  String host;

  @Option(names = "--gateway-port", description = "gRPC port (env CONTINUUM_GATEWAY_PORT).")
  Integer gatewayPort;

  @Option(
      names = "--management-port",
      description = "Management HTTP port (env CONTINUUM_MANAGEMENT_PORT).")
  Integer managementPort;

  @Option(
      names = "--remote-port",
      description = "Cluster remoting port (env CONTINUUM_REMOTE_PORT).")
  Integer remotePort;

  @Option(names = "--data", description = "Data directory (env CONTINUUM_DATA_DIR).")
  String data;

  @Option(
      names = "--persistence",
      description = "embedded or cassandra (env CONTINUUM_PERSISTENCE).")
  String persistence;

  @Override
  public Integer call() {
    set("continuum.zone", zone);
    set("continuum.topology", topology);
    set("continuum.cluster.seeds", seeds);
    set("continuum.node.host", host);
    set("continuum.node.gateway-port", gatewayPort);
    set("pekko.management.http.port", managementPort);
    set("pekko.remote.artery.canonical.port", remotePort);
    set("continuum.data-dir", data);
    set("continuum.persistence.backend", persistence);
    ContinuumNode.main(new String[0]);
    return 0;
  }

  private static void set(String key, Object value) {
    if (value != null) {
      System.setProperty(key, value.toString());
    }
  }
}
