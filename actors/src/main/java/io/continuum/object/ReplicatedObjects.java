package io.continuum.object;

import io.continuum.crdt.CausalMap;
import io.continuum.crdt.field.FieldSpec;
import io.continuum.placement.Router;
import io.continuum.placement.Routing;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.zone.Zone;
import io.continuum.zone.ZoneRoles;
import io.continuum.zone.ZoneTopology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.ReplicatedData;

/**
 * Replicated objects as a service, for the gateway and for functions: update a field, read an
 * object or a field, delete an object. Every failure a caller can cause or meet completes the stage
 * with a {@link RejectedException} whose {@link Reason} says what to do.
 *
 * <pre>{@code
 * ReplicatedObjects objects = ReplicatedObjects.start(
 *     system, topology, selfZone, Catalog.of(application.objects()), id -> Routing.ROUND_ROBIN);
 * objects.update(new UpdateRequest("farm-stats", "readings", "increment", List.of("5"),
 *     "pncounter", List.of("edge-a", "cloud"), "local"));          // version token
 * objects.get("farm-stats", "readings", "majority", null);         // readings = 5
 * }</pre>
 *
 * <p>An object replicates only to the nodes of its zones (see {@code docs/objects.md}). A call is
 * served by this node when its zone is one of the object's, otherwise by a node of the object's
 * zones that its routing policy picks.
 */
public final class ReplicatedObjects {

  /**
   * An update of one field.
   *
   * @param type the field's type, needed to create it; may be null
   * @param zones the zones of a new object; empty for the cluster's zones with nodes
   * @param consistency {@code local} (or empty), {@code majority} or {@code all}
   */
  public record UpdateRequest(
      String object,
      String field,
      String operation,
      List<String> args,
      String type,
      List<String> zones,
      String consistency) {}

  /**
   * An idempotent writer: a function instance's outbox channel and the entry's sequence number. An
   * update whose writer has already applied this or a later sequence number changes nothing.
   */
  public record Writer(String id, long seq) {}

  /** One field's type and value (JSON-friendly Java value). */
  public record FieldValue(String name, String type, Object value) {}

  /**
   * An object as a replica saw it.
   *
   * @param version the version of the write for an update, else empty
   * @param zone the zone of the replica that answered
   * @param node the node (full address) of the replica that answered
   */
  public record ObjectView(
      String object,
      List<String> zones,
      SortedMap<String, FieldValue> fields,
      String version,
      String zone,
      String node) {}

  private final ActorSystem<?> system;
  private final ZoneTopology topology;
  private final String selfZone;
  private final ObjectSchema.Catalog catalog;
  private final ObjectSettings settings;
  private final ZoneReplicas replicas;

  /**
   * Zones of objects this node found in other zones, by object: their reads are routed by the
   * object's policy instead of asking every zone. Forgotten all at once beyond {@link #ZONES_SEEN}
   * objects, and per object when a routed read finds nothing (deleted).
   */
  private final Map<String, List<String>> zonesSeen = new ConcurrentHashMap<>();

  private static final int ZONES_SEEN = 10_000;
  private final ActorRef<ObjectReplica.Command> local;
  private final Function<String, Routing> routingOf;
  private final Router<ActorRef<ObjectReplica.Command>> router = new Router<>();

  private ReplicatedObjects(
      ActorSystem<?> system,
      ZoneTopology topology,
      String selfZone,
      ObjectSchema.Catalog catalog,
      ObjectSettings settings,
      ZoneReplicas replicas,
      ActorRef<ObjectReplica.Command> local,
      Function<String, Routing> routingOf) {
    this.system = system;
    this.topology = topology;
    this.selfZone = selfZone;
    this.catalog = catalog;
    this.settings = settings;
    this.replicas = replicas;
    this.local = local;
    this.routingOf = routingOf;
  }

