package io.continuum.persistence.embedded;

import com.google.protobuf.ByteString;
import io.continuum.persistence.embedded.v1.Serialized;
import io.continuum.persistence.embedded.v1.StoredEvent;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Pekko's objects as the journal stores them: each payload is serialized by the serializer Pekko
 * binds to its class, kept with that serializer's id and manifest, and deserialized by the same.
 */
final class EventCodec {

  private final Serialization serialization;

  EventCodec(Serialization serialization) {
    this.serialization = serialization;
  }

  StoredEvent encode(PersistentRepr repr) {
    StoredEvent.Builder event =
        StoredEvent.newBuilder()
            .setSequenceNr(repr.sequenceNr())
            .setPayload(serialize(repr.payload()))
            .setManifest(repr.manifest())
            .setWriterUuid(repr.writerUuid())
            .setTimestamp(repr.timestamp() != 0 ? repr.timestamp() : System.currentTimeMillis());
    if (repr.metadata().isDefined()) {
      event.setMetadata(serialize(repr.metadata().get()));
    }
    return event.build();
  }

  PersistentRepr decode(String persistenceId, StoredEvent event) {
    PersistentRepr repr =
        PersistentRepr.apply(
                deserialize(event.getPayload()),
                event.getSequenceNr(),
                persistenceId,
                event.getManifest(),
                false,
                ActorRef.noSender(),
                event.getWriterUuid())
            .withTimestamp(event.getTimestamp());
    return event.hasMetadata() ? repr.withMetadata(deserialize(event.getMetadata())) : repr;
  }

  Serialized serialize(Object value) {
    Serializer serializer = serialization.findSerializerFor(value);
    return Serialized.newBuilder()
        .setBytes(ByteString.copyFrom(serializer.toBinary(value)))
        .setSerializerId(serializer.identifier())
        .setSerializerManifest(Serializers.manifestFor(serializer, value))
        .build();
  }

  Object deserialize(Serialized value) {
    return serialization
        .deserialize(
            value.getBytes().toByteArray(), value.getSerializerId(), value.getSerializerManifest())
        .get();
  }
}
