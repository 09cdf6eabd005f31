package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/** CRC32C over a range of a segment (storage-format.md, "Checksums"). Stateless. */
final class Checksums {

    private Checksums() {}

    static int crc32c(MemorySegment segment, long offset, long lengthBytes) {
        CRC32C crc = new CRC32C();
        crc.update(segment.asSlice(offset, lengthBytes).asByteBuffer());
        return (int) crc.getValue();
    }
}
