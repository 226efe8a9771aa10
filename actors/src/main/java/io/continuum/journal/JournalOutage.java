package io.continuum.journal;

import io.continuum.reply.Reason;
import io.continuum.reply.Rejection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * An event-sourced entity's knowledge that its journal is unreachable, and the guard that keeps the
 * entity answering meanwhile.
 *
 * <p>Pekko restarts an event-sourced entity whose journal write or recovery fails, and until a
 * recovery succeeds the entity stashes every command: during a storage outage each caller would
 * wait out its deadline, even for a read of state the entity held in memory. With the guard in
 * front of the entity:
 *
 * <ul>
 *   <li>from the first failed recovery until a recovery succeeds ({@link #began} to {@link
 *       #ended}), the entity's {@code answer} function answers the commands it can without the
 *       journal before they reach the stash: writes refused with {@code UNAVAILABLE} ({@link
 *       #refusal}), reads served from the last durable state;
 *   <li>a write that was already waiting inside the entity when the outage began is refused when it
 *       is finally handled ({@link #waitedThrough}) instead of running after its caller was told
 *       {@code UNAVAILABLE} and may have sent it again.
 * </ul>
 *
 * <p>One per entity incarnation, kept across the entity's restarts:
 *
 * <pre>{@code
 * JournalOutage<Command> outage = new JournalOutage<>();
 * return outage.guard(Command.class, Invoke.class, Stop.INSTANCE, entity, entity::answerDuringOutage);
 * }</pre>
 *
 * @param <C> the entity's command type
 */
public final class JournalOutage<C> {

  /** For each write inside the entity, how many outages had begun when it arrived. */
  private final Map<C, Long> arrivals = new IdentityHashMap<>();

  private long outages;
  private String cause;

  /**
   * The entity behind the guard.
   *
   * @param type the entity's command type
   * @param writes the commands whose arrival is remembered for {@link #waitedThrough}
   * @param stop the entity's stop message: during an outage it stops the entity at once, as the
   *     entity holds nothing that could still become durable
   * @param answer answers a command during an outage and returns true, or returns false to let it
   *     through to the entity
   */
  public Behavior<C> guard(
      Class<C> type, Class<? extends C> writes, C stop, Behavior<C> entity, Predicate<C> answer) {
    return Behaviors.intercept(
        () ->
            new BehaviorInterceptor<C, C>(type) {
              @Override
              public Behavior<C> aroundReceive(
                  TypedActorContext<C> context, C command, ReceiveTarget<C> target) {
                if (ongoing() && command.equals(stop)) {
                  return Behaviors.stopped();
                }
                if (ongoing() && answer.test(command)) {
                  return Behaviors.same();
                }
                if (writes.isInstance(command)) {
                  arrivals.put(command, outages);
                }
                return target.apply(context, command);
              }
            },
        entity);
  }

  /** True from a failed recovery until a recovery succeeds. */
  public boolean ongoing() {
    return cause != null;
  }

  /** A recovery failed: the journal is unreachable. */
  public void began(Throwable failure) {
    if (cause == null) {
      outages++;
    }
    cause = String.valueOf(failure.getMessage());
  }

  /** A recovery succeeded. */
  public void ended() {
    cause = null;
  }

  /**
   * True when {@code write} arrived before the latest outage began: its caller has been answered
   * (or has given up) meanwhile, so it must not run now. Call once per write, when it is handled.
   */
  public boolean waitedThrough(C write) {
    Long outagesAtArrival = arrivals.remove(write);
    return outagesAtArrival != null && outagesAtArrival < outages;
  }

  /**
   * {@code UNAVAILABLE} for a write refused during the outage: not performed, safe to send again.
   *
   * @param what the write and its entity, e.g. {@code "invocation of counter/c-1"}
   * @param retry how to send it again safely, e.g. {@code "retry with the same request id"}
   */
  public Rejection refusal(String what, String retry) {
    return new Rejection(
        Reason.UNAVAILABLE,
        "the journal is unreachable ("
            + (cause != null ? cause : "a storage outage")
            + "): the "
            + what
            + " was not performed; "
            + retry);
  }
}
