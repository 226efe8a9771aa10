package io.continuum.object;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The reachable {@link ObjectReplica}s of each zone, as the receptionist lists them: where this
 * node sends calls and writes for objects of other zones. Prefers this node's own replica.
 */
final class ZoneReplicas {

  private final Map<String, List<ActorRef<ObjectReplica.Command>>> reachable =
      new ConcurrentHashMap<>();

  static ServiceKey<ObjectReplica.Command> serviceKey(String zone) {
    return ServiceKey.create(ObjectReplica.Command.class, "continuum-objects-" + zone);
  }

  /** Follows the replicas of {@code zones}. */
  static ZoneReplicas follow(ActorSystem<?> system, Collection<String> zones) {
    ZoneReplicas replicas = new ZoneReplicas();
    system.systemActorOf(replicas.subscriber(zones), "continuum-object-zones", props());
    return replicas;
  }

  private static org.apache.pekko.actor.typed.Props props() {
    return org.apache.pekko.actor.typed.Props.empty();
  }

  private Behavior<Receptionist.Listing> subscriber(Collection<String> zones) {
    return Behaviors.setup(
        context -> {
          for (String zone : zones) {
            context
                .getSystem()
                .receptionist()
                .tell(Receptionist.subscribe(serviceKey(zone), context.getSelf()));
          }
          return Behaviors.receiveMessage(
              listing -> {
                String zone = listing.getKey().id().substring("continuum-objects-".length());
                @SuppressWarnings("unchecked")
                ServiceKey<ObjectReplica.Command> key =
                    (ServiceKey<ObjectReplica.Command>) listing.getKey();
                Set<ActorRef<ObjectReplica.Command>> instances = listing.getServiceInstances(key);
                List<ActorRef<ObjectReplica.Command>> ordered = new ArrayList<>();
                instances.stream()
                    .filter(ref -> ref.path().address().hasLocalScope())
                    .forEach(ordered::add);
                instances.stream()
                    .filter(ref -> !ref.path().address().hasLocalScope())
                    .forEach(ordered::add);
                reachable.put(zone, List.copyOf(ordered));
                return Behaviors.same();
              });
        });
  }

  /** A reachable replica of {@code zone}: this node's own, or a random one. */
  Optional<ActorRef<ObjectReplica.Command>> pick(String zone) {
    List<ActorRef<ObjectReplica.Command>> refs = reachable.getOrDefault(zone, List.of());
    if (refs.isEmpty()) {
      return Optional.empty();
    }
    ActorRef<ObjectReplica.Command> first = refs.get(0);
    return Optional.of(
        first.path().address().hasLocalScope()
            ? first
            : refs.get(ThreadLocalRandom.current().nextInt(refs.size())));
  }

  /** Every reachable replica of {@code zone}, this node's own first. */
  List<ActorRef<ObjectReplica.Command>> all(String zone) {
    return reachable.getOrDefault(zone, List.of());
  }

  /** The zones that have a reachable replica now. */
  List<String> zonesWithReplicas() {
    return reachable.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty())
        .map(Map.Entry::getKey)
        .toList();
  }
}
