package io.continuum.node;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * Positive evidence that a member's process is gone, from its cluster port: a connection held open
 * to it ends the moment the process exits (its kernel closes the process's sockets), and a new
 * connection is then refused because nothing listens there.
 *
 * <p>Pekko's cluster port (Artery over TCP) keeps a connection that sends nothing open and never
 * writes to it, so a watch costs one idle socket per member and no traffic. A frozen process, a
 * dead host or a partition do not close the connection: those are left to the failure detector.
 */
final class ProcessWatch {

  private final UniqueKillSwitch stop;
  private final CompletionStage<Done> ended;

  private ProcessWatch(UniqueKillSwitch stop, CompletionStage<Done> ended) {
    this.stop = stop;
    this.ended = ended;
  }

  /**
   * Connects to {@code address} and holds the connection open; {@link #ended()} completes (or
   * fails) when it closes, or when it could not be opened within {@code connectTimeout}.
   */
  static ProcessWatch open(ActorSystem<?> system, Address address, Duration connectTimeout) {
    InetSocketAddress at =
        new InetSocketAddress(address.host().get(), (Integer) address.port().get());
    Pair<UniqueKillSwitch, CompletionStage<Done>> running =
        Source.<ByteString>maybe()
            .viaMat(KillSwitches.single(), Keep.right())
            .via(
                Tcp.get(system)
                    .outgoingConnection(
                        at,
                        Optional.empty(),
                        List.of(),
                        false,
                        Optional.of(connectTimeout),
                        Optional.empty()))
            .toMat(Sink.ignore(), Keep.both())
            .run(system);
    return new ProcessWatch(running.first(), running.second());
  }

  /** Completes, normally or not, when the connection is closed or could not be opened. */
  CompletionStage<Done> ended() {
    return ended;
  }

  /** Closes the connection; {@link #ended()} completes soon after. */
  void close() {
    stop.shutdown();
  }

  /** True when the address has a host and port to connect to. */
  static boolean watchable(Address address) {
    return address.host().isDefined() && address.port().isDefined();
  }

  /**
   * True when connecting to the address's host and port is refused: the host answers, and nothing
   * listens there. False when something listens (even a frozen process: its kernel completes the
   * handshake), when nothing answers within {@code timeout}, and for an address without a port.
   */
  static boolean refuses(Address address, Duration timeout) {
    if (!watchable(address)) {
      return false;
    }
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(address.host().get(), (Integer) address.port().get()),
          (int) timeout.toMillis());
      return false;
    } catch (ConnectException e) {
      return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("refused");
    } catch (IOException e) {
      return false;
    }
  }
}