  /**
   * Starts this node's Replicator of its zone and its object replica.
   *
   * @param routingOf the routing policy of an object, for calls from a node outside its zones
   */
  public static ReplicatedObjects start(
      ActorSystem<?> system,
      ZoneTopology topology,
      Zone self,
      ObjectSchema.Catalog catalog,
      Function<String, Routing> routingOf) {
    ObjectSettings settings = ObjectSettings.fromConfig(system.settings().config());
    ZoneReplicas replicas =
        ZoneReplicas.follow(system, topology.zones().stream().map(Zone::name).toList());
    ZoneReplicator replicator = ZoneReplicator.start(system, self.name(), settings);
    ActorRef<ObjectReplica.Command> local =
        system.systemActorOf(
            ObjectReplica.create(self.name(), replicator, replicas, settings),
            "continuum-object-replica",
            Props.empty());
    return new ReplicatedObjects(
        system, topology, self.name(), catalog, settings, replicas, local, routingOf);
  }

  /** Applies an operation to a field; the view holds the field's new value and the version. */
  public CompletionStage<ObjectView> update(UpdateRequest request) {
    return update(request, null);
  }

  /**
   * Applies an operation to a field at most once per {@code writer} sequence number.
   *
   * @param writer the idempotent writer, or {@code null}
   */
  public CompletionStage<ObjectView> update(UpdateRequest request, Writer writer) {
    return validated(
        () -> {
          String object = ObjectState.requireValidName("object", request.object());
          String field = ObjectState.requireValidName("field", request.field());
          Consistency consistency = Consistency.parse(request.consistency());
          List<String> zones = requireZones(request.zones());
          Optional<FieldSpec> type =
              request.type() == null || request.type().isBlank()
                  ? Optional.empty()
                  : Optional.of(FieldSpec.parse(request.type()));
          Optional<ObjectSchema> schema = catalog.find(object);
          if (schema.isPresent()) {
            FieldSpec declared = schema.get().fields().get(field);
            if (declared == null) {
              throw new IllegalArgumentException(
                  "object '"
                      + object
                      + "' has no field '"
                      + field
                      + "'; its fields: "
                      + String.join(", ", new TreeMap<>(schema.get().fields()).keySet()));
            }
            if (type.isPresent() && !type.get().equals(declared)) {
              throw new IllegalArgumentException(
                  "field '" + field + "' of object '" + object + "' is a " + declared);
            }
            type = Optional.of(declared);
            zones = schema.get().zones();
          }
          List<String> requested = zones;
          String typeName = type.map(FieldSpec::wireName).orElse(null);
          List<String> args = List.copyOf(request.args() == null ? List.of() : request.args());
          return zonesOf(object, requested)
              .thenCompose(
                  objectZones ->
                      ask(
                          objectZones,
                          replyTo ->
                              new ObjectReplica.Update(
                                  object,
                                  field,
                                  request.operation(),
                                  args,
                                  typeName,
                                  objectZones,
                                  consistency,
                                  writer,
                                  replyTo),
                          "update object '" + object + "'",
                          object))
              .thenApply(reply -> view(object, (ObjectReplica.Applied) reply, field));
        });
  }

  /**
   * The object, or only {@code field} of it when not null.
   *
   * @param after a version an update returned: answer only once that write is visible
   */
  public CompletionStage<ObjectView> get(
      String object, String field, String consistency, String after) {
    return validated(
        () -> {
          ObjectState.requireValidName("object", object);
          if (field != null) {
            ObjectState.requireValidName("field", field);
          }
          Consistency c = Consistency.parse(consistency);
          String token =
              after == null || after.isBlank() ? null : VersionToken.parse(after).toString();
          return locate(object, c, token)
              .thenApply(
                  found -> {
                    ObjectReplica.Found at = found.orElseThrow(() -> notFound(object));
                    ObjectView view =
                        view(object, at.snapshot().state(system), at.zone(), at.node(), "");
                    if (field == null) {
                      return view;
                    }
                    FieldValue value = view.fields().get(field);
                    if (value == null) {
                      throw new RejectedException(
                          Reason.NOT_FOUND,
                          "object '"
                              + object
                              + "' has no field '"
                              + field
                              + "'; its fields: "
                              + String.join(", ", view.fields().keySet()));
                    }
                    return new ObjectView(
                        object,
                        view.zones(),
                        new TreeMap<>(Map.of(field, value)),
                        view.version(),
                        view.zone(),
                        view.node());
                  });
        });
  }

