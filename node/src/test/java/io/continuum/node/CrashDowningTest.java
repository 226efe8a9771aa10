package io.continuum.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

/** The probe that tells a crashed process (nothing listens on its port) from a live one. */
class CrashDowningTest {

  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private static Address at(int port) {
    return new Address("pekko", "continuum", "127.0.0.1", port);
  }

  @Test
  void aPortWhereSomethingListensIsNotRefusedEvenIfNothingAcceptsYet() throws IOException {
    // Like a frozen process: the kernel completes the handshake into the backlog.
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(CrashDowning.refuses(at(listening.getLocalPort()), TIMEOUT)).isFalse();
    }
  }

  @Test
  void aPortNothingListensOnAnyLongerIsRefused() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    assertThat(CrashDowning.refuses(at(port), TIMEOUT)).isTrue();
  }

  @Test
  void anAddressWithoutHostAndPortIsNeverRefused() {
    assertThat(CrashDowning.refuses(new Address("pekko", "continuum"), TIMEOUT)).isFalse();
  }
}
