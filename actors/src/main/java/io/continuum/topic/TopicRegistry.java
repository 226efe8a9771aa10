package io.continuum.topic;

import io.continuum.serialization.CborSerializable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The authority on whether a topic exists and what its spec is: one entity per topic name, so that
 * concurrent creates of one name are decided in one place and a topic's zone is fixed before any
 * topic entity starts. Its journal is the durable catalog of topics. Specs registered before topics
 * had a duplicate window get the node's default as they are read.
 */
public final class TopicRegistry
    extends EventSourcedBehaviorWithEnforcedReplies<
        TopicRegistry.Command, TopicRegistry.Registered, TopicRegistry.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "TopicRegistry");

  /** What the registry accepts. */
  public sealed interface Command extends CborSerializable permits Register, Find {}

  /**
   * Registers a topic: creates it with {@code ifAbsent} when new; otherwise accepts the request
   * when every option it sets matches the existing spec.
   */
  public record Register(TopicRequest request, TopicSpec ifAbsent, ActorRef<RegisterReply> replyTo)
      implements Command {}

  /** Looks the topic up. */
  public record Find(ActorRef<Lookup> replyTo) implements Command {}

  /** Reply to {@link Register}. */
  public sealed interface RegisterReply extends CborSerializable permits Accepted, Conflict {}

  /** The topic exists with {@code spec}; {@code created} when this request created it. */
  public record Accepted(TopicSpec spec, boolean created) implements RegisterReply {}

  /** The topic exists with other options. */
  public record Conflict(TopicSpec existing, List<String> differences) implements RegisterReply {}

  /** Reply to {@link Find}: the spec, or {@code null} when there is no such topic. */
  public record Lookup(TopicSpec spec) implements CborSerializable {
    public Optional<TopicSpec> found() {
      return Optional.ofNullable(spec);
    }
  }

  /** A topic was created. Version 1; specs written before topics had a duplicate window lack it. */
  public record Registered(TopicSpec spec) implements CborSerializable {}

  /** The registered spec, {@code null} before creation. */
  public record State(TopicSpec spec) implements CborSerializable {}

  private final Duration defaultDuplicateWindow;

  private TopicRegistry(String name, Duration defaultDuplicateWindow) {
    super(PersistenceId.of("TopicRegistry", name));
    this.defaultDuplicateWindow = defaultDuplicateWindow;
  }

  /**
   * Starts the registry's shard region on this node.
   *
   * @param defaultDuplicateWindow the duplicate window of topics registered without one
   */
  public static void init(ActorSystem<?> system, Duration defaultDuplicateWindow) {
    ClusterSharding.get(system)
        .init(
            Entity.of(TYPE_KEY, context -> create(context.getEntityId(), defaultDuplicateWindow)));
  }

  public static Behavior<Command> create(String name, Duration defaultDuplicateWindow) {
    return new TopicRegistry(name, defaultDuplicateWindow);
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public CommandHandlerWithReply<Command, Registered, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(
            Find.class, (state, find) -> Effect().reply(find.replyTo(), new Lookup(state.spec())))
        .build();
  }

  private ReplyEffect<Registered, State> onRegister(State state, Register register) {
    if (state.spec() == null) {
      return Effect()
          .persist(new Registered(register.ifAbsent()))
          .thenReply(register.replyTo(), s -> new Accepted(s.spec(), true));
    }
    List<String> differences = register.request().conflictsWith(state.spec());
    RegisterReply reply =
        differences.isEmpty()
            ? new Accepted(state.spec(), false)
            : new Conflict(state.spec(), differences);
    return Effect().reply(register.replyTo(), reply);
  }

  @Override
  public EventHandler<State, Registered> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Registered.class,
            (state, registered) ->
                new State(registered.spec().withDuplicateWindowIfUnset(defaultDuplicateWindow)))
        .build();
  }
}
