package org.hnswmap.storage;

/**
 * One neighbour list, as stored in the level-0 file (one record per node, fixed stride) and in the
 * upper-level file (a node's levels 1..L as consecutive records).
 *
 * <pre>
 *  +---------------------------------------------------------------+  0
 *  |                         version (u32)                         |
 *  +---------------------------------------------------------------+  4
 *  |                         crc32c (u32)                          |
 *  +---------------------------------------------------------------+  8
 *  |                          count (u32)                          |
 *  +---------------------------------------------------------------+ 12
 *  |               neighbors (maxDegree x u32) ...                 |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@code version} is a sequence lock: odd while the writer changes the list, even otherwise;
 * readers retry a copy that saw the version change. {@code crc32c} is the CRC32C of the bytes from
 * {@code count} to the last neighbour in use ({@code 4 + 4 * count} bytes), written with them
 * inside the sequence lock.
 */
public final class AdjacencyDescriptor {

    public static final int VERSION_OFFSET = 0;
    public static final int CRC_OFFSET = VERSION_OFFSET + Integer.BYTES;
    public static final int COUNT_OFFSET = CRC_OFFSET + Integer.BYTES;
    public static final int NEIGHBORS_OFFSET = COUNT_OFFSET + Integer.BYTES;
    public static final int LEVEL0_DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;
    public static final int UPPER_DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;

    private AdjacencyDescriptor() {}

    public static int recordStride(int maxDegree) {
        return NEIGHBORS_OFFSET + maxDegree * Integer.BYTES;
    }

    public static long level0RecordOffset(int node, int level0Stride) {
        return LEVEL0_DATA_OFFSET + (long) node * level0Stride;
    }

    public static long level0FileLength(long capacity, int level0Stride) {
        return LEVEL0_DATA_OFFSET + capacity * level0Stride;
    }

    /** Record of {@code level >= 1} of a node whose upper block starts at {@code upperOffset}. */
    public static long upperRecordOffset(long upperOffset, int level, int upperStride) {
        return upperOffset + (long) (level - 1) * upperStride;
    }
}
