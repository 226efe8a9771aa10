package io.continuum.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.continuum.gateway.AnnouncedEndpoints;
import io.continuum.placement.PlacementKind;
import io.continuum.reply.RejectedException;
import io.continuum.topic.Topics;
import io.continuum.zone.Zone;
import io.continuum.zone.ZoneRoles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * Continuum's management HTTP routes, as JSON:
 *
 * <ul>
 *   <li>{@code GET /continuum/zones} — zones, their tier and fallback, and their nodes;
 *   <li>{@code GET /continuum/topics/{name}} — a topic's spec, retained range and where it runs
 *       (zone, node, shard);
 *   <li>{@code GET /continuum/subscriptions} — each topic subscription's position, entries in
 *       flight, and the entries recorded as failed;
 *   <li>{@code GET /continuum/objects/{id}/local} — an object as this node's replica holds it,
 *       asking no other node: {@code present}, its zones and its fields' values.
 * </ul>
 */
public final class ContinuumRoutes extends AllDirectives implements ManagementRouteProvider {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExtendedActorSystem system;

  public ContinuumRoutes(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return pathPrefix(
        "continuum",
        () ->
            get(
                () ->
                    concat(
                        path("zones", () -> withNode(node -> json(StatusCodes.OK, zones(node)))),
                        path(
                            PathMatchers.segment("topics").slash(PathMatchers.segment()),
                            name -> withNode(node -> topic(node.topics(), name))),
                        path("subscriptions", () -> withNode(this::subscriptions)),
                        path(
                            "entities",
                            () -> withNode(node -> answer(EntityCounts.of(node.system())))),
                        path(
                            "routing",
                            () ->
                                withNode(
                                    node ->
                                        json(
                                            StatusCodes.OK,
                                            Map.of("objects", node.objects().routingDecisions())))),
                        path(
                            "placement",
                            () -> withNode(node -> answer(node.placements().showAll()))),
                        path(
                            PathMatchers.segment("placement")
                                .slash(PathMatchers.segment())
                                .slash(PathMatchers.remaining()),
                            (kind, name) ->
                                withNode(
                                    node ->
                                        answer(
                                            java.util.concurrent.CompletableFuture.completedFuture(
                                                    kind)
                                                .thenCompose(
                                                    k ->
                                                        node.placements()
                                                            .show(PlacementKind.parse(k), name))))),
                        path(
                            PathMatchers.segment("objects")
                                .slash(PathMatchers.segment())
                                .slash("local"),
                            id -> withNode(node -> localObject(node, id))))));
  }

  private Route withNode(java.util.function.Function<ContinuumNode, Route> inner) {
    ContinuumNode node = NodeRegistry.get(system).node();
    if (node == null) {
      return json(StatusCodes.SERVICE_UNAVAILABLE, Map.of("error", "the node is starting"));
    }
    return inner.apply(node);
  }

  private Map<String, Object> zones(ContinuumNode node) {
    CurrentClusterState state = Cluster.get(system).state();
    List<Map<String, Object>> zones = new ArrayList<>();
    for (Zone zone : node.zones().topology().zones()) {
      List<Map<String, Object>> nodes = new ArrayList<>();
      for (Member member : state.getMembers()) {
        if (ZoneRoles.zoneOf(member).filter(zone.name()::equals).isPresent()) {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("address", member.address().toString());
          entry.put("status", member.status().toString());
          entry.put("reachable", !state.getUnreachable().contains(member));
          entry.put("gateway", AnnouncedEndpoints.gatewayOf(member).orElse(null));
          entry.put("management", AnnouncedEndpoints.managementOf(member).orElse(null));
          nodes.add(entry);
        }
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", zone.name());
      entry.put("tier", zone.tier().configName());
      entry.put("fallback", zone.fallback());
      entry.put("nodes", nodes);
      zones.add(entry);
    }
    Map<String, Map<String, Double>> latencies = new LinkedHashMap<>();
    node.zones()
        .topology()
        .latencies()
        .forEach(
            (from, row) -> {
              Map<String, Double> out = new LinkedHashMap<>();
              row.forEach((to, latency) -> out.put(to, latency.toNanos() / 1e6));
              latencies.put(from, out);
            });
    return Map.of(
        "self", node.zones().selfZone().name(), "zones", zones, "latencyMillis", latencies);
  }

  private Route topic(Topics topics, String name) {
    CompletionStage<Map<String, Object>> answer =
        topics
            .locate(name)
            .thenCombine(
                topics.reads().latest(name),
                (location, range) -> {
                  Map<String, Object> out = new LinkedHashMap<>();
                  out.put("name", location.spec().name());
                  out.put("homeZone", location.spec().homeZone());
                  out.put("historyLength", location.spec().historyLength());
                  out.put("maxEntryBytes", location.spec().maxEntryBytes());
                  out.put("duplicateWindowMillis", location.spec().duplicateWindow().toMillis());
                  out.put("firstIndex", range.first());
                  out.put("latestIndex", range.latest());
                  out.put("zone", location.zone());
                  out.put("node", location.node());
                  out.put("shard", location.shard());
                  out.put("entityId", location.entityId());
                  return out;
                });
    return answer(answer);
  }

  private Route answer(CompletionStage<?> answer) {
    return onComplete(
        answer,
        result ->
            result.isSuccess()
                ? json(StatusCodes.OK, result.get())
                : failure(result.failed().get()));
  }

  private Route subscriptions(ContinuumNode node) {
    return answer(
        node.applications().subscriptions().thenApply(all -> Map.of("subscriptions", all)));
  }

  private Route localObject(ContinuumNode node, String id) {
    CompletionStage<Map<String, Object>> answer =
        node.objects()
            .local(id)
            .thenApply(
                view -> {
                  Map<String, Object> out = new LinkedHashMap<>();
                  out.put("object", id);
                  out.put("node", system.provider().getDefaultAddress().toString());
                  out.put("zone", node.objects().selfZone());
                  out.put("present", view.isPresent());
                  view.ifPresent(
                      v -> {
                        out.put("zones", v.zones());
                        Map<String, Object> fields = new LinkedHashMap<>();
                        v.fields().forEach((name, field) -> fields.put(name, field.value()));
                        out.put("fields", fields);
                      });
                  return out;
                });
    return answer(answer);
  }

  private Route failure(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    if (cause instanceof RejectedException rejected) {
      StatusCode status =
          switch (rejected.reason()) {
            case NOT_FOUND -> StatusCodes.NOT_FOUND;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> StatusCodes.BAD_REQUEST;
            case ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED -> StatusCodes.CONFLICT;
            case UNAVAILABLE, DEADLINE_EXCEEDED -> StatusCodes.SERVICE_UNAVAILABLE;
            case INTERNAL -> StatusCodes.INTERNAL_SERVER_ERROR;
          };
      return json(status, Map.of("error", rejected.getMessage()));
    }
    return json(StatusCodes.INTERNAL_SERVER_ERROR, Map.of("error", String.valueOf(cause)));
  }

  private Route json(StatusCode status, Object body) {
    try {
      return complete(
          status,
          HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.writeValueAsString(body)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
