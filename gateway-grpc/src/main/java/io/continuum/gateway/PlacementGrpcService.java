package io.continuum.gateway;

import io.continuum.gateway.v1.PlacementInfo;
import io.continuum.gateway.v1.PlacementService;
import io.continuum.gateway.v1.SetPlacementRequest;
import io.continuum.gateway.v1.ShowPlacementRequest;
import io.continuum.gateway.v1.ShowPlacementResponse;
import io.continuum.operator.PlacementService.Placement;
import io.continuum.placement.EffectivePlacement;
import io.continuum.placement.PlacementKind;
import io.continuum.placement.PlacementPolicy;
import io.continuum.placement.Routing;
import io.continuum.reply.RejectedException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's {@code continuum.v1.PlacementService}, onto {@link
 * io.continuum.operator.PlacementService}.
 */
public final class PlacementGrpcService implements PlacementService {

  private final io.continuum.operator.PlacementService placements;

  public PlacementGrpcService(io.continuum.operator.PlacementService placements) {
    this.placements = placements;
  }

  @Override
  public CompletionStage<ShowPlacementResponse> show(ShowPlacementRequest in) {
    CompletionStage<List<Placement>> shown;
    try {
      shown =
          in.getKind().isEmpty()
              ? placements.showAll()
              : placements
                  .show(PlacementKind.parse(in.getKind()), in.getName())
                  .thenApply(List::of);
    } catch (RejectedException e) {
      shown = CompletableFuture.failedFuture(e);
    }
    return GrpcErrors.mapped(
        shown.thenApply(
            list ->
                ShowPlacementResponse.newBuilder()
                    .addAllPlacements(list.stream().map(PlacementGrpcService::toProto).toList())
                    .build()));
  }

  @Override
  public CompletionStage<PlacementInfo> set(SetPlacementRequest in) {
    CompletionStage<Placement> set;
    try {
      PlacementPolicy policy =
          in.getReset()
              ? PlacementPolicy.NONE
              : new PlacementPolicy(
                  in.getZone().isEmpty() ? null : in.getZone(),
                  in.getAllowedZonesList(),
                  in.getReplicas() == 0 ? null : in.getReplicas(),
                  in.getRouting().isEmpty() ? null : Routing.parse(in.getRouting()));
      set = placements.set(PlacementKind.parse(in.getKind()), in.getName(), policy);
    } catch (RejectedException e) {
      set = CompletableFuture.failedFuture(e);
    }
    return GrpcErrors.mapped(set.thenApply(PlacementGrpcService::toProto));
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
