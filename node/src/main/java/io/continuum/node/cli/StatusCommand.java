package io.continuum.node.cli;

import io.continuum.gateway.v1.ClusterStatus;
import io.continuum.gateway.v1.NodeStatus;
import io.continuum.gateway.v1.StatusRequest;
import io.continuum.gateway.v1.ZoneStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code continuum status}: the cluster's nodes by zone. */
@Command(
    name = "status",
    description = "Show the cluster's zones and their nodes.",
    mixinStandardHelpOptions = true)
final class StatusCommand implements Callable<Integer> {

  @Mixin GatewayOptions gateway;

  @Override
  public Integer call() {
    try (GatewayClient client = gateway.connect()) {
      ClusterStatus status = client.cluster().status(StatusRequest.getDefaultInstance());
      for (ZoneStatus zone : status.getZonesList()) {
        String fallback =
            zone.getFallbackCount() == 0
                ? ""
                : " -> " + String.join(" -> ", zone.getFallbackList());
        System.out.printf("%s (%s%s)%n", zone.getName(), zone.getTier(), fallback);
        if (zone.getNodesCount() == 0) {
          System.out.println("  (no node)");
        }
        for (NodeStatus node : zone.getNodesList()) {
          System.out.printf(
              "  %-8s %-11s gateway %-16s management %-16s %s%s%n",
              node.getStatus(),
              node.getReachable() ? "reachable" : "UNREACHABLE",
              node.getGateway(),
              node.getManagement(),
              node.getAddress(),
              node.getAddress().equals(status.getLeader()) ? " (leader)" : "");
        }
      }
      return 0;
    }
  }
}
