package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;

/**
 * The publication protocol of the centroids at the head of a codes file (one-bit codes' centroid,
 * storage-format.md 5b; traversal regions' centroids, 5e): a state word (0 unset, 1 set), a CRC-32C
 * of the data, and the data, written once: data, then CRC, then the state with release semantics,
 * so a reader that sees the state set (acquire) sees the data whole. Immutable; thread-safe.
 *
 * @param stateAt offset of the state word
 * @param crcAt offset of the CRC
 * @param dataAt offset of the data
 * @param dataBytes length of the data
 * @param stateField the state's name in {@link #problem}'s report ("centroid state")
 * @param crcMismatch {@link #problem}'s report of data that fail their CRC
 */
record SealedBlock(
        long stateAt,
        long crcAt,
        long dataAt,
        long dataBytes,
        String stateField,
        String crcMismatch) {

    /** State word: nothing written yet. */
    static final int UNSET = 0;

    /** State word: the data are written and never change again. */
    static final int SET = 1;

    /** Whether the data are published (an acquire read of the state). */
    boolean isSet(MemorySegment segment) {
        return (int) FilePreamble.ATOMIC_INT.getAcquire(segment, stateAt) == SET;
    }

    /** Writer, once the data are in place: stores their CRC, then publishes them. */
    void seal(MemorySegment segment) {
        segment.set(FilePreamble.INT, crcAt, crc(segment));
        FilePreamble.ATOMIC_INT.setRelease(segment, stateAt, SET);
    }

    /** Null when the data are unset or match their CRC, else what is wrong. */
    String problem(MemorySegment segment) {
        int state = segment.get(FilePreamble.INT, stateAt);
        if (state == UNSET) {
            return null;
        }
        if (state != SET) {
            return stateField + " is " + state + " (0 or 1 expected)";
        }
        return segment.get(FilePreamble.INT, crcAt) == crc(segment) ? null : crcMismatch;
    }

    private int crc(MemorySegment segment) {
        return Checksums.crc32c(segment, dataAt, dataBytes);
    }
}
