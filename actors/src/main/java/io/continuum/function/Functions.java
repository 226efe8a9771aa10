package io.continuum.function;

import io.continuum.object.ReplicatedObjects;
import io.continuum.placement.EffectivePlacement;
import io.continuum.placement.PlacementPolicy;
import io.continuum.reply.Reason;
import io.continuum.reply.RejectedException;
import io.continuum.sdk.Address;
import io.continuum.sdk.ObjectValue;
import io.continuum.sdk.model.Application;
import io.continuum.sdk.model.FunctionModel;
import io.continuum.sharding.MemberLosses;
import io.continuum.sharding.ZoneEntityId;
import io.continuum.sharding.ZoneSharding;
import io.continuum.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Function instances as a service, for the gateway: invoke with a reply, send without one, read
 * state. Failures complete the stage with a {@link RejectedException} whose reason says what to do.
 *
 * <pre>{@code
 * Functions.Reply reply =
 *     functions.invoke("counter", "c1", "{\"add\":5}".getBytes(UTF_8), null, null, timeout).join();
 * }</pre>
 */
public final class Functions {

  /** An invocation's reply: the reply's class name and JSON, both {@code null} for none. */
  public record Reply(String messageType, byte[] payload, String zone, String node) {}

  private final ZoneSharding zones;
  private final Application application;
  private final FunctionPlacement placement;
  private final MessageCodec codec;
  private final FunctionSettings settings;
  private final MemberLosses losses;
  private final String requestIdPrefix = "gw-" + UUID.randomUUID() + "-";
  private final AtomicLong requestIds = new AtomicLong();

  private Functions(
      ZoneSharding zones,
      MemberLosses losses,
      Application application,
      FunctionPlacement placement,
      MessageCodec codec,
      FunctionSettings settings) {
    this.zones = zones;
    this.application = application;
    this.placement = placement;
    this.codec = codec;
    this.settings = settings;
    this.losses = losses;
  }

  /** Starts the function instances' shard region on this node. */
  public static Functions start(
      ActorSystem<?> system,
      ZoneSharding zones,
      Application application,
      FunctionPlacement placement,
      Topics topics,
      ReplicatedObjects objects) {
    FunctionSettings settings = FunctionSettings.fromConfig(system.settings().config());
    MessageCodec codec = new MessageCodec();
    Deliverer deliverer =
        new RuntimeDeliverer(
            zones, application, placement, topics, objects, codec, settings.deliveryTimeout());
    ObjectReader reader = ids -> read(objects, ids);
    IdleInstances idle =
        new IdleInstances(
            (long)
                (Runtime.getRuntime().maxMemory()
                    * system
                        .settings()
                        .config()
                        .getDouble("continuum.functions.idle-instances-heap-fraction")));
    FunctionHost host =
        FunctionHost.of(system, application, codec, settings, deliverer, reader, idle);
    zones.initRemembered(
        FunctionInstance.TYPE_KEY,
        FunctionInstance.Stop.INSTANCE,
        (id, shard) -> {
          Address address = FunctionPlacement.addressOf(id);
          FunctionModel<?> model =
              application
                  .function(address.type())
                  .orElseThrow(
                      () -> new IllegalStateException("no function type " + address.type()));
          return FunctionInstance.create(
              address,
              id.zone(),
              () -> placement.zoneOf(model, address.id()),
              previous ->
                  zones
                      .entityRef(
                          FunctionInstance.TYPE_KEY,
                          new ZoneEntityId(previous, model.name() + "|" + address.id()))
                      .tell(new FunctionInstance.Leave(id.zone())),
              model,
              host,
              shard);
        });
    return new Functions(zones, MemberLosses.get(system), application, placement, codec, settings);
  }