  /** Deletes every field of the object in all its zones; returns the delete's version. */
  public CompletionStage<String> delete(String object, String consistency) {
    return validated(
        () -> {
          ObjectState.requireValidName("object", object);
          Consistency c = Consistency.parse(consistency);
          return locate(object, Consistency.LOCAL, null)
              .thenCompose(
                  found -> {
                    List<String> zones =
                        ObjectState.zones(
                            found.orElseThrow(() -> notFound(object)).snapshot().state(system));
                    return ask(
                        zones,
                        replyTo -> new ObjectReplica.Delete(object, zones, c, replyTo),
                        "delete object '" + object + "'",
                        object);
                  })
              .thenApply(reply -> ((ObjectReplica.Applied) reply).version());
        });
  }

  /** The object as this node's replica holds it, without asking any other node. */
  public CompletionStage<Optional<ObjectView>> local(String object) {
    return validated(
        () -> {
          ObjectState.requireValidName("object", object);
          return askReplica(
                  local,
                  replyTo -> new ObjectReplica.ReadLocal(object, replyTo),
                  "read object '" + object + "'")
              .thenApply(
                  reply ->
                      reply instanceof ObjectReplica.Found found
                          ? Optional.of(
                              view(
                                  object,
                                  found.snapshot().state(system),
                                  found.zone(),
                                  found.node(),
                                  ""))
                          : Optional.empty());
        });
  }

  /** This node's zone. */
  /**
   * True once this node sees an object replica in every zone that has an up member: before that, a
   * call for an object of another zone could find no replica to serve it.
   */
  public boolean isReady() {
    Set<String> zonesWithMembers = new HashSet<>();
    for (Member member : Cluster.get(system).state().getMembers()) {
      if (member.status() == MemberStatus.up()) {
        ZoneRoles.zoneOf(member).ifPresent(zonesWithMembers::add);
      }
    }
    return replicas.zonesWithReplicas().containsAll(zonesWithMembers);
  }

  public String selfZone() {
    return selfZone;
  }

  /**
   * The zones of an existing object (checked against {@code requested} when given), else the
   * requested zones, else the zones that have nodes now.
   */
  private CompletionStage<List<String>> zonesOf(String object, List<String> requested) {
    return locate(object, Consistency.LOCAL, null)
        .thenApply(
            found -> {
              if (found.isPresent()) {
                List<String> zones = ObjectState.zones(found.get().snapshot().state(system));
                if (!requested.isEmpty()
                    && !new HashSet<>(requested).equals(new HashSet<>(zones))) {
                  throw new RejectedException(
                      Reason.INVALID_ARGUMENT,
                      "object '"
                          + object
                          + "' replicates to zones "
                          + String.join(", ", zones)
                          + ", not "
                          + String.join(", ", requested)
                          + "; leave the zones out (changing an object's zones is not supported"
                          + " yet)");
                }
                return zones;
              }
              if (!requested.isEmpty()) {
                return requested;
              }
              return zonesWithNodes();
            });
  }

  /**
   * Finds the object: in this node's zone first; then, when this node has seen the object's zones,
   * at a replica of them picked by the object's routing policy; else in every other zone with a
   * reachable replica. When another zone has it and lists this node's zone, this zone's replica
   * gets its state (restore on first touch).
   */
  private CompletionStage<Optional<ObjectReplica.Found>> locate(
      String object, Consistency consistency, String after) {
    Function<ActorRef<ObjectReplica.Reply>, ObjectReplica.Command> read =
        replyTo -> new ObjectReplica.Read(object, consistency, after, replyTo);
    String what = "read object '" + object + "'";
    return askReplica(local, read, what)
        .thenCompose(
            reply -> {
              if (reply instanceof ObjectReplica.Found found) {
                return CompletableFuture.completedFuture(Optional.of(found));
              }
              List<String> zones = zonesSeen.get(object);
              if (zones == null) {
                return locateElsewhere(object, consistency, after);
              }
              return ask(zones, read, what, object)
                  .thenCompose(
                      routed -> {
                        if (routed instanceof ObjectReplica.Found found) {
                          return CompletableFuture.completedFuture(Optional.of(found));
                        }
                        if (routed instanceof ObjectReplica.Refused refused) {
                          throw refused.rejection().toException();
                        }
                        zonesSeen.remove(object);
                        return locateElsewhere(object, consistency, after);
                      });
            });
  }

