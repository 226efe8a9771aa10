package io.continuum.placement;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Picks the node for a call that several nodes may serve, by a {@link Routing} policy (FaDO's load
 * balancing): {@code round_robin} in turn per name, {@code least_conn} the candidate with the
 * fewest calls in flight from this gateway, {@code random}, or {@code nearest} the candidate whose
 * zone is closest to the gateway's (by a distance the caller gives, e.g. {@code
 * ZoneTopology.distance}: the latency between the zones). Counts its decisions per policy for
 * operators.
 *
 * <pre>{@code
 * Router<ActorRef<Cmd>> router = new Router<>();
 * router.call(Routing.LEAST_CONN, "object:farm-stats", candidates, c -> distance(c), c -> ask(c));
 * }</pre>
 *
 * @param <T> a candidate, e.g. an actor reference; used as a key for its calls in flight
 */
public final class Router<T> {

  private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
  private final Map<T, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<Routing, AtomicLong> decisions = new EnumMap<>(Routing.class);

  public Router() {
    for (Routing routing : Routing.values()) {
      decisions.put(routing, new AtomicLong());
    }
  }

  /**
   * The candidate {@code routing} picks for the calls named {@code name}.
   *
   * @param distance how far a candidate is from the gateway, for {@code nearest}
   */
  public Optional<T> pick(
      Routing routing, String name, List<T> candidates, ToLongFunction<T> distance) {
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    decisions.get(routing).incrementAndGet();
    T chosen =
        switch (routing) {
          case ROUND_ROBIN ->
              candidates.get(
                  Math.floorMod(
                      turns.computeIfAbsent(name, n -> new AtomicInteger()).getAndIncrement(),
                      candidates.size()));
          case LEAST_CONN ->
              candidates.stream()
                  .min(Comparator.comparingInt(c -> inFlight(c).get()))
                  .orElseThrow();
          case RANDOM -> candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
          case NEAREST -> candidates.stream().min(Comparator.comparingLong(distance)).orElseThrow();
        };
    return Optional.of(chosen);
  }

  /** Runs a call to {@code target}, counting it in flight until it completes. */
  public <R> CompletionStage<R> call(T target, Function<T, CompletionStage<R>> call) {
    AtomicInteger counter = inFlight(target);
    counter.incrementAndGet();
    try {
      return call.apply(target).whenComplete((result, error) -> counter.decrementAndGet());
    } catch (RuntimeException e) {
      counter.decrementAndGet();
      throw e;
    }
  }

  /** Decisions taken so far, per policy. */
  public Map<String, Long> decisions() {
    Map<String, Long> out = new java.util.TreeMap<>();
    decisions.forEach((routing, count) -> out.put(routing.wireName(), count.get()));
    return out;
  }

  private AtomicInteger inFlight(T target) {
    return inFlight.computeIfAbsent(target, t -> new AtomicInteger());
  }
}
