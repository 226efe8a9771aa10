package io.continuum.crdt;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.util.ByteString;

/**
 * Binary Pekko serializer for Continuum's own replicated data types ({@link MVRegister}, {@link
 * EWFlag}, {@link CausalMap}) and their keys; bound in this module's {@code reference.conf}.
 *
 * <p>The identifier is fixed in code, {@value #IDENTIFIER}, and listed in {@code
 * pekko.actor.serialization-identifiers} beside it: it is written into every remote message and
 * durable entry, so it must never change.
 *
 * <p>All three are causal dot stores, written in the layout of {@link DotKernelFormat}; this class
 * adds how each writes the value of a write. The same state always gives the same bytes, which the
 * {@code Replicator} relies on: it compares SHA-1 digests of serialized data to find what gossip
 * must carry.
 *
 * <p>Register values are tagged: String (UTF-8, any length), Long, Double, Boolean, ByteString. Map
 * values are replicated data of any type and are written through Pekko serialization, as
 * (serializer id, manifest, bytes).
 */
public final class CrdtSerializer extends SerializerWithStringManifest {

  /** The serializer id, unique among the serializers of an actor system. */
  public static final int IDENTIFIER = 4711;

  static final String MV_REGISTER = "MVR";
  static final String EW_FLAG = "EWF";
  static final String CAUSAL_MAP = "CM";
  static final String MV_REGISTER_KEY = "MVRK";
  static final String EW_FLAG_KEY = "EWFK";
  static final String CAUSAL_MAP_KEY = "CMK";

  private static final byte STRING = 0;
  private static final byte LONG = 1;
  private static final byte DOUBLE = 2;
  private static final byte BOOLEAN = 3;
  private static final byte BYTES = 4;

  private final ExtendedActorSystem system;
  private volatile Serialization serialization;

  /** Pekko creates the serializer with its actor system, used for the values of maps. */
  public CrdtSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof MVRegister<?>) {
      return MV_REGISTER;
    } else if (o instanceof EWFlag) {
      return EW_FLAG;
    } else if (o instanceof CausalMap<?>) {
      return CAUSAL_MAP;
    } else if (o instanceof CausalMapKey<?>) {
      return CAUSAL_MAP_KEY;
    } else if (o instanceof MVRegisterKey<?>) {
      return MV_REGISTER_KEY;
    } else if (o instanceof EWFlagKey) {
      return EW_FLAG_KEY;
    }
    throw cannotSerialize(o);
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof MVRegister<?> register) {
      return DotKernelFormat.write(register.kernel(), CrdtSerializer::writeScalar);
    } else if (o instanceof EWFlag flag) {
      return DotKernelFormat.write(flag.kernel(), (out, enabled) -> {});
    } else if (o instanceof CausalMap<?> map) {
      return DotKernelFormat.write(map.kernel(), this::writeEntry);
    } else if (o instanceof MVRegisterKey<?>
        || o instanceof EWFlagKey
        || o instanceof CausalMapKey<?>) {
      return ((Key<?>) o).id().getBytes(StandardCharsets.UTF_8);
    }
    throw cannotSerialize(o);
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return switch (manifest) {
      case MV_REGISTER ->
          new MVRegister<>(DotKernelFormat.read(bytes, manifest, CrdtSerializer::readScalar));
      case EW_FLAG -> new EWFlag(DotKernelFormat.read(bytes, manifest, in -> Boolean.TRUE));
      case CAUSAL_MAP -> new CausalMap<>(DotKernelFormat.read(bytes, manifest, this::readEntry));
      case MV_REGISTER_KEY -> new MVRegisterKey<>(new String(bytes, StandardCharsets.UTF_8));
      case EW_FLAG_KEY -> new EWFlagKey(new String(bytes, StandardCharsets.UTF_8));
      case CAUSAL_MAP_KEY -> new CausalMapKey<>(new String(bytes, StandardCharsets.UTF_8));
      default ->
          throw new NotSerializableException(
              "unknown manifest [" + manifest + "] for " + getClass().getName());
    };
  }

  private static IllegalArgumentException cannotSerialize(Object o) {
    return new IllegalArgumentException(
        "cannot serialize " + o.getClass().getName() + " with " + CrdtSerializer.class.getName());
  }

  private static void writeScalar(DataOutputStream out, Object value) throws IOException {
    if (value instanceof String s) {
      out.writeByte(STRING);
      DotKernelFormat.writeString(out, s);
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (value instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (value instanceof Boolean b) {
      out.writeByte(BOOLEAN);
      out.writeBoolean(b);
    } else if (value instanceof ByteString b) {
      out.writeByte(BYTES);
      DotKernelFormat.writeBytes(out, b.toArrayUnsafe());
    } else {
      throw new IllegalArgumentException(
          "an MVRegister value must be a String, Long, Double, Boolean or ByteString, got "
              + value.getClass().getName());
    }
  }

  private static Object readScalar(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case STRING -> DotKernelFormat.readString(in);
      case LONG -> in.readLong();
      case DOUBLE -> in.readDouble();
      case BOOLEAN -> in.readBoolean();
      case BYTES -> ByteString.fromArrayUnsafe(DotKernelFormat.readBytes(in));
      default -> throw new IOException("unknown value tag " + tag);
    };
  }

  private void writeEntry(DataOutputStream out, CausalMap.Entry<?> entry) throws IOException {
    DotKernelFormat.writeString(out, entry.key());
    Object value = entry.value();
    Serializer serializer = serialization().findSerializerFor(value);
    out.writeInt(serializer.identifier());
    DotKernelFormat.writeString(out, Serializers.manifestFor(serializer, value));
    DotKernelFormat.writeBytes(out, serializer.toBinary(value));
  }

  private CausalMap.Entry<ReplicatedData> readEntry(DataInputStream in) throws IOException {
    String key = DotKernelFormat.readString(in);
    int serializerId = in.readInt();
    String manifest = DotKernelFormat.readString(in);
    byte[] bytes = DotKernelFormat.readBytes(in);
    ReplicatedData value =
        (ReplicatedData) serialization().deserialize(bytes, serializerId, manifest).get();
    return new CausalMap.Entry<>(key, value);
  }

  /**
   * Looked up on first use: the extension is still being built while Pekko creates its serializers.
   */
  private Serialization serialization() {
    if (serialization == null) {
      serialization = SerializationExtension.get(system);
    }
    return serialization;
  }
}
