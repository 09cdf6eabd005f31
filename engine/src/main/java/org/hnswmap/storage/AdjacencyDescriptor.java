package org.hnswmap.storage;

/**
 * One neighbour list, as stored in the level-0 file (one record per node, fixed stride) and in the
 * upper-level file (a node's levels 1..L as consecutive records). A record holds two copies of the
 * list, each tagged with the commit generation it belongs to, so that the writer never changes the
 * copy a commit holds: a reader of commit C reads the copy with the largest generation at most C.
 *
 * <pre>
 *  +---------------------------------------------------------------+  0
 *  |        version (u32)          |        reserved (u32)         |
 *  +---------------------------------------------------------------+  8
 *  |                 generation of copy 0 (i64)                    |
 *  +---------------------------------------------------------------+ 16
 *  |                 generation of copy 1 (i64)                    |
 *  +---------------------------------------------------------------+ 24
 *  | copy 0: crc32c (u32) | count (u32) | neighbors (maxDegree x u32)|
 *  +---------------------------------------------------------------+ 24 + copyStride
 *  | copy 1: crc32c (u32) | count (u32) | neighbors (maxDegree x u32)|
 *  +---------------------------------------------------------------+ 24 + 2 * copyStride
 * </pre>
 *
 * <p>{@code version} is a sequence lock for the writer's own threads only: odd while the writer
 * changes a copy in place. Readers of a commit never need it, because the copy they read is never
 * written while that commit is the newest (see {@link AdjacencyLists}). A copy's {@code crc32c}
 * covers its count, the ids in use and its generation (storage-format.md, section 6).
 */
public final class AdjacencyDescriptor {

    public static final int VERSION_OFFSET = 0;
    public static final int RESERVED_OFFSET = VERSION_OFFSET + Integer.BYTES;
    public static final int GENERATION0_OFFSET = RESERVED_OFFSET + Integer.BYTES;
    public static final int GENERATION1_OFFSET = GENERATION0_OFFSET + Long.BYTES;
    public static final int COPIES_OFFSET = GENERATION1_OFFSET + Long.BYTES;

    /** Offsets inside a copy. */
    public static final int COPY_CRC_OFFSET = 0;

    public static final int COPY_COUNT_OFFSET = COPY_CRC_OFFSET + Integer.BYTES;
    public static final int COPY_NEIGHBORS_OFFSET = COPY_COUNT_OFFSET + Integer.BYTES;

    public static final int LEVEL0_DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;
    public static final int UPPER_DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;

    /** The generation of a copy that holds no list (a fresh record, or one recovery dropped). */
    public static final long NO_GENERATION = 0;

    private AdjacencyDescriptor() {}

    /** Bytes of one copy: crc, count and room for {@code maxDegree} ids. */
    public static int copyStride(int maxDegree) {
        return COPY_NEIGHBORS_OFFSET + maxDegree * Integer.BYTES;
    }

    /** Bytes of one record (always a multiple of 8, so every generation field is aligned). */
    public static int recordStride(int maxDegree) {
        return COPIES_OFFSET + 2 * copyStride(maxDegree);
    }

    /**
     * Bytes of a record that holds its header and copy 0 only (level 0 with {@code
     * FLAG_LEVEL0_COPIES_APART}: copy 1 lives in {@code level0.alt}). A multiple of 8 since
     * maxDegree0 is even.
     */
    public static int singleCopyRecordStride(int maxDegree) {
        return COPIES_OFFSET + copyStride(maxDegree);
    }

    /** Offset of copy {@code c} (0 or 1) inside its record. */
    public static int copyOffset(int c, int maxDegree) {
        return COPIES_OFFSET + c * copyStride(maxDegree);
    }

    /** Offset of copy {@code c}'s generation inside its record. */
    public static int generationOffset(int c) {
        return GENERATION0_OFFSET + c * Long.BYTES;
    }

    public static long level0RecordOffset(int node, int level0Stride) {
        return LEVEL0_DATA_OFFSET + (long) node * level0Stride;
    }

    public static long level0FileLength(long capacity, int level0Stride) {
        return LEVEL0_DATA_OFFSET + capacity * level0Stride;
    }

    /** First byte of the copies in {@code level0.alt}, after its preamble. */
    public static final int LEVEL0_ALT_DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;

    /** Offset of {@code node}'s second level-0 copy in {@code level0.alt}. */
    public static long level0AltCopyOffset(int node, int copyStride) {
        return LEVEL0_ALT_DATA_OFFSET + (long) node * copyStride;
    }

    public static long level0AltFileLength(long capacity, int copyStride) {
        return LEVEL0_ALT_DATA_OFFSET + capacity * copyStride;
    }

    /** Record of {@code level >= 1} of a node whose upper block starts at {@code upperOffset}. */
    public static long upperRecordOffset(long upperOffset, int level, int upperStride) {
        return upperOffset + (long) (level - 1) * upperStride;
    }
}
