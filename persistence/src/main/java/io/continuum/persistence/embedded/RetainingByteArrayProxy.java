package io.continuum.persistence.embedded;

import java.util.Arrays;
import java.util.Comparator;
import jnr.ffi.Pointer;
import jnr.ffi.provider.MemoryManager;
import org.lmdbjava.BufferProxy;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.DbiFlags;

/**
 * LmdbJava's byte array proxy, except that the native copy of a key or value it hands LMDB stays
 * reachable until the thread's next operations. LmdbJava 0.9.0's {@link ByteArrayProxy} lets it
 * become garbage as soon as it is made, so a collection during {@code mdb_put} could free it under
 * LMDB: the journal server crashed in {@code mdb_put} (SIGSEGV) after about 300,000 activations of
 * {@code bench/run scale} (lmdbjava issue #252, fixed in 0.9.2, whose native library needs a newer
 * glibc than Debian 12's).
 *
 * <p>Every LmdbJava call converts its key and value on the calling thread right before the native
 * call, at most two per call, so keeping each thread's last {@value #RETAINED} copies is enough.
 */
final class RetainingByteArrayProxy extends BufferProxy<byte[]> {

  /** The proxy; stateless but for the per-thread copies. */
  static final BufferProxy<byte[]> INSTANCE = new RetainingByteArrayProxy();

  /** Copies kept reachable per thread: the key and value of this call and of the one before. */
  private static final int RETAINED = 4;

  private static final MemoryManager MEMORY = jnr.ffi.Runtime.getSystemRuntime().getMemoryManager();

  private static final ThreadLocal<Retained> RECENT = ThreadLocal.withInitial(Retained::new);

  /** A thread's most recent native copies, oldest overwritten first. */
  private static final class Retained {
    private final Pointer[] copies = new Pointer[RETAINED];
    private int next;

    void keep(Pointer copy) {
      copies[next] = copy;
      next = (next + 1) % RETAINED;
    }
  }

  private RetainingByteArrayProxy() {}

  @Override
  protected byte[] allocate() {
    return new byte[0];
  }

  @Override
  protected Comparator<byte[]> getComparator(DbiFlags... flags) {
    return ByteArrayProxy::compareArrays;
  }

  @Override
  protected void deallocate(byte[] buffer) {
    // nothing native to free: the copies are freed once no longer retained
  }

  @Override
  protected byte[] getBytes(byte[] buffer) {
    return Arrays.copyOf(buffer, buffer.length);
  }

  @Override
  protected void in(byte[] buffer, Pointer ptr, long ptrAddr) {
    Pointer copy = MEMORY.allocateDirect(buffer.length);
    copy.put(0, buffer, 0, buffer.length);
    RECENT.get().keep(copy);
    ptr.putLong(STRUCT_FIELD_OFFSET_SIZE, buffer.length);
    ptr.putAddress(STRUCT_FIELD_OFFSET_DATA, copy.address());
  }

  @Override
  protected void in(byte[] buffer, int size, Pointer ptr, long ptrAddr) {
    // byte arrays cannot reserve space in LMDB (MDB_RESERVE is not used here)
  }

  @Override
  protected byte[] out(byte[] buffer, Pointer ptr, long ptrAddr) {
    long address = ptr.getAddress(STRUCT_FIELD_OFFSET_DATA);
    int size = (int) ptr.getLong(STRUCT_FIELD_OFFSET_SIZE);
    byte[] bytes = new byte[size];
    MEMORY.newPointer(address, size).get(0, bytes, 0, size);
    return bytes;
  }
}
