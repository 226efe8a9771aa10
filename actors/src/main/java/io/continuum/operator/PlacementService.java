package io.continuum.operator;

import io.continuum.function.FunctionPlacement;
import io.continuum.function.Functions;
import io.continuum.object.ReplicatedObjects;
import io.continuum.placement.EffectivePlacement;
import io.continuum.placement.PlacementConfig;
import io.continuum.placement.PlacementDirectory;
import io.continuum.placement.PlacementKind;
import io.continuum.placement.PlacementPolicy;
import io.continuum.placement.PlacementSource;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.sdk.model.Application;
import io.continuum.sdk.model.ObjectModel;
import io.continuum.sdk.model.TopicModel;
import io.continuum.topic.Topics;
import io.continuum.zone.ZoneTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Where things live and why, and changing it at runtime: the operator's view of placement, behind
 * the gateway's {@code PlacementService}, management HTTP and {@code bin/continuum placement}.
 *
 * <pre>{@code
 * placements.show(PlacementKind.FUNCTION, "smooth");   // zone edge-a, from "dsl: zone of topic cpu-raw"
 * placements.set(PlacementKind.FUNCTION, "smooth", PlacementPolicy.inZone("cloud"));
 * }</pre>
 *
 * <p>Function types and single instances move at runtime: the override goes to the {@link
 * PlacementDirectory}, calls follow it at once, and the first write of the instance in its new zone
 * fences the old incarnation (see {@code FunctionInstance.Relocated}). Topics and objects are shown
 * but not moved at runtime yet.
 */
public final class PlacementService {

  /**
   * Where a thing lives and why.
   *
   * @param placement the effective policy with the source of each setting
   * @param node the node serving it now (its cluster address), empty for a function type
   * @param nodeZone the zone of that node; differs from the home zone while it serves from a
   *     fallback zone
   */
  public record Placement(EffectivePlacement placement, String node, String nodeZone) {}

  private final ZoneTopology topology;
  private final Application application;
  private final PlacementConfig config;
  private final PlacementDirectory directory;
  private final Functions functions;
  private final Topics topics;
  private final ReplicatedObjects objects;

  public PlacementService(
      ZoneTopology topology,
      Application application,
      PlacementConfig config,
      PlacementDirectory directory,
      Functions functions,
      Topics topics,
      ReplicatedObjects objects) {
    this.topology = topology;
    this.application = application;
    this.config = config;
    this.directory = directory;
    this.functions = functions;
    this.topics = topics;
    this.objects = objects;
  }

  /** Every declared topic, function type and object, and every instance with an override. */
  public CompletionStage<List<Placement>> showAll() {
    List<CompletableFuture<Placement>> all = new ArrayList<>();
    application.topics().forEach(t -> all.add(show(PlacementKind.TOPIC, t.name())));
    application.functions().forEach(f -> all.add(show(PlacementKind.FUNCTION, f.name())));
    directory.all().keySet().stream()
        .filter(key -> key.startsWith(PlacementKind.INSTANCE.wireName() + ":"))
        .sorted()
        .forEach(
            key ->
                all.add(
                    show(
                        PlacementKind.INSTANCE,
                        key.substring(PlacementKind.INSTANCE.wireName().length() + 1))));
    application.objects().forEach(o -> all.add(show(PlacementKind.OBJECT, o.id())));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(done -> all.stream().map(CompletableFuture::join).toList());
  }

