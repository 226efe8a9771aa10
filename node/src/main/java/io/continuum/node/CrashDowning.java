package io.continuum.node;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.remote.RemoteActorRefProvider;
import scala.Option;

/**
 * Downs a member whose process has crashed as soon as there is positive evidence of it, instead of
 * waiting for the failure detector to miss its heartbeats and for the Split Brain Resolver's {@code
 * stable-after}. The heartbeat failure detector can then be tuned to tolerate the GC and CPU pauses
 * of a busy small machine without slowing failover after a crash.
 *
 * <p>Every node holds a {@link ProcessWatch} connection open to every other live member's cluster
 * port. When it closes (the process exited, so its kernel closed its sockets), or when the member
 * becomes unreachable, the node connects again: a refused connection — twice, {@code confirm-after}
 * apart — means the host answers but nothing listens there. The process is gone, so no stale
 * incarnation can serve, and downing it at once is safe. Anything else (a frozen process, whose
 * kernel still accepts connections; a host or network that does not answer) is left to the failure
 * detector and the Split Brain Resolver, which is what tells a slow or cut-off node from a dead
 * one. Only the first reachable member that is up, other than the suspect, acts, and only when it
 * reaches a majority of the members, so a minority side of a partition never downs the majority.
 *
 * <p>Configured under {@code continuum.cluster.crash-downing} ({@code enabled}, {@code
 * connect-timeout}, {@code confirm-after}, {@code rewatch-after}).
 */
public final class CrashDowning {

  private CrashDowning() {}

  /** What the behavior handles; all of it comes from itself and the cluster. */
  public sealed interface Message
      permits Membership, Unreachable, WatchEnded, Rewatch, Confirm, Probed {}

  private record Membership(Member member) implements Message {}

  private record Unreachable(Member member) implements Message {}

  /** The watch connection to a member ended; {@code watch} tells a stale watch from the current. */
  private record WatchEnded(Member member, ProcessWatch watch) implements Message {}

  /** Time to watch again a member whose connection ended while it still accepts connections. */
  private record Rewatch(Member member) implements Message {}

  /** Time to connect again to a member whose port refused. */
  private record Confirm(Member member) implements Message {}

  /**
   * The outcome of a connection attempt: {@code refused} when nothing listens on the port; {@code
   * second} for the confirming attempt.
   */
  private record Probed(Member member, boolean refused, boolean second) implements Message {}

  private static final Set<MemberStatus> WATCHED =
      Set.of(MemberStatus.joining(), MemberStatus.weaklyUp(), MemberStatus.up());

