package io.continuum.object;

import io.continuum.crdt.CausalMap;
import io.continuum.serialization.CborSerializable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * An object's whole replicated state in a message between zones, serialized by Pekko (its {@link
 * io.continuum.crdt.CrdtSerializer}) inside the CBOR envelope of the object protocol.
 */
record ObjectSnapshot(int serializerId, String manifest, byte[] bytes) implements CborSerializable {

  static ObjectSnapshot of(ActorSystem<?> system, CausalMap<ReplicatedData> state) {
    Serialization serialization = SerializationExtension.get(system);
    Serializer serializer = serialization.findSerializerFor(state);
    return new ObjectSnapshot(
        serializer.identifier(),
        Serializers.manifestFor(serializer, state),
        serializer.toBinary(state));
  }

  @SuppressWarnings("unchecked")
  CausalMap<ReplicatedData> state(ActorSystem<?> system) {
    return (CausalMap<ReplicatedData>)
        SerializationExtension.get(system).deserialize(bytes, serializerId, manifest).get();
  }
}