  /** Reads objects from a replica of their zones; one that does not exist reads as empty. */
  private static CompletionStage<Map<String, ObjectValue>> read(
      ReplicatedObjects objects, List<String> ids) {
    List<CompletableFuture<ObjectValue>> reads = new ArrayList<>();
    for (String id : ids) {
      reads.add(
          objects
              .get(id, null, "local", null)
              .thenApply(view -> objectValue(id, view))
              .exceptionallyCompose(
                  error -> {
                    Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
                    return cause instanceof RejectedException rejected
                            && rejected.reason() == Reason.NOT_FOUND
                        ? CompletableFuture.completedFuture(new ObjectValue(id, Map.of()))
                        : CompletableFuture.failedFuture(cause);
                  })
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<String, ObjectValue> values = new HashMap<>();
              reads.forEach(r -> values.put(r.join().id(), r.join()));
              return values;
            });
  }

  private static ObjectValue objectValue(String id, ReplicatedObjects.ObjectView view) {
    Map<String, Object> fields = new HashMap<>();
    view.fields().forEach((name, field) -> fields.put(name, field.value()));
    return new ObjectValue(id, fields);
  }

  public FunctionSettings settings() {
    return settings;
  }

  /**
   * Invokes an instance with a JSON message and waits for its reply, at most {@code timeout}.
   *
   * @param typeHint the message type's simple or full class name, or {@code null} to pick the first
   *     declared type the JSON binds to
   * @param requestId when set, a retry with the same id returns the first reply and runs nothing
   */
  public CompletionStage<Reply> invoke(
      String type, String id, byte[] json, String typeHint, String requestId, Duration timeout) {
    String key = requestId == null || requestId.isEmpty() ? nextRequestId() : requestId;
    // No attempt may arrive after its reply is forgotten: a call waits at most reply-retention.
    Duration bounded =
        timeout.compareTo(settings.replies().retention()) > 0
            ? settings.replies().retention()
            : timeout;
    long deadline = System.currentTimeMillis() + bounded.toMillis();
    return call(
        attempt -> {
          FunctionModel<?> function = function(type);
          requireId(id);
          Object message = codec.bind(function, json, typeHint);
          return zones
              .entityRef(FunctionInstance.TYPE_KEY, placement.entityId(function, id))
              .<FunctionInstance.InvokeReply>ask(
                  replyTo ->
                      new FunctionInstance.Invoke(
                          message.getClass().getName(),
                          codec.encode(message),
                          key,
                          deadline,
                          replyTo),
                  attempt)
              .thenApply(
                  reply -> {
                    if (reply instanceof FunctionInstance.Refused refused) {
                      throw refused.rejection().toException();
                    }
                    FunctionInstance.Replied replied = (FunctionInstance.Replied) reply;
                    return new Reply(
                        replied.messageType(), replied.payload(), replied.zone(), replied.node());
                  });
        },
        type,
        id,
        bounded);
  }

  /**
   * Sends a JSON message without waiting for a reply; completes with the message id once the
   * message is handled and durable, waiting at most {@code timeout}. A retry with the same {@code
   * messageId} does not run again.
   */
  public CompletionStage<String> send(
      String type, String id, byte[] json, String typeHint, String messageId, Duration timeout) {
    String key = messageId == null || messageId.isEmpty() ? nextRequestId() : messageId;
    return invoke(type, id, json, typeHint, key, timeout).thenApply(reply -> key);
  }

  /**
   * An id for a call whose client gave none: unique across gateways and restarts (a random prefix
   * per gateway start) at the cost of an increment, where a random UUID per call cost a secure
   * random draw.
   */
  private String nextRequestId() {
    return requestIdPrefix + requestIds.incrementAndGet();
  }

  /** The state of an instance as JSON (its initial state when it never handled anything). */
  public CompletionStage<byte[]> state(String type, String id) {
    return query(type, id, FunctionInstance.GetState::new)
        .thenApply(FunctionInstance.StateReply::state);
  }

  /** Where an instance runs (activating it), for operators. */
  public CompletionStage<FunctionInstance.Here> locate(String type, String id) {
    return query(type, id, FunctionInstance.Where::new);
  }

