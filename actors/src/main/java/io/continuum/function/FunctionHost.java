package io.continuum.function;

import io.continuum.sdk.model.Application;
import io.continuum.sdk.model.FunctionModel;
import io.continuum.zone.ZoneRoles;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What every function instance of a node shares, made once per node rather than once per instance:
 * the application, the codec and settings, the deliverer of effects, the reader of objects, the
 * idle instances' compact forms, where the node runs, and each type's initial state as JSON.
 *
 * @param zone the node's zone (from its roles), or {@code null} when it has none (then an instance
 *     reports its entity's zone)
 * @param node the node's address, as replies report it
 */
public record FunctionHost(
    Application application,
    MessageCodec codec,
    FunctionSettings settings,
    Deliverer deliverer,
    ObjectReader objectReader,
    IdleInstances idle,
    String zone,
    String node,
    Map<String, byte[]> initialStates) {

  /** The host of the instances of {@code system}'s node. */
  public static FunctionHost of(
      ActorSystem<?> system,
      Application application,
      MessageCodec codec,
      FunctionSettings settings,
      Deliverer deliverer,
      ObjectReader objectReader,
      IdleInstances idle) {
    String zone =
        ZoneRoles.zoneOf(
                Set.copyOf(system.settings().config().getStringList("pekko.cluster.roles")))
            .orElse(null);
    return new FunctionHost(
        application,
        codec,
        settings,
        deliverer,
        objectReader,
        idle,
        zone,
        system.address().toString(),
        new ConcurrentHashMap<>());
  }

  /** The initial state of a type as JSON; every instance shares it, and never changes it. */
  byte[] initialState(FunctionModel<?> model) {
    return initialStates.computeIfAbsent(model.name(), name -> codec.encode(model.initialState()));
  }
}
