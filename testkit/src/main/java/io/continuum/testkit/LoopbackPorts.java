package io.continuum.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks TCP ports that are free on 127.0.0.1 and that stay usable for a server restarted later.
 *
 * <p>Ports are drawn below the operating systems' default ephemeral ranges (Linux starts at 32768,
 * macOS and Windows at 49152), unlike {@code new ServerSocket(0)}: an ephemeral port can be taken
 * by any outgoing connection - a client reconnecting while the server is down, say - and the server
 * could then not bind it again on restart.
 */
public final class LoopbackPorts {

  private static final int LOWEST = 20_000;
  private static final int BELOW_EPHEMERAL = 32_000;
  private static final int ATTEMPTS = 1_000;

  private LoopbackPorts() {}

  /** {@code count} distinct ports, each free on 127.0.0.1 at the time of the call. */
  public static int[] pick(int count) {
    Set<Integer> picked = new HashSet<>();
    for (int attempt = 0; attempt < ATTEMPTS && picked.size() < count; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, BELOW_EPHEMERAL);
      if (!picked.contains(port) && isFree(port)) {
        picked.add(port);
      }
    }
    if (picked.size() < count) {
      throw new IllegalStateException(
          "no " + count + " free ports in [" + LOWEST + ", " + BELOW_EPHEMERAL + ") on 127.0.0.1");
    }
    return picked.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(CassandraConfig.HOST), port), 1);
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