  /** Asks an instance something that changes nothing, within {@code ask-timeout}. */
  private <R> CompletionStage<R> query(
      String type,
      String id,
      org.apache.pekko.japi.function.Function<ActorRef<R>, FunctionInstance.Command> question) {
    return call(
        attempt -> {
          FunctionModel<?> function = function(type);
          requireId(id);
          return zones
              .entityRef(FunctionInstance.TYPE_KEY, placement.entityId(function, id))
              .ask(question, attempt);
        },
        type,
        id,
        settings.askTimeout());
  }

  /**
   * Where the instances of a declared type live, and why; with {@code override}, where they would
   * live with it as the type's runtime override.
   */
  public EffectivePlacement explain(String type, Optional<PlacementPolicy> override) {
    return placement.explain(function(type), override);
  }

  /**
   * Where an instance lives, and why; with {@code override}, where it would live with it as the
   * instance's runtime override.
   */
  public EffectivePlacement explain(String type, String id, Optional<PlacementPolicy> override) {
    requireId(id);
    return placement.explain(function(type), id, override);
  }

  private FunctionModel<?> function(String type) {
    return application
        .function(type)
        .orElseThrow(
            () ->
                new RejectedException(
                    Reason.NOT_FOUND,
                    "no function type '"
                        + type
                        + "'; the application declares "
                        + application.functions().stream()
                            .map(FunctionModel::name)
                            .collect(Collectors.joining(", "))));
  }

  private static void requireId(String id) {
    if (id == null || id.isEmpty() || id.length() > 200 || id.chars().anyMatch(c -> c < 0x20)) {
      throw new RejectedException(
          Reason.INVALID_ARGUMENT,
          "instance id must be 1-200 printable characters, was '" + id + "'");
    }
  }

  /** Pause before calling an instance again that answered it moved. */
  private static final Duration MOVED_RETRY = Duration.ofMillis(50);

  /**
   * Runs attempts of a call until one answers or {@code deadline} (System.nanoTime) passes: again
   * when an attempt times out (its message may have been dropped while the instance's shard moved
   * between nodes) or a node crashed while it was in flight ({@link MemberLosses}: at once), and
   * after {@link #MOVED_RETRY} when the instance answers it moved to another zone (until this
   * node's placement directory knows). Every attempt of an invocation carries the same request id,
   * so at most one runs.
   */
  private <T> CompletionStage<T> attempts(
      java.util.function.Function<Duration, CompletionStage<T>> attempt, long deadline) {
    long remaining = deadline - System.nanoTime();
    Duration timeout = Duration.ofNanos(Math.min(remaining, settings.attemptTimeout().toNanos()));
    // Every attempt may be sent again: one in flight to a node that crashed is, at once.
    return losses
        .orLost(attempt.apply(timeout), zone -> true)
        .exceptionallyCompose(
            error -> {
              Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
              boolean moved =
                  cause instanceof RejectedException rejected
                      && rejected.reason() == Reason.ABORTED;
              boolean lost = cause instanceof MemberLosses.Lost;
              long pause = moved || lost ? MOVED_RETRY.toNanos() : 0;
              if ((moved || lost || cause instanceof TimeoutException)
                  && System.nanoTime() + pause + MOVED_RETRY.toNanos() < deadline) {
                Executor later =
                    CompletableFuture.delayedExecutor(
                        pause, java.util.concurrent.TimeUnit.NANOSECONDS);
                return CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(ignored -> attempts(attempt, deadline));
              }
              return CompletableFuture.failedFuture(cause);
            });
  }

  private <T> CompletionStage<T> call(
      java.util.function.Function<Duration, CompletionStage<T>> attempt,
      String type,
      String id,
      Duration timeout) {
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      return attempts(attempt, deadline)
          .exceptionallyCompose(
              error -> {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                if (cause instanceof TimeoutException) {
                  return CompletableFuture.failedFuture(
                      new RejectedException(
                          Reason.DEADLINE_EXCEEDED,
                          "instance "
                              + type
                              + "/"
                              + id
                              + " did not answer within "
                              + timeout.toMillis()
                              + " ms; the call may still take effect: retry with the same"
                              + " request id to be safe"));
                }
                return CompletableFuture.failedFuture(cause);
              });
    } catch (RejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
