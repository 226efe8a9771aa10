package io.continuum.ddata;

import com.typesafe.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.cluster.ddata.DurableStore;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A Distributed Data durable store that keeps each key in its own file, written atomically (a
 * temporary file, forced to disk, then renamed) before the Replicator acknowledges the write.
 * Unlike Pekko's LMDB store it needs no native library and no {@code --add-opens} on Java 17, so it
 * is the default; LMDB is a setting away ({@code continuum.objects.durable-store = lmdb}) for nodes
 * started with {@code --add-opens java.base/java.nio=ALL-UNNAMED --add-opens
 * java.base/sun.nio.ch=ALL-UNNAMED}. Configured by {@code durable.file.dir}.
 */
public final class FileDurableStore extends AbstractActor {

  private final Path dir;
  private final Serialization serialization;
  private final Map<String, DurableStore.Store> pending = new java.util.LinkedHashMap<>();
  private final java.util.List<Map.Entry<String, DurableStore.StoreReply>> replies =
      new java.util.ArrayList<>();
  private boolean flushScheduled;

  public FileDurableStore(Config durable) {
    this.dir = Path.of(durable.getString("file.dir"));
    this.serialization = SerializationExtension.get(getContext().getSystem());
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(DurableStore.LoadAll$.class, load -> loadAll())
        .match(DurableStore.Store.class, this::store)
        .match(Flush.class, flush -> flush())
        .build();
  }

  private void loadAll() throws IOException {
    Files.createDirectories(dir);
    Map<String, DurableStore.DurableDataEnvelope> data = new HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".ddata")).toList()) {
        String name = file.getFileName().toString();
        String key =
            new String(
                Base64.getUrlDecoder().decode(name.substring(0, name.length() - ".ddata".length())),
                StandardCharsets.UTF_8);
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
          int serializerId = in.readInt();
          String manifest = in.readUTF();
          byte[] bytes = in.readAllBytes();
          data.put(
              key,
              (DurableStore.DurableDataEnvelope)
                  serialization.deserialize(bytes, serializerId, manifest).get());
        } catch (Exception e) {
          throw new DurableStore.LoadFailed("could not load durable entry " + file, e);
        }
      }
    }
    if (!data.isEmpty()) {
      getSender()
          .tell(
              new DurableStore.LoadData(
                  scala.collection.immutable.Map.from(CollectionConverters.asScala(data))),
              getSelf());
    }
    getSender().tell(DurableStore.LoadAllCompleted$.MODULE$, getSelf());
  }

  /** Time to write what arrived since the last flush. */
  private enum Flush {
    INSTANCE
  }

  /**
   * Group commit: a store waits for the {@link Flush} that follows every store already in the
   * mailbox; a flush writes each key once (its latest value, which includes the earlier ones: the
   * Replicator stores whole merged values) and then acknowledges every store it covers. Under
   * concurrent writes to one key this turns one {@code fsync} per write into one per batch; a lone
   * write waits for nothing.
   */
  private void store(DurableStore.Store store) {
    pending.put(store.key(), store);
    if (store.reply().isDefined()) {
      replies.add(Map.entry(store.key(), store.reply().get()));
    }
    if (!flushScheduled) {
      flushScheduled = true;
      getSelf().tell(Flush.INSTANCE, getSelf());
    }
  }

  private void flush() {
    flushScheduled = false;
    java.util.Set<String> failed = new java.util.HashSet<>();
    for (DurableStore.Store store : pending.values()) {
      if (!write(store)) {
        failed.add(store.key());
      }
    }
    for (Map.Entry<String, DurableStore.StoreReply> reply : replies) {
      reply
          .getValue()
          .replyTo()
          .tell(
              failed.contains(reply.getKey())
                  ? reply.getValue().failureMsg()
                  : reply.getValue().successMsg(),
              getSelf());
    }
    pending.clear();
    replies.clear();
  }

  /** Writes one entry atomically and forces it to disk; false when it could not. */
  private boolean write(DurableStore.Store store) {
    try {
      Serializer serializer = serialization.findSerializerFor(store.data());
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(buffer)) {
        out.writeInt(serializer.identifier());
        out.writeUTF(Serializers.manifestFor(serializer, store.data()));
        out.write(serializer.toBinary(store.data()));
      }
      String name =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(store.key().getBytes(StandardCharsets.UTF_8));
      Path target = dir.resolve(name + ".ddata");
      Path temporary = dir.resolve(name + ".tmp");
      try (FileChannel channel =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(ByteBuffer.wrap(buffer.toByteArray()));
        channel.force(true);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException | RuntimeException e) {
      getContext().getSystem().log().error(e, "could not store durable entry {}", store.key());
      return false;
    }
  }
}
