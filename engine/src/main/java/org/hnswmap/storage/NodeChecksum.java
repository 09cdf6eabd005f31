package org.hnswmap.storage;

import static org.hnswmap.storage.NodeRecordDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/**
 * The checksum that seals a node's immutable data ({@link NodeRecordDescriptor}): CRC32C of the
 * node id (4 bytes, little-endian), record bytes 0..11 (label, level) and 16..31 (upperOffset,
 * bornGeneration), then the {@code dimension * 4} bytes of its vector row. Flags are left out: a
 * commit changes them in place. The writer seals a node after writing its record and vector and
 * before publishing its label; a reused slot is sealed again after its new label and vector.
 * Stateless.
 */
final class NodeChecksum {

    private NodeChecksum() {}

    static int compute(
            MemorySegment records, int node, MemorySegment vectors, long rowOffset, long rowBytes) {
        long record = recordOffset(node);
        CRC32C crc = new CRC32C();
        for (int shift = 0; shift < Integer.SIZE; shift += Byte.SIZE) {
            crc.update(node >>> shift);
        }
        Checksums.update(crc, records, record + LABEL_OFFSET, FLAGS_OFFSET - LABEL_OFFSET);
        Checksums.update(
                crc, records, record + UPPER_OFFSET_OFFSET, CRC_OFFSET - UPPER_OFFSET_OFFSET);
        Checksums.update(crc, vectors, rowOffset, rowBytes);
        return (int) crc.getValue();
    }

    /** Writer: stores the checksum of {@code node}'s current record and vector. */
    static void seal(
            MemorySegment records, int node, MemorySegment vectors, long rowOffset, long rowBytes) {
        int crc = compute(records, node, vectors, rowOffset, rowBytes);
        records.set(FilePreamble.INT, recordOffset(node) + CRC_OFFSET, crc);
    }

    static int stored(MemorySegment records, int node) {
        return records.get(FilePreamble.INT, recordOffset(node) + CRC_OFFSET);
    }
}
