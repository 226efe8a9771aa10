package io.continuum.gateway;

import io.continuum.gateway.v1.PlacementInfo;
import io.continuum.gateway.v1.PlacementServiceGrpc;
import io.continuum.gateway.v1.SetPlacementRequest;
import io.continuum.gateway.v1.ShowPlacementRequest;
import io.continuum.gateway.v1.ShowPlacementResponse;
import io.continuum.operator.PlacementService.Placement;
import io.continuum.placement.EffectivePlacement;
import io.continuum.placement.PlacementKind;
import io.continuum.placement.PlacementPolicy;
import io.continuum.placement.Routing;
import io.continuum.reply.RejectedException;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * The gateway's {@code continuum.v1.PlacementService}, onto {@link
 * io.continuum.operator.PlacementService}.
 */
public final class PlacementGrpcService extends PlacementServiceGrpc.PlacementServiceImplBase {

  private final io.continuum.operator.PlacementService placements;

  public PlacementGrpcService(io.continuum.operator.PlacementService placements) {
    this.placements = placements;
  }

  @Override
  public void show(ShowPlacementRequest in, StreamObserver<ShowPlacementResponse> out) {
    UnaryReply.of(
        out,
        () ->
            (in.getKind().isEmpty()
                    ? placements.showAll()
                    : placements
                        .show(PlacementKind.parse(in.getKind()), in.getName())
                        .thenApply(List::of))
                .thenApply(
                    list ->
                        ShowPlacementResponse.newBuilder()
                            .addAllPlacements(
                                list.stream().map(PlacementGrpcService::toProto).toList())
                            .build()));
  }

  /** Invalid kinds, zones or routings are refused (as {@link RejectedException}s) before acting. */
  @Override
  public void set(SetPlacementRequest in, StreamObserver<PlacementInfo> out) {
    UnaryReply.of(
        out,
        () -> {
          PlacementPolicy policy =
              in.getReset()
                  ? PlacementPolicy.NONE
                  : new PlacementPolicy(
                      in.getZone().isEmpty() ? null : in.getZone(),
                      in.getAllowedZonesList(),
                      in.getReplicas() == 0 ? null : in.getReplicas(),
                      in.getRouting().isEmpty() ? null : Routing.parse(in.getRouting()));
          return placements
              .set(PlacementKind.parse(in.getKind()), in.getName(), policy)
              .thenApply(PlacementGrpcService::toProto);
        });
  }

  private static PlacementInfo toProto(Placement placement) {
    EffectivePlacement p = placement.placement();
    return PlacementInfo.newBuilder()
        .setKind(p.kind().wireName())
        .setName(p.name())
        .setZone(p.zone())
        .addAllAllowedZones(p.allowedZones())
        .setReplicas(p.replicas())
        .setRouting(p.routing().wireName())
        .putAllSources(p.sources())
        .setNode(placement.node())
        .setNodeZone(placement.nodeZone())
        .build();
  }
}