  /**
   * Where one thing lives and why; for a single instance this activates it.
   *
   * @throws RejectedException {@code INVALID_ARGUMENT} for an unknown kind or a malformed name,
   *     {@code NOT_FOUND} for an unknown topic, function type or object
   */
  public CompletableFuture<Placement> show(PlacementKind kind, String name) {
    try {
      return switch (kind) {
        case FUNCTION ->
            CompletableFuture.completedFuture(
                new Placement(functions.explain(name, Optional.empty()), "", ""));
        case INSTANCE -> {
          String[] typeAndId = instance(name);
          EffectivePlacement effective =
              functions.explain(typeAndId[0], typeAndId[1], Optional.empty());
          yield functions
              .locate(typeAndId[0], typeAndId[1])
              .toCompletableFuture()
              .thenApply(here -> new Placement(effective, here.node(), here.nodeZone()));
        }
        case TOPIC -> topic(name);
        case OBJECT -> object(name);
      };
    } catch (RejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Overrides (or with {@link PlacementPolicy#NONE}, resets) the placement of a topic, a function
   * type or an instance at runtime, or the routing of an object; calls follow at once. Answers with
   * the new effective placement (without a node for functions: instances activate in their new zone
   * on their next call).
   *
   * @throws RejectedException {@code INVALID_ARGUMENT} naming what is valid: an unknown zone,
   *     allowed zones that exclude the home zone, replicas beyond the allowed zones, an unknown
   *     function type or topic, a topic policy with more than a zone; {@code FAILED_PRECONDITION}
   *     for an object's zones, which are fixed when it is created
   */
  public CompletableFuture<Placement> set(PlacementKind kind, String name, PlacementPolicy policy) {
    try {
      policy.validate(topology);
      return switch (kind) {
        case FUNCTION ->
            move(kind, name, policy, () -> functions.explain(name, Optional.of(policy)));
        case INSTANCE -> {
          String[] typeAndId = instance(name);
          yield move(
              kind,
              name,
              policy,
              () -> functions.explain(typeAndId[0], typeAndId[1], Optional.of(policy)));
        }
        case OBJECT -> reroute(name, policy);
        case TOPIC -> relocate(name, policy);
      };
    } catch (RejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Overrides where a function type or instance lives, once {@code explain} (where it would live
   * with the override) shows a home zone among its allowed zones.
   */
  private CompletableFuture<Placement> move(
      PlacementKind kind,
      String name,
      PlacementPolicy policy,
      Supplier<EffectivePlacement> explain) {
    EffectivePlacement next;
    try {
      next = explain.get();
    } catch (RejectedException e) {
      // an unknown function type is a bad argument of this call, not a missing thing to read
      throw e.reason() == Reason.NOT_FOUND
          ? new RejectedException(Reason.INVALID_ARGUMENT, e.getMessage())
          : e;
    }
    if (!next.isConsistent()) {
      throw new RejectedException(
          Reason.INVALID_ARGUMENT,
          "zone '"
              + next.zone()
              + "' is not among the allowed zones "
              + String.join(",", next.allowedZones())
              + " of "
              + kind.wireName()
              + " '"
              + name
              + "'; give --allowed too, or pick one of them");
    }
    return directory
        .set(kind, name, policy)
        .toCompletableFuture()
        .thenApply(done -> new Placement(next, "", ""));
  }

  /**
   * Moves a topic: its entity in the new zone takes over with the history from the journal, and the
   * entity left behind refuses calls ({@code ABORTED}, retried by the gateway) and stops.
   */
  private CompletableFuture<Placement> relocate(String name, PlacementPolicy policy) {
    if (!policy.allowedZones().isEmpty() || policy.replicas() != null || policy.routing() != null) {
      throw new RejectedException(
          Reason.INVALID_ARGUMENT,
          "a topic takes only --zone (or --reset): it lives in one zone, with one writer");
    }
    return topics
        .describe(name)
        .toCompletableFuture()
        .exceptionallyCompose(
            error -> {
              Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
              return CompletableFuture.failedFuture(
                  cause instanceof RejectedException rejected
                          && rejected.reason() == Reason.NOT_FOUND
                      ? new RejectedException(Reason.INVALID_ARGUMENT, rejected.getMessage())
                      : cause);
            })
        .thenCompose(spec -> directory.set(PlacementKind.TOPIC, name, policy))
        .thenCompose(done -> topic(name));
  }

  /** Changes only the routing of an existing object: its zones are fixed when it is created. */
  private CompletableFuture<Placement> reroute(String name, PlacementPolicy policy) {
    if (policy.zone() != null || !policy.allowedZones().isEmpty() || policy.replicas() != null) {
      throw objectZonesAreFixed();
    }
    return show(PlacementKind.OBJECT, name)
        .thenCompose(exists -> directory.set(PlacementKind.OBJECT, name, policy))
        .thenCompose(done -> show(PlacementKind.OBJECT, name));
  }

  private static RejectedException objectZonesAreFixed() {
    return new RejectedException(
        Reason.FAILED_PRECONDITION,
        "objects do not move at runtime yet: their zones are fixed when they are created (an"
            + " object's --routing can change); move the function types that use them instead");
  }

  private static String[] instance(String name) {
    int slash = name == null ? -1 : name.indexOf('/');
    if (slash <= 0 || slash == name.length() - 1) {
      throw new RejectedException(
          Reason.INVALID_ARGUMENT,
          "an instance is named TYPE/ID, e.g. smooth/pi-1; was '" + name + "'");
    }
    return new String[] {name.substring(0, slash), name.substring(slash + 1)};
  }

  private CompletableFuture<Placement> topic(String name) {
    Optional<TopicModel> declared = application.topic(name);
    return topics
        .locate(name)
        .toCompletableFuture()
        .thenApply(
            location -> {
              List<EffectivePlacement.Layer> layers = new ArrayList<>();
              layers.add(
                  new EffectivePlacement.Layer(
                      PlacementSource.DEFAULT,
                      "the cluster's default zone",
                      PlacementPolicy.inZone(FunctionPlacement.defaultZone(topology))));
              config
                  .find(PlacementKind.TOPIC, name)
                  .ifPresent(
                      p -> layers.add(new EffectivePlacement.Layer(PlacementSource.CONFIG, "", p)));
              declared
                  .filter(t -> t.zone() != null)
                  .ifPresent(
                      t ->
                          layers.add(
                              new EffectivePlacement.Layer(
                                  PlacementSource.DSL, "zone", PlacementPolicy.inZone(t.zone()))));
              layers.add(
                  new EffectivePlacement.Layer(
                      PlacementSource.CREATED,
                      "home zone of the topic",
                      PlacementPolicy.inZone(location.spec().homeZone())));
              layers.add(
                  new EffectivePlacement.Layer(
                      PlacementSource.RUNTIME,
                      "topic override",
                      directory.find(PlacementKind.TOPIC, name).orElse(PlacementPolicy.NONE)));
              return new Placement(
                  EffectivePlacement.resolve(PlacementKind.TOPIC, name, layers),
                  location.node(),
                  location.zone());
            });
  }

  private CompletableFuture<Placement> object(String name) {
    Optional<ObjectModel> declared = application.object(name);
    return objects
        .get(name, null, "local", null)
        .toCompletableFuture()
        .handle(
            (view, error) -> {
              List<String> zones;
              PlacementSource source;
              String note = "zones of the object";
              if (view != null) {
                zones = view.zones();
                source = PlacementSource.CREATED;
              } else if (declared.isPresent() && !declared.get().zones().isEmpty()) {
                zones = declared.get().zones();
                source = PlacementSource.DSL;
              } else if (declared.isPresent()) {
                zones = objects.zonesWithNodes();
                source = PlacementSource.DEFAULT;
                note = "not written yet: the zones with nodes when it is";
              } else {
                Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
                throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
              }
              EffectivePlacement effective =
                  EffectivePlacement.resolve(
                      PlacementKind.OBJECT,
                      name,
                      List.of(
                          new EffectivePlacement.Layer(
                              source,
                              note,
                              new PlacementPolicy(zones.get(0), zones, zones.size(), null)),
                          new EffectivePlacement.Layer(
                              PlacementSource.CONFIG,
                              "",
                              config.find(PlacementKind.OBJECT, name).orElse(PlacementPolicy.NONE)),
                          new EffectivePlacement.Layer(
                              PlacementSource.RUNTIME,
                              "object override",
                              directory
                                  .find(PlacementKind.OBJECT, name)
                                  .orElse(PlacementPolicy.NONE))));
              return new Placement(effective, "", view == null ? "" : view.zone());
            });
  }
}
