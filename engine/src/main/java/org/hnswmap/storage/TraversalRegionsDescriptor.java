package org.hnswmap.storage;

/**
 * The regions of int8 or 4-bit traversal codes (storage-format.md, section 5e): present in {@code
 * vectors.i8} or {@code vectors.i4} when the meta flag {@link
 * MetaHeaderDescriptor#FLAG_TRAVERSAL_REGIONS} is set. After the preamble, a header with {@code
 * regionCount} centroids; the rows follow, from {@link #rowsOffset}, each encoding its vector's
 * residual to one centroid. Offsets below are relative to {@link #DATA_OFFSET}.
 *
 * <pre>
 *  +-------------------------------+-------------------------------+  0
 *  |       regionState (u32)       |      regionCrc32c (u32)       |
 *  +-------------------------------+-------------------------------+  8
 *  |                       reserved (8 bytes)                      |
 *  +---------------------------------------------------------------+ 16
 *  |          centroids (regionCount x dimension x f32) ...        |
 *  +---------------------------------------------------------------+
 *  row n, at rowsOffset(regionCount, dimension) + n * rowStride
 *  +-------------------------------+-------------------------------+  0
 *  |           bias (f32)          |          scale (f32)          |
 *  +-------------------------------+-------------------------------+  8
 *  |          region (u32)         |         rowTerm (f32)         |
 *  +-------------------------------+-------------------------------+ 16
 *  |     codes, as in the file without regions (5a or 5d) ...      |
 *  +---------------------------------------------------------------+ rowStride
 * </pre>
 */
public final class TraversalRegionsDescriptor {

    public static final int DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;

    /** Header field offsets, relative to {@link #DATA_OFFSET}. */
    public static final int REGION_STATE_OFFSET = 0;

    public static final int REGION_CRC_OFFSET = 4;
    public static final int CENTROIDS_OFFSET = 16;

    /** {@code regionState}: no centroids yet (the index has never held a vector). */
    public static final int REGIONS_UNSET = SealedBlock.UNSET;

    /** {@code regionState}: the centroids are written and never change again. */
    public static final int REGIONS_SET = SealedBlock.SET;

    /** Row field offsets, relative to a row (bias, scale and codes as without regions). */
    public static final int REGION_OFFSET = 8;

    public static final int ROW_TERM_OFFSET = 12;

    /** Rows start on a multiple of this (a cache line) after the centroids. */
    public static final int ROWS_ALIGNMENT = 64;

    /**
     * The writer's k-means trains on at most this many rows per centroid, evenly spaced through the
     * first insert or the rows given to train them.
     */
    public static final int SAMPLE_ROWS_PER_REGION = 32;

    private TraversalRegionsDescriptor() {}

    /** Offset of the first row. */
    public static long rowsOffset(int regionCount, int dimension) {
        long end = DATA_OFFSET + CENTROIDS_OFFSET + 4L * regionCount * dimension;
        return (end + ROWS_ALIGNMENT - 1) / ROWS_ALIGNMENT * ROWS_ALIGNMENT;
    }

    /** Offset of centroid {@code region}'s first component. */
    public static long centroidOffset(int region, int dimension) {
        return DATA_OFFSET + CENTROIDS_OFFSET + 4L * region * dimension;
    }
}
