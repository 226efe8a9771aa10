package io.continuum.crdt;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.UniqueAddress;

/**
 * The binary layout of a {@link DotKernel}, big-endian as {@link DataOutputStream} writes it:
 *
 * <ol>
 *   <li>a format version byte, 1;
 *   <li>the nodes of the version vector, sorted by address: count, then each as protocol, system,
 *       host, port and uid;
 *   <li>each node's version, in the same order;
 *   <li>the live writes, sorted by dot: count, then each as node index, counter and value, the
 *       value in a layout the caller chooses.
 * </ol>
 *
 * <p>Strings are UTF-8 with an int length, so they may be longer than {@code writeUTF} allows.
 */
final class DotKernelFormat {

  /** Writes the value of one live write. */
  interface ValueWriter<V> {
    void write(DataOutputStream out, V value) throws IOException;
  }

  /** Reads the value of one live write. */
  interface ValueReader<V> {
    V read(DataInputStream in) throws IOException;
  }

  private static final byte FORMAT_VERSION = 1;

  private DotKernelFormat() {}

  static <V> byte[] write(DotKernel<V> kernel, ValueWriter<? super V> values) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      Map<UniqueAddress, Integer> index = new HashMap<>();
      out.writeInt(kernel.context().versions().size());
      for (UniqueAddress node : kernel.context().versions().keySet()) {
        index.put(node, index.size());
        writeNode(out, node);
      }
      for (long version : kernel.context().versions().values()) {
        out.writeLong(version);
      }
      out.writeInt(kernel.entries().size());
      for (Map.Entry<Dot, V> entry : kernel.entries().entrySet()) {
        out.writeInt(index.get(entry.getKey().node()));
        out.writeLong(entry.getKey().counter());
        values.write(out, entry.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a kernel back.
   *
   * @throws IllegalArgumentException naming {@code what} if the bytes are not a valid kernel
   */
  static <V> DotKernel<V> read(byte[] bytes, String what, ValueReader<V> values) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte format = in.readByte();
      if (format != FORMAT_VERSION) {
        throw new IOException("unknown format version " + format);
      }
      List<UniqueAddress> nodes = new ArrayList<>();
      int nodeCount = in.readInt();
      for (int i = 0; i < nodeCount; i++) {
        nodes.add(readNode(in));
      }
      Map<UniqueAddress, Long> versions = new LinkedHashMap<>();
      for (UniqueAddress node : nodes) {
        versions.put(node, in.readLong());
      }
      Map<Dot, V> entries = new LinkedHashMap<>();
      int entryCount = in.readInt();
      for (int i = 0; i < entryCount; i++) {
        Dot dot = new Dot(nodes.get(in.readInt()), in.readLong());
        entries.put(dot, values.read(in));
      }
      if (in.available() > 0) {
        throw new IOException(in.available() + " bytes left over");
      }
      return DotKernel.of(entries, CausalContext.of(versions));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("corrupt " + what + " payload: " + e.getMessage(), e);
    }
  }

  /** Cluster members always have host and port; anything else cannot be a writing node. */
  private static void writeNode(DataOutputStream out, UniqueAddress node) throws IOException {
    Address address = node.address();
    Optional<String> host = address.getHost();
    Optional<Integer> port = address.getPort();
    if (host.isEmpty() || port.isEmpty()) {
      throw new IllegalArgumentException("node " + node + " has no host and port");
    }
    writeString(out, address.protocol());
    writeString(out, address.system());
    writeString(out, host.get());
    out.writeInt(port.get());
    out.writeLong(node.longUid());
  }

  private static UniqueAddress readNode(DataInputStream in) throws IOException {
    String protocol = readString(in);
    String system = readString(in);
    String host = readString(in);
    int port = in.readInt();
    return new UniqueAddress(new Address(protocol, system, host, port), in.readLong());
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  /** Writes an int length, then the bytes. */
  static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("length " + length + " exceeds the " + in.available() + " bytes left");
    }
    return in.readNBytes(length);
  }
}
