package io.continuum.persistence.embedded;

import com.google.protobuf.InvalidProtocolBufferException;
import io.continuum.persistence.embedded.v1.SnapshotCriteria;
import io.continuum.persistence.embedded.v1.StoredEvent;
import io.continuum.persistence.embedded.v1.StoredSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * The embedded journal's storage: the events, highest sequence numbers and snapshots of persistent
 * entities in one LMDB environment (a B+tree in a memory-mapped file, copy-on-write, so a crash at
 * any moment leaves the last committed state).
 *
 * <p>Events are keyed by persistence id and sequence number, so the events of an entity are
 * contiguous and read in order. The highest sequence number of each persistence id is kept apart
 * from its events: it survives their deletion, and it is what fences writers ({@link
 * Write#append}). Reads run in read transactions on any thread; writes run in one {@link Write} at
 * a time (LMDB has a single writer), which {@link GroupCommit} makes the commit of many requests.
 *
 * <p>{@link Durability} decides when committed pages reach the disk: LMDB writes them to the file
 * at every commit (so a process crash loses nothing committed); {@code ALWAYS} also fsyncs before
 * the commit returns, {@code PERIODIC} leaves that to {@link #sync()} on a timer.
 */
public final class JournalStore implements AutoCloseable {

  /** When committed writes are forced to the disk. */
  public enum Durability {
    /** fsync at every commit: nothing acknowledged is lost even on a power loss. */
    ALWAYS,
    /** Written to the OS at every commit, fsynced every sync interval (see {@link #sync()}). */
    PERIODIC,
    /** Written to the OS at every commit; the OS decides when it reaches the disk. */
    NEVER
  }

  /** The longest persistence id, in UTF-8 bytes: LMDB's key size less a sequence number. */
  public static final int MAX_ID_BYTES = 511 - Long.BYTES - 1;

  private static final byte SEPARATOR = 0;

  private final Env<byte[]> env;
  private final Dbi<byte[]> events;
  private final Dbi<byte[]> highest;
  private final Dbi<byte[]> snapshots;

  private JournalStore(Env<byte[]> env) {
    this.env = env;
    this.events = env.openDbi("events", DbiFlags.MDB_CREATE);
    this.highest = env.openDbi("highest", DbiFlags.MDB_CREATE);
    this.snapshots = env.openDbi("snapshots", DbiFlags.MDB_CREATE);
    if (env.getMaxKeySize() < MAX_ID_BYTES + Long.BYTES + 1) {
      throw new IllegalStateException("LMDB keys are limited to " + env.getMaxKeySize() + " bytes");
    }
    env.readerCheck();
  }

  /**
   * Opens (creating if needed) the store in {@code dir}.
   *
   * @param mapSize the most bytes the store may hold; the file grows as it fills, up to this
   */
  public static JournalStore open(Path dir, long mapSize, Durability durability) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the journal directory " + dir, e);
    }
    List<EnvFlags> flags = new ArrayList<>(List.of(EnvFlags.MDB_NOTLS, EnvFlags.MDB_NORDAHEAD));
    if (durability != Durability.ALWAYS) {
      flags.add(EnvFlags.MDB_NOSYNC);
    }
    Env<byte[]> env =
        Env.create(RetainingByteArrayProxy.INSTANCE)
            .setMapSize(mapSize)
            .setMaxDbs(3)
            .setMaxReaders(512)
            .open(dir.toFile(), flags.toArray(EnvFlags[]::new));
    return new JournalStore(env);
  }

  /** The highest sequence number written for {@code persistenceId}, 0 if none. */
  public long highest(String persistenceId) {
    try (Txn<byte[]> txn = env.txnRead()) {
      return highest(txn, key(persistenceId));
    }
  }

  /**
   * The events of {@code persistenceId} from {@code from} to {@code to} (inclusive), at most {@code
   * max} of them and, beyond the first, at most {@code maxBytes} of stored bytes.
   */
  public Page replay(String persistenceId, long from, long to, long max, int maxBytes) {
    List<StoredEvent> page = new ArrayList<>();
    byte[] id = key(persistenceId);
    try (Txn<byte[]> txn = env.txnRead();
        Cursor<byte[]> cursor = events.openCursor(txn)) {
      long bytes = 0;
      boolean found = cursor.get(key(id, Math.max(from, 1)), GetOp.MDB_SET_RANGE);
      while (found && page.size() < max && hasPrefix(cursor.key(), id)) {
        long seq = sequenceNr(cursor.key(), id.length);
        if (seq > to) {
          break;
        }
        byte[] value = cursor.val();
        if (!page.isEmpty() && bytes + value.length > maxBytes) {
          return new Page(page, true);
        }
        bytes += value.length;
        page.add(parseEvent(value));
        found = cursor.next();
      }
      return new Page(page, false);
    }
  }

  /** Events read, and whether more were left for another read. */
  public record Page(List<StoredEvent> events, boolean more) {}

  /** The latest snapshot of {@code persistenceId} that {@code criteria} selects. */
  public Optional<StoredSnapshot> latestSnapshot(String persistenceId, SnapshotCriteria criteria) {
    byte[] id = key(persistenceId);
    try (Txn<byte[]> txn = env.txnRead();
        Cursor<byte[]> cursor = snapshots.openCursor(txn)) {
      boolean found = seekAtMost(cursor, id, criteria.getMaxSequenceNr());
      while (found && hasPrefix(cursor.key(), id)) {
        StoredSnapshot snapshot = parseSnapshot(cursor.val());
        if (snapshot.getSequenceNr() < criteria.getMinSequenceNr()) {
          break;
        }
        if (matches(snapshot, criteria)) {
          return Optional.of(snapshot);
        }
        found = cursor.prev();
      }
      return Optional.empty();
    }
  }

  /**
   * Visits every stored event, by persistence id and sequence number, in one read transaction: for
   * checks of the whole journal.
   */
  public void forEachEvent(EventVisitor visitor) {
    try (Txn<byte[]> txn = env.txnRead();
        Cursor<byte[]> cursor = events.openCursor(txn)) {
      boolean found = cursor.first();
      while (found) {
        byte[] key = cursor.key();
        int idLength = key.length - Long.BYTES - 1;
        visitor.visit(
            new String(key, 0, idLength, StandardCharsets.UTF_8), parseEvent(cursor.val()));
        found = cursor.next();
      }
    }
  }

  /** Receives the events of {@link #forEachEvent}. */
  @FunctionalInterface
  public interface EventVisitor {
    void visit(String persistenceId, StoredEvent event);
  }

  /**
   * Runs {@code work} in a write transaction and commits it, or aborts it when {@code work} throws.
   * Only one write runs at a time; call it from one thread ({@link GroupCommit}).
   */
  <T> T write(java.util.function.Function<Write, T> work) {
    try (Txn<byte[]> txn = env.txnWrite()) {
      T result = work.apply(new Write(txn));
      txn.commit();
      return result;
    }
  }

  /** Forces every committed write to the disk. */
  public void sync() {
    env.sync(true);
  }

  @Override
  public void close() {
    env.close();
  }

  /** The changes of one write transaction. */
  final class Write {
    private final Txn<byte[]> txn;

    private Write(Txn<byte[]> txn) {
      this.txn = txn;
    }

    /** The highest sequence number of {@code persistenceId}, this transaction's writes included. */
    long highest(String persistenceId) {
      return JournalStore.this.highest(txn, key(persistenceId));
    }

    /**
     * Appends events of one persistence id whose first sequence number must be above its highest;
     * the caller checks that first ({@link #highest}).
     */
    void append(String persistenceId, List<StoredEvent> stored) {
      if (stored.isEmpty()) {
        return;
      }
      byte[] id = key(persistenceId);
      long last = 0;
      for (StoredEvent event : stored) {
        events.put(txn, key(id, event.getSequenceNr()), event.toByteArray());
        last = event.getSequenceNr();
      }
      highest.put(txn, id, longBytes(last));
    }

    /**
     * Deletes events of {@code persistenceId} up to {@code to}, at most {@code limit} of them.
     *
     * @return whether events up to {@code to} remain for another call
     */
    boolean deleteEvents(String persistenceId, long to, int limit) {
      byte[] id = key(persistenceId);
      try (Cursor<byte[]> cursor = events.openCursor(txn)) {
        int deleted = 0;
        boolean found = cursor.get(key(id, 1), GetOp.MDB_SET_RANGE);
        while (found && hasPrefix(cursor.key(), id) && sequenceNr(cursor.key(), id.length) <= to) {
          if (deleted == limit) {
            return true;
          }
          cursor.delete();
          deleted++;
          found = cursor.get(key(id, 1), GetOp.MDB_SET_RANGE);
        }
        return false;
      }
    }

    void saveSnapshot(String persistenceId, StoredSnapshot snapshot) {
      snapshots.put(txn, key(key(persistenceId), snapshot.getSequenceNr()), snapshot.toByteArray());
    }

    void deleteSnapshots(String persistenceId, SnapshotCriteria criteria) {
      byte[] id = key(persistenceId);
      try (Cursor<byte[]> cursor = snapshots.openCursor(txn)) {
        boolean found =
            cursor.get(key(id, Math.max(criteria.getMinSequenceNr(), 0)), GetOp.MDB_SET_RANGE);
        while (found
            && hasPrefix(cursor.key(), id)
            && sequenceNr(cursor.key(), id.length) <= criteria.getMaxSequenceNr()) {
          if (matches(parseSnapshot(cursor.val()), criteria)) {
            byte[] deleted = cursor.key();
            cursor.delete();
            found = cursor.get(deleted, GetOp.MDB_SET_RANGE);
          } else {
            found = cursor.next();
          }
        }
      }
    }
  }

  private long highest(Txn<byte[]> txn, byte[] id) {
    byte[] value = highest.get(txn, id);
    return value == null ? 0 : readLong(value, 0);
  }

  /**
   * Positions {@code cursor} on the last key of {@code id} with a sequence number at most {@code
   * maxSeq}.
   */
  private static boolean seekAtMost(Cursor<byte[]> cursor, byte[] id, long maxSeq) {
    byte[] bound = key(id, maxSeq);
    if (cursor.get(bound, GetOp.MDB_SET_RANGE)) {
      if (java.util.Arrays.equals(cursor.key(), bound)) {
        return true;
      }
      return cursor.prev();
    }
    return cursor.last();
  }

  private static boolean matches(StoredSnapshot snapshot, SnapshotCriteria criteria) {
    return snapshot.getSequenceNr() <= criteria.getMaxSequenceNr()
        && snapshot.getSequenceNr() >= criteria.getMinSequenceNr()
        && snapshot.getTimestamp() <= criteria.getMaxTimestamp()
        && snapshot.getTimestamp() >= criteria.getMinTimestamp();
  }

  /**
   * Checks that the journal can store {@code persistenceId}.
   *
   * @throws IllegalArgumentException saying why it cannot
   */
  public static byte[] requireValidId(String persistenceId) {
    byte[] id = persistenceId.getBytes(StandardCharsets.UTF_8);
    if (id.length == 0 || id.length > MAX_ID_BYTES || persistenceId.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException(
          "a persistence id of the embedded journal has 1 to "
              + MAX_ID_BYTES
              + " UTF-8 bytes and no NUL character; '"
              + persistenceId
              + "' has "
              + id.length
              + " bytes");
    }
    return id;
  }

  private static byte[] key(String persistenceId) {
    return requireValidId(persistenceId);
  }

  private static byte[] key(byte[] id, long sequenceNr) {
    byte[] key = new byte[id.length + 1 + Long.BYTES];
    System.arraycopy(id, 0, key, 0, id.length);
    key[id.length] = SEPARATOR;
    writeLong(key, id.length + 1, sequenceNr);
    return key;
  }

  private static boolean hasPrefix(byte[] key, byte[] id) {
    return key.length == id.length + 1 + Long.BYTES
        && key[id.length] == SEPARATOR
        && java.util.Arrays.equals(key, 0, id.length, id, 0, id.length);
  }

  private static long sequenceNr(byte[] key, int idLength) {
    return readLong(key, idLength + 1);
  }

  private static byte[] longBytes(long value) {
    byte[] bytes = new byte[Long.BYTES];
    writeLong(bytes, 0, value);
    return bytes;
  }

  private static void writeLong(byte[] bytes, int offset, long value) {
    for (int i = Long.BYTES - 1; i >= 0; i--) {
      bytes[offset + i] = (byte) value;
      value >>>= 8;
    }
  }

  private static long readLong(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      value = (value << 8) | (bytes[offset + i] & 0xff);
    }
    return value;
  }

  private static StoredEvent parseEvent(byte[] bytes) {
    try {
      return StoredEvent.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a stored event is corrupt: " + e.getMessage(), e);
    }
  }

  private static StoredSnapshot parseSnapshot(byte[] bytes) {
    try {
      return StoredSnapshot.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a stored snapshot is corrupt: " + e.getMessage(), e);
    }
  }
}
