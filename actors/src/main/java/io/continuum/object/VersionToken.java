package io.continuum.object;

import io.continuum.crdt.CausalMap;
import java.util.Map;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.ReplicatedData;

/**
 * Identifies one write of an object: the replica that made it (its incarnation's uid) and how many
 * writes of that object the replica had made. A replica has seen the write once the object's causal
 * context counts at least that many writes of that replica, whichever zone it is in. Rendered as
 * {@code <uid base 36>.<count>}.
 */
record VersionToken(long uid, long count) {

  static VersionToken of(CausalMap<ReplicatedData> state, UniqueAddress self) {
    return new VersionToken(self.longUid(), state.versions().getOrDefault(self, 0L));
  }

  /**
   * @throws IllegalArgumentException if {@code text} is not a token an update returned
   */
  static VersionToken parse(String text) {
    int dot = text.indexOf('.');
    try {
      if (dot > 0) {
        return new VersionToken(
            Long.parseUnsignedLong(text.substring(0, dot), 36),
            Long.parseLong(text.substring(dot + 1)));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "invalid version '" + text + "'; pass the version an update returned, or none");
  }

  boolean seenBy(CausalMap<ReplicatedData> state) {
    for (Map.Entry<UniqueAddress, Long> version : state.versions().entrySet()) {
      if (version.getKey().longUid() == uid) {
        return version.getValue() >= count;
      }
    }
    return count == 0;
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(uid, 36) + "." + count;
  }
}
