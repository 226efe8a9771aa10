package io.continuum.node;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Downs a member whose process has crashed as soon as it is unreachable, instead of after the Split
 * Brain Resolver's {@code stable-after} and its once-a-second decision.
 *
 * <p>When a member becomes unreachable, each node connects to the member's cluster port. A refused
 * connection — twice, {@code confirm-after} apart — means the host answers but nothing listens
 * there: the process is gone, so no stale incarnation can serve, and downing it at once is safe.
 * Anything else (a frozen process, whose kernel still accepts connections; a host or network that
 * does not answer) is left to the Split Brain Resolver, which is what tells a slow or cut-off node
 * from a dead one. Only the first reachable member that is up (the leader, by Pekko's rule) acts,
 * and only when it reaches a majority of the members, so a minority side of a partition never downs
 * the majority.
 *
 * <p>Configured under {@code continuum.cluster.crash-downing} ({@code enabled}, {@code
 * connect-timeout}, {@code confirm-after}).
 */
public final class CrashDowning {

  private CrashDowning() {}

  /** What the behavior handles; all of it comes from itself and the cluster. */
  public sealed interface Message permits Unreachable, Confirm, Probed {}

  private record Unreachable(Member member) implements Message {}

  /** Time to connect again to a member whose port refused. */
  private record Confirm(Member member) implements Message {}

  /** The outcome of a connection attempt: {@code refused} when nothing listens on the port. */
  private record Probed(Member member, boolean refused, boolean second) implements Message {}

  /** The behavior, subscribed to unreachability. */
  public static Behavior<Message> create(Duration connectTimeout, Duration confirmAfter) {
    return Behaviors.setup(
        context -> {
          Cluster cluster = Cluster.get(context.getSystem());
          cluster
              .subscriptions()
              .tell(
                  Subscribe.create(
                      context.messageAdapter(
                          ClusterEvent.UnreachableMember.class,
                          event -> new Unreachable(event.member())),
                      ClusterEvent.UnreachableMember.class));
          Executor blocking =
              context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
          return Behaviors.receive(Message.class)
              .onMessage(
                  Unreachable.class,
                  unreachable -> {
                    probe(context, blocking, unreachable.member(), connectTimeout, false);
                    return Behaviors.same();
                  })
              .onMessage(
                  Confirm.class,
                  confirm -> {
                    probe(context, blocking, confirm.member(), connectTimeout, true);
                    return Behaviors.same();
                  })
              .onMessage(
                  Probed.class,
                  probed -> {
                    boolean acts = probed.refused() && mayDown(cluster, probed.member());
                    context
                        .getLog()
                        .info(
                            "Probe {} of unreachable {}: its port {}; this node {}",
                            probed.second() ? 2 : 1,
                            probed.member().address(),
                            probed.refused() ? "refuses connections" : "does not refuse",
                            acts ? "acts" : "does not act");
                    if (!acts) {
                      return Behaviors.same();
                    }
                    if (!probed.second()) {
                      context.scheduleOnce(
                          confirmAfter, context.getSelf(), new Confirm(probed.member()));
                      return Behaviors.same();
                    }
                    Address address = probed.member().address();
                    context
                        .getLog()
                        .info(
                            "Downing {} now: it is unreachable and its port refuses"
                                + " connections, so its process is gone",
                            address);
                    cluster.manager().tell(new Down(address));
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /**
   * True when this node is the first reachable member that is up (Pekko's rule for its leader),
   * reaches a majority of the members, and still sees {@code member} as an unreachable, not yet
   * downed member.
   */
  private static boolean mayDown(Cluster cluster, Member member) {
    ClusterEvent.CurrentClusterState state = cluster.state();
    if (!state.getUnreachable().contains(member)) {
      return false;
    }
    long members = 0;
    long reachable = 0;
    boolean live = false;
    Member acting = null;
    // Members come sorted by address: the first reachable one that is up acts, as Pekko picks its
    // leader (the leader this node last heard of may be the member that crashed).
    for (Member m : state.getMembers()) {
      if (m.status() != MemberStatus.down() && m.status() != MemberStatus.removed()) {
        members++;
        boolean reaches = !state.getUnreachable().contains(m);
        reachable += reaches ? 1 : 0;
        live |= m.equals(member);
        if (acting == null && reaches && m.status() == MemberStatus.up()) {
          acting = m;
        }
      }
    }
    return live
        && acting != null
        && acting.address().equals(cluster.selfMember().address())
        && 2 * reachable > members;
  }

  private static void probe(
      ActorContext<Message> context,
      Executor blocking,
      Member member,
      Duration timeout,
      boolean second) {
    // Every node probes; only the first reachable member that is up acts on the outcome.
    context.pipeToSelf(
        CompletableFuture.supplyAsync(() -> refuses(member.address(), timeout), blocking),
        (refused, error) -> new Probed(member, Boolean.TRUE.equals(refused), second));
  }

  /** True when connecting to the address's host and port is refused. */
  static boolean refuses(Address address, Duration timeout) {
    if (address.host().isEmpty() || address.port().isEmpty()) {
      return false;
    }
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(address.host().get(), (Integer) address.port().get()),
          (int) timeout.toMillis());
      return false;
    } catch (ConnectException e) {
      return String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("refused");
    } catch (IOException e) {
      return false;
    }
  }
}
