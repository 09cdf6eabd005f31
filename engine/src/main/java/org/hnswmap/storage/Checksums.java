package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/**
 * CRC32C over ranges of mapped segments (storage-format.md, "Checksums"). Stateless.
 *
 * <p>The bytes are copied to the heap in chunks before the CRC sees them: {@link CRC32C}'s
 * intrinsic reads a direct buffer outside the JVM's guarded memory accesses, so a page the file
 * system cannot provide (a file truncated underneath, a full disk) would kill the JVM with SIGBUS
 * there, while a segment copy faults as an {@link InternalError} that the API translates (measured:
 * SIGBUS in {@code StubRoutines::updateBytesCRC32C} on a full tmpfs before this copy).
 */
final class Checksums {

    private static final int CHUNK_BYTES = 4096;

    private Checksums() {}

    static int crc32c(MemorySegment segment, long offset, long lengthBytes) {
        CRC32C crc = new CRC32C();
        update(crc, segment, offset, lengthBytes);
        return (int) crc.getValue();
    }

    /** Feeds {@code lengthBytes} bytes of {@code segment} from {@code offset} into {@code crc}. */
    static void update(CRC32C crc, MemorySegment segment, long offset, long lengthBytes) {
        byte[] chunk = new byte[(int) Math.min(lengthBytes, CHUNK_BYTES)];
        for (long done = 0; done < lengthBytes; ) {
            int n = (int) Math.min(chunk.length, lengthBytes - done);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + done, chunk, 0, n);
            crc.update(chunk, 0, n);
            done += n;
        }
    }
}
