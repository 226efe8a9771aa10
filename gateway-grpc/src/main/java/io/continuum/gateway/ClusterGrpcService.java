package io.continuum.gateway;

import io.continuum.gateway.v1.ClusterServiceGrpc;
import io.continuum.gateway.v1.ClusterStatus;
import io.continuum.gateway.v1.NodeStatus;
import io.continuum.gateway.v1.StatusRequest;
import io.continuum.gateway.v1.ZoneStatus;
import io.continuum.zone.Zone;
import io.continuum.zone.ZoneRoles;
import io.continuum.zone.ZoneTopology;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/** The gateway's {@code continuum.v1.ClusterService}: zones and their nodes. */
public final class ClusterGrpcService extends ClusterServiceGrpc.ClusterServiceImplBase {

  private final Cluster cluster;
  private final ZoneTopology topology;

  public ClusterGrpcService(ActorSystem<?> system, ZoneTopology topology) {
    this.cluster = Cluster.get(system);
    this.topology = topology;
  }

  @Override
  public void status(StatusRequest in, StreamObserver<ClusterStatus> out) {
    CurrentClusterState state = cluster.state();
    ClusterStatus.Builder status =
        ClusterStatus.newBuilder().setSelf(cluster.selfMember().address().toString());
    if (state.getLeader() != null) {
      status.setLeader(state.getLeader().toString());
    }
    for (Zone zone : topology.zones()) {
      ZoneStatus.Builder zoneOut =
          ZoneStatus.newBuilder()
              .setName(zone.name())
              .setTier(zone.tier().configName())
              .addAllFallback(zone.fallback());
      StreamSupport.stream(state.getMembers().spliterator(), false)
          .filter(m -> ZoneRoles.zoneOf(m).filter(zone.name()::equals).isPresent())
          .sorted(Comparator.comparing(m -> m.address().toString()))
          .forEach(m -> zoneOut.addNodes(toNode(m, state)));
      status.addZones(zoneOut);
    }
    out.onNext(status.build());
    out.onCompleted();
  }

  private static NodeStatus toNode(Member member, CurrentClusterState state) {
    NodeStatus.Builder node =
        NodeStatus.newBuilder()
            .setAddress(member.address().toString())
            .setStatus(member.status().toString().toLowerCase().replace("weaklyup", "weakly-up"))
            .setReachable(!state.getUnreachable().contains(member));
    AnnouncedEndpoints.gatewayOf(member).ifPresent(node::setGateway);
    AnnouncedEndpoints.managementOf(member).ifPresent(node::setManagement);
    return node.build();
  }
}
