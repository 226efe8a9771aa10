package io.continuum.gateway;

import java.util.Optional;
import java.util.Set;
import org.apache.pekko.cluster.Member;

/**
 * The client-facing endpoints a node announces in its cluster roles ({@code gateway@host:port},
 * {@code management@host:port}), so that any node can tell clients and operators where every other
 * node serves, from membership alone.
 */
public final class AnnouncedEndpoints {

  private static final String GATEWAY = "gateway@";
  private static final String MANAGEMENT = "management@";

  private AnnouncedEndpoints() {}

  /** The roles announcing a node's gRPC gateway and management HTTP endpoints. */
  public static Set<String> roles(String gateway, String management) {
    return Set.of(GATEWAY + gateway, MANAGEMENT + management);
  }

  /** The gRPC gateway of a member, host:port. */
  public static Optional<String> gatewayOf(Member member) {
    return find(member, GATEWAY);
  }

  /** The management HTTP endpoint of a member, host:port. */
  public static Optional<String> managementOf(Member member) {
    return find(member, MANAGEMENT);
  }

  private static Optional<String> find(Member member, String prefix) {
    return member.getRoles().stream()
        .filter(role -> role.startsWith(prefix))
        .map(role -> role.substring(prefix.length()))
        .findFirst();
  }
}