  /** The behavior, subscribed to membership and unreachability. */
  public static Behavior<Message> create(
      Duration connectTimeout, Duration confirmAfter, Duration rewatchAfter) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new Watching(context, timers, connectTimeout, confirmAfter, rewatchAfter)
                        .behavior()));
  }

  private static final class Watching {
    private final ActorContext<Message> context;
    private final TimerScheduler<Message> timers;
    private final Duration connectTimeout;
    private final Duration confirmAfter;
    private final Duration rewatchAfter;
    private final Cluster cluster;
    private final Executor blocking;
    private final Map<UniqueAddress, ProcessWatch> watches = new HashMap<>();

    Watching(
        ActorContext<Message> context,
        TimerScheduler<Message> timers,
        Duration connectTimeout,
        Duration confirmAfter,
        Duration rewatchAfter) {
      this.context = context;
      this.timers = timers;
      this.connectTimeout = connectTimeout;
      this.confirmAfter = confirmAfter;
      this.rewatchAfter = rewatchAfter;
      this.cluster = Cluster.get(context.getSystem());
      this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
      cluster
          .subscriptions()
          .tell(
              Subscribe.create(
                  context.messageAdapter(
                      ClusterEvent.MemberEvent.class, event -> new Membership(event.member())),
                  ClusterEvent.MemberEvent.class));
      cluster
          .subscriptions()
          .tell(
              Subscribe.create(
                  context.messageAdapter(
                      ClusterEvent.UnreachableMember.class,
                      event -> new Unreachable(event.member())),
                  ClusterEvent.UnreachableMember.class));
    }

    Behavior<Message> behavior() {
      return Behaviors.receive(Message.class)
          .onMessage(
              Membership.class, m -> watch(m.member(), WATCHED.contains(m.member().status())))
          .onMessage(Unreachable.class, u -> probe(u.member(), false))
          .onMessage(WatchEnded.class, this::watchEnded)
          .onMessage(Rewatch.class, r -> watch(r.member(), live(r.member())))
          .onMessage(Confirm.class, c -> probe(c.member(), true))
          .onMessage(Probed.class, this::probed)
          .onSignal(
              PostStop.class,
              stop -> {
                watches.values().forEach(ProcessWatch::close);
                return Behaviors.same();
              })
          .build();
    }

    /** Watches a live member not watched yet; stops watching one that left, was downed or went. */
    private Behavior<Message> watch(Member member, boolean live) {
      if (member.uniqueAddress().equals(cluster.selfMember().uniqueAddress())
          || !ProcessWatch.watchable(member.address())) {
        return Behaviors.same();
      }
      ProcessWatch watch = watches.get(member.uniqueAddress());
      if (live && watch == null) {
        ProcessWatch opened =
            ProcessWatch.open(context.getSystem(), member.address(), connectTimeout);
        watches.put(member.uniqueAddress(), opened);
        context.pipeToSelf(opened.ended(), (done, error) -> new WatchEnded(member, opened));
      } else if (!live && watch != null) {
        watches.remove(member.uniqueAddress());
        watch.close();
      }
      return Behaviors.same();
    }

    private Behavior<Message> watchEnded(WatchEnded ended) {
      if (watches.get(ended.member().uniqueAddress()) != ended.watch()) {
        return Behaviors.same(); // closed by this node: the member left or was downed
      }
      watches.remove(ended.member().uniqueAddress());
      return probe(ended.member(), false);
    }

    private Behavior<Message> probe(Member member, boolean second) {
      // Every node probes; only the first reachable member that is up acts on the outcome.
      context.pipeToSelf(
          CompletableFuture.supplyAsync(
              () -> ProcessWatch.refuses(member.address(), connectTimeout), blocking),
          (refused, error) -> new Probed(member, Boolean.TRUE.equals(refused), second));
      return Behaviors.same();
    }

    private Behavior<Message> probed(Probed probed) {
      Member member = probed.member();
      if (!probed.refused()) {
        // Alive (or out of reach): watch it again, after a pause in case its port keeps closing.
        if (live(member)) {
          timers.startSingleTimer(member.uniqueAddress(), new Rewatch(member), rewatchAfter);
        }
        if (probed.second()) {
          context.getLog().info("{} accepts connections again: not downed", member.address());
        }
        return Behaviors.same();
      }
      boolean acts = mayDown(member);
      context
          .getLog()
          .info(
              "Probe {} of {}: its cluster port refuses connections; this node {}",
              probed.second() ? 2 : 1,
              member.address(),
              acts ? "acts" : "does not act");
      if (!acts) {
        return Behaviors.same();
      }
      if (!probed.second()) {
        timers.startSingleTimer(member.uniqueAddress(), new Confirm(member), confirmAfter);
        return Behaviors.same();
      }
      context
          .getLog()
          .info(
              "Downing {} now: its cluster port refuses connections, so its process is gone",
              member.address());
      cluster.manager().tell(new Down(member.address()));
      // Down alone leaves it a member until the failure detector also finds it unreachable (the
      // leader removes only unreachable downed members): quarantining this incarnation marks it
      // terminated at once, as Pekko does itself for a member whose new incarnation joins.
      ((RemoteActorRefProvider)
              ((ExtendedActorSystem) context.getSystem().classicSystem()).provider())
          .quarantine(
              member.address(),
              Option.apply((Object) member.uniqueAddress().longUid()),
              "its process is gone: its cluster port refuses connections");
      return Behaviors.same();
    }

    /** True when the current cluster state has the member joining, weakly up or up. */
    private boolean live(Member member) {
      for (Member m : cluster.state().getMembers()) {
        if (m.uniqueAddress().equals(member.uniqueAddress())) {
          return WATCHED.contains(m.status());
        }
      }
      return false;
    }

    /**
     * True when this node is the first reachable member that is up other than {@code suspect}
     * (Pekko's rule for its leader, computed without the suspect, which may be the leader), reaches
     * a majority of the members, and the suspect is still a member that is not downed.
     */
    private boolean mayDown(Member suspect) {
      ClusterEvent.CurrentClusterState state = cluster.state();
      long members = 0;
      long reachable = 0;
      boolean live = false;
      Member acting = null;
      for (Member m : state.getMembers()) {
        if (m.status() != MemberStatus.down() && m.status() != MemberStatus.removed()) {
          members++;
          boolean reaches = !state.getUnreachable().contains(m);
          reachable += reaches ? 1 : 0;
          boolean isSuspect = m.uniqueAddress().equals(suspect.uniqueAddress());
          live |= isSuspect;
          if (acting == null && reaches && !isSuspect && m.status() == MemberStatus.up()) {
            acting = m;
          }
        }
      }
      return live
          && acting != null
          && acting.uniqueAddress().equals(cluster.selfMember().uniqueAddress())
          && 2 * reachable > members;
    }
  }
}