  private CompletionStage<Optional<ObjectReplica.Found>> locateElsewhere(
      String object, Consistency consistency, String after) {
    List<String> others = new ArrayList<>();
    for (Zone zone : topology.zones()) {
      if (!zone.name().equals(selfZone)) {
        others.add(zone.name());
      }
    }
    List<CompletableFuture<Optional<ObjectReplica.Reply>>> answers = new ArrayList<>();
    List<String> silent = new ArrayList<>();
    for (String zone : others) {
      Optional<ActorRef<ObjectReplica.Command>> replica = replicas.pick(zone);
      if (replica.isEmpty()) {
        continue;
      }
      answers.add(
          AskPattern.<ObjectReplica.Command, ObjectReplica.Reply>ask(
                  replica.get(),
                  replyTo -> new ObjectReplica.Read(object, consistency, after, replyTo),
                  settings.locateTimeout().plus(settings.readYourWritesWait()),
                  system.scheduler())
              .handle(
                  (reply, error) -> {
                    if (error != null) {
                      synchronized (silent) {
                        silent.add(zone);
                      }
                      return Optional.<ObjectReplica.Reply>empty();
                    }
                    return Optional.of(reply);
                  })
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              RejectedException refusal = null;
              for (CompletableFuture<Optional<ObjectReplica.Reply>> answer : answers) {
                Optional<ObjectReplica.Reply> reply = answer.join();
                if (reply.orElse(null) instanceof ObjectReplica.Found found) {
                  CausalMap<ReplicatedData> state = found.snapshot().state(system);
                  remember(object, ObjectState.zones(state));
                  if (ObjectState.zones(state).contains(selfZone)) {
                    local.tell(
                        new ObjectReplica.Merge(
                            object, found.snapshot(), Consistency.LOCAL, system.ignoreRef()));
                  }
                  return Optional.of(found);
                }
                if (reply.orElse(null) instanceof ObjectReplica.Refused refused) {
                  refusal = refused.rejection().toException();
                }
              }
              if (refusal != null) {
                throw refusal;
              }
              if (!silent.isEmpty()) {
                throw new RejectedException(
                    Reason.UNAVAILABLE,
                    "object '"
                        + object
                        + "' is not in zone "
                        + selfZone
                        + " and zone(s) "
                        + String.join(", ", silent)
                        + " did not answer in time; retry");
              }
              return Optional.empty();
            });
  }

  /**
   * Asks this node's replica when the object lives in this node's zone; else a reachable replica of
   * one of its zones, picked by the object's routing policy ({@code nearest}: the zone with the
   * lowest latency from this one in the topology's latency table, else the earliest in this zone's
   * fallback chain).
   */
  private CompletionStage<ObjectReplica.Reply> ask(
      List<String> zones,
      Function<ActorRef<ObjectReplica.Reply>, ObjectReplica.Command> message,
      String what,
      String object) {
    if (zones.contains(selfZone)) {
      return askReplica(local, message, what);
    }
    Map<ActorRef<ObjectReplica.Command>, Long> distance = new HashMap<>();
    List<ActorRef<ObjectReplica.Command>> candidates = new ArrayList<>();
    for (String zone : zones) {
      long away = topology.distance(selfZone, zone);
      for (ActorRef<ObjectReplica.Command> replica : replicas.all(zone)) {
        candidates.add(replica);
        distance.put(replica, away);
      }
    }
    Optional<ActorRef<ObjectReplica.Command>> target =
        router.pick(routingOf.apply(object), "object:" + object, candidates, distance::get);
    if (target.isEmpty()) {
      return failed(
          Reason.UNAVAILABLE,
          "could not "
              + what
              + ": no node of its zone(s) "
              + String.join(", ", zones)
              + " is reachable; retry");
    }
    return router.call(target.get(), replica -> askReplica(replica, message, what));
  }

