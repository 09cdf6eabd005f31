package org.hnswmap.storage;

import org.hnswmap.distance.FastRotation;

/**
 * The one-bit traversal file {@code vectors.b1} (storage-format.md, section 5b): present when the
 * index was created with {@link MetaHeaderDescriptor#FLAG_BINARY_TRAVERSAL}. After the preamble, a
 * header with the centroid the codes are taken against, then one row per node: two f32 factors and
 * one sign bit per component of the rotated residual {@code rotate(vector - centroid)}.
 *
 * <pre>
 *  header, at DATA_OFFSET (64)
 *  +-------------------------------+-------------------------------+  0
 *  |       centroidState (u32)     |      centroidCrc32c (u32)     |
 *  +-------------------------------+-------------------------------+  8
 *  |                      rotationSeed (i64)                       |
 *  +---------------------------------------------------------------+ 16
 *  |               centroid (dimension x f32) ...                  |
 *  +---------------------------------------------------------------+
 *  row n, at rowsOffset(dimension) + n * rowStride(dimension)
 *  +-------------------------------+-------------------------------+  0
 *  |         offsetFactor (f32)    |         dotFactor (f32)       |
 *  +-------------------------------+-------------------------------+  8
 *  |      code words (paddedDimension / 64 x u64, little-endian) ...  |
 *  +---------------------------------------------------------------+ rowStride
 * </pre>
 */
public final class BinaryVectorsDescriptor {

    public static final int DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;

    /** Header field offsets, relative to {@link #DATA_OFFSET}. */
    public static final int CENTROID_STATE_OFFSET = 0;

    public static final int CENTROID_CRC_OFFSET = 4;
    public static final int ROTATION_SEED_OFFSET = 8;
    public static final int CENTROID_OFFSET = 16;

    /** {@code centroidState}: no centroid yet (the index has never held a vector). */
    public static final int CENTROID_UNSET = SealedBlock.UNSET;

    /** {@code centroidState}: the centroid is written and never changes again. */
    public static final int CENTROID_SET = SealedBlock.SET;

    /** Row field offsets, relative to a row. */
    public static final int OFFSET_FACTOR_OFFSET = 0;

    public static final int DOT_FACTOR_OFFSET = 4;
    public static final int CODES_OFFSET = 8;

    /** Most rows of the first insert whose mean becomes the centroid, evenly spaced. */
    public static final int CENTROID_SAMPLE = 1_024;

    /** Rows start on a multiple of this (a cache line) after the centroid. */
    public static final int ROWS_ALIGNMENT = 64;

    private BinaryVectorsDescriptor() {}

    /** 64-bit code words of a row: one bit per rotated component. */
    public static int codeWords(int dimension) {
        return FastRotation.paddedDimension(dimension) / Long.SIZE;
    }

    public static int rowStride(int dimension) {
        return CODES_OFFSET + codeWords(dimension) * Long.BYTES;
    }

    /** Where row 0 starts: after the header and centroid, rounded up to {@link #ROWS_ALIGNMENT}. */
    public static long rowsOffset(int dimension) {
        long end = DATA_OFFSET + CENTROID_OFFSET + (long) dimension * Float.BYTES;
        return (end + ROWS_ALIGNMENT - 1) / ROWS_ALIGNMENT * ROWS_ALIGNMENT;
    }

    public static long rowOffset(int node, int dimension) {
        return rowsOffset(dimension) + (long) node * rowStride(dimension);
    }

    public static long fileLength(long capacity, int dimension) {
        return rowsOffset(dimension) + capacity * rowStride(dimension);
    }
}
