package org.hnswmap.storage;

/**
 * The index configuration in the meta file, after the preamble (storage-format.md, "Meta file").
 * Written once at creation; never changes.
 *
 * <pre>
 *  +---------------------------------------------------------------+  64
 *  |          space (u32)          |        dimension (u32)        |
 *  +-------------------------------+-------------------------------+  72
 *  |            m (u32)            |       maxDegree0 (u32)        |
 *  +-------------------------------+-------------------------------+  80
 *  |      efConstruction (u32)     |          flags (u32)          |
 *  +-------------------------------+-------------------------------+  88
 *  |                       randomSeed (i64)                        |
 *  +---------------------------------------------------------------+  96
 *  |                   createdEpochMillis (i64)                    |
 *  +-------------------------------+-------------------------------+ 104
 *  |        regionCount (u32)      |   reserved (144 bytes) ...    |
 *  +---------------------------------------------------------------+ 252
 *  |                      configCrc32c (u32)                       |
 *  +---------------------------------------------------------------+ 256
 * </pre>
 */
public final class MetaHeaderDescriptor {

    public static final int SPACE_L2 = 0;
    public static final int SPACE_IP = 1;
    public static final int SPACE_COSINE = 2;

    /** Flag bit 0: slots of deleted elements may be reused by inserts (replace-deleted). */
    public static final int FLAG_ALLOW_REPLACE_DELETED = 1;

    /**
     * Flag bit 1: the index keeps an int8 copy of every vector ({@code vectors.i8}) that searches
     * traverse the graph with, re-ranking their candidates with the float32 vectors.
     */
    public static final int FLAG_INT8_TRAVERSAL = 2;

    /**
     * Flag bit 2: the index keeps a one-bit copy of every vector ({@code vectors.b1}) that searches
     * traverse the graph with, re-ranking their candidates with the float32 vectors. Never set
     * together with bit 1.
     */
    public static final int FLAG_BINARY_TRAVERSAL = 4;

    /**
     * Flag bit 3: the index keeps a 4-bit copy of every vector ({@code vectors.i4}) that searches
     * traverse the graph with, re-ranking their candidates with the float32 vectors. At most one of
     * bits 1, 2 and 3 is set.
     */
    public static final int FLAG_INT4_TRAVERSAL = 8;

    /**
     * Flag bit 4: the second copy of each level-0 list lives apart, in {@code level0.alt}, which
     * the writer creates the first time a list needs it; {@code level0.adj} records hold the header
     * and the first copy only (storage-format.md, section 6). Set on every index this version
     * creates; indexes without it keep both copies in each record.
     */
    public static final int FLAG_LEVEL0_COPIES_APART = 16;

    /**
     * Flag bit 5: the int8 or 4-bit traversal rows encode each vector's residual to the nearest of
     * {@code regionCount} centroids, which the codes file keeps ahead of its rows
     * (storage-format.md, section 5e). Set only with bit 1 or 3.
     */
    public static final int FLAG_TRAVERSAL_REGIONS = 32;

    /** The flag bits that each name a traversal copy: at most one of them is set. */
    public static final int TRAVERSAL_FLAGS =
            FLAG_INT8_TRAVERSAL | FLAG_BINARY_TRAVERSAL | FLAG_INT4_TRAVERSAL;

    /** Flag bits defined in this version; others must be 0. */
    public static final int KNOWN_FLAGS =
            FLAG_ALLOW_REPLACE_DELETED
                    | TRAVERSAL_FLAGS
                    | FLAG_LEVEL0_COPIES_APART
                    | FLAG_TRAVERSAL_REGIONS;

    public static final int SPACE_OFFSET;
    public static final int DIMENSION_OFFSET;
    public static final int M_OFFSET;
    public static final int MAX_DEGREE0_OFFSET;
    public static final int EF_CONSTRUCTION_OFFSET;
    public static final int FLAGS_OFFSET;
    public static final int RANDOM_SEED_OFFSET;
    public static final int CREATED_EPOCH_MILLIS_OFFSET;
    public static final int REGION_COUNT_OFFSET;
    public static final int CONFIG_CRC_OFFSET;
    public static final int HEADER_LENGTH;

    static {
        int offset = FileHeaderDescriptor.PREAMBLE_LENGTH;
        SPACE_OFFSET = offset;
        offset += Integer.BYTES;
        DIMENSION_OFFSET = offset;
        offset += Integer.BYTES;
        M_OFFSET = offset;
        offset += Integer.BYTES;
        MAX_DEGREE0_OFFSET = offset;
        offset += Integer.BYTES;
        EF_CONSTRUCTION_OFFSET = offset;
        offset += Integer.BYTES;
        FLAGS_OFFSET = offset;
        offset += Integer.BYTES;
        RANDOM_SEED_OFFSET = offset;
        offset += Long.BYTES;
        CREATED_EPOCH_MILLIS_OFFSET = offset;
        offset += Long.BYTES;
        REGION_COUNT_OFFSET = offset;
        offset += Integer.BYTES;
        offset += 144; // reserved, zero
        CONFIG_CRC_OFFSET = offset;
        offset += Integer.BYTES;
        HEADER_LENGTH = offset;
    }

    /** Limits checked on create and on open. */
    public static final int MAX_DIMENSION = 65_536;

    public static final int MIN_M = 2;
    public static final int MAX_M = 1_024;
    public static final int MAX_EF_CONSTRUCTION = 1 << 20;

    /** Most centroids traversal regions may have ({@link #FLAG_TRAVERSAL_REGIONS}). */
    public static final int MAX_REGIONS = 4_096;

    /** Largest search beam width (stored default ef, or given to a query). */
    public static final int MAX_EF = 1 << 20;

    /**
     * Largest commit generation: far beyond any real count of commits, far below overflow, so a
     * damaged slot near {@code Long.MAX_VALUE} is refused instead of hiding every later commit.
     */
    public static final long MAX_GENERATION = 1L << 62;

    private MetaHeaderDescriptor() {}
}