  /** Remembers the zones of an object found elsewhere; an object's zones never change. */
  private void remember(String object, List<String> zones) {
    if (zonesSeen.size() >= ZONES_SEEN) {
      zonesSeen.clear();
    }
    zonesSeen.put(object, List.copyOf(zones));
  }

  /** Routing decisions taken by this node for objects, per policy. */
  public Map<String, Long> routingDecisions() {
    return router.decisions();
  }

  private CompletionStage<ObjectReplica.Reply> askReplica(
      ActorRef<ObjectReplica.Command> replica,
      Function<ActorRef<ObjectReplica.Reply>, ObjectReplica.Command> message,
      String what) {
    return AskPattern.<ObjectReplica.Command, ObjectReplica.Reply>ask(
            replica,
            message::apply,
            settings
                .askTimeout()
                .plus(settings.consistencyTimeout())
                .plus(settings.readYourWritesWait()),
            system.scheduler())
        .handle(
            (reply, error) -> {
              if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof TimeoutException) {
                  throw new RejectedException(
                      Reason.UNAVAILABLE,
                      "could not " + what + " in time: the node did not answer");
                }
                throw new CompletionException(cause);
              }
              if (reply instanceof ObjectReplica.Refused refused) {
                throw refused.rejection().toException();
              }
              return reply;
            });
  }

  private List<String> requireZones(List<String> zones) {
    if (zones == null) {
      return List.of();
    }
    Set<String> unique = new LinkedHashSet<>();
    for (String zone : zones) {
      if (topology.find(zone).isEmpty()) {
        throw new IllegalArgumentException(
            "zone '" + zone + "' is not a zone of this cluster; use one of: " + zoneNames());
      }
      unique.add(zone);
    }
    return List.copyOf(unique);
  }

  private String zoneNames() {
    return String.join(", ", topology.zones().stream().map(Zone::name).toList());
  }

  /**
   * The zones of the topology that have an up member, in topology order: where an object is created
   * when its update names no zones.
   */
  public List<String> zonesWithNodes() {
    Set<String> withNodes = new HashSet<>();
    for (Member member : Cluster.get(system.classicSystem()).state().getMembers()) {
      if (member.status() == MemberStatus.up() || member.status() == MemberStatus.weaklyUp()) {
        ZoneRoles.zoneOf(member).ifPresent(withNodes::add);
      }
    }
    withNodes.add(selfZone);
    return topology.zones().stream().map(Zone::name).filter(withNodes::contains).toList();
  }

  private ObjectView view(String object, ObjectReplica.Applied applied, String field) {
    ObjectView all =
        view(
            object,
            applied.snapshot().state(system),
            applied.zone(),
            applied.node(),
            applied.version());
    FieldValue value = all.fields().get(field);
    SortedMap<String, FieldValue> fields = new TreeMap<>();
    if (value != null) {
      fields.put(field, value);
    }
    return new ObjectView(
        object, all.zones(), fields, applied.version(), applied.zone(), applied.node());
  }

  private static ObjectView view(
      String object, CausalMap<ReplicatedData> state, String zone, String node, String version) {
    SortedMap<String, FieldValue> fields = new TreeMap<>();
    ObjectState.fields(state)
        .forEach(
            (name, field) ->
                fields.put(name, new FieldValue(name, field.spec().wireName(), field.read())));
    return new ObjectView(object, ObjectState.zones(state), fields, version, zone, node);
  }

  private static RejectedException notFound(String object) {
    return new RejectedException(
        Reason.NOT_FOUND,
        "object '" + object + "' does not exist; an update with a field type creates it");
  }

  private <T> CompletionStage<T> validated(Supplier<CompletionStage<T>> action) {
    try {
      return Objects.requireNonNull(action.get());
    } catch (IllegalArgumentException e) {
      return failed(Reason.INVALID_ARGUMENT, e.getMessage());
    } catch (RejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static <T> CompletionStage<T> failed(Reason reason, String message) {
    return CompletableFuture.failedFuture(new RejectedException(reason, message));
  }
}
