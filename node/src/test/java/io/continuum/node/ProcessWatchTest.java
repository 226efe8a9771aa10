package io.continuum.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The evidence that a member's process is gone: a watch connection that ends when the process
 * closes it, and a probe that tells a crashed process (nothing listens on its port) from a live
 * one.
 */
class ProcessWatchTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aWatchEndsWhenTheWatchedProcessClosesItsSocketAndNotBefore() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ProcessWatch watch =
          ProcessWatch.open(testKit.system(), at(listening.getLocalPort()), TIMEOUT);
      try (Socket accepted = listening.accept()) {
        // An idle connection stays open: the watch sends nothing and expects nothing.
        assertThatThrownBy(
                () -> watch.ended().toCompletableFuture().get(300, TimeUnit.MILLISECONDS))
            .isInstanceOf(TimeoutException.class);
        assertThat(accepted.getInputStream().available()).isZero();
      }
      watch.ended().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWatchOfAPortNothingListensOnEndsAtOnce() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    ProcessWatch watch = ProcessWatch.open(testKit.system(), at(port), TIMEOUT);
    assertThatThrownBy(() -> watch.ended().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
  }

  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private static Address at(int port) {
    return new Address("pekko", "continuum", "127.0.0.1", port);
  }

  @Test
  void aPortWhereSomethingListensIsNotRefusedEvenIfNothingAcceptsYet() throws IOException {
    // Like a frozen process: the kernel completes the handshake into the backlog.
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(ProcessWatch.refuses(at(listening.getLocalPort()), TIMEOUT)).isFalse();
    }
  }

  @Test
  void aPortNothingListensOnAnyLongerIsRefused() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    assertThat(ProcessWatch.refuses(at(port), TIMEOUT)).isTrue();
  }

  @Test
  void anAddressWithoutHostAndPortIsNeverRefused() {
    assertThat(ProcessWatch.refuses(new Address("pekko", "continuum"), TIMEOUT)).isFalse();
  }
}
