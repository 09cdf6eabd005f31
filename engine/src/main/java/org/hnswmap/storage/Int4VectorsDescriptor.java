package org.hnswmap.storage;

import org.hnswmap.distance.DistanceKernels;

/**
 * The 4-bit traversal file {@code vectors.i4} (storage-format.md, section 5d): present when the
 * index was created with {@link MetaHeaderDescriptor#FLAG_INT4_TRAVERSAL}. After the preamble, one
 * row per node with the header of an int8 row ({@link QuantizedVectorsDescriptor}: bias, scale,
 * code sum, code square sum) and 16 levels instead of 256: component {@code i} is approximated by
 * {@code bias + scale * code[i]}, {@code code[i]} in {@code [0, 15]}, two codes a byte.
 *
 * <pre>
 *  +-------------------------------+-------------------------------+  0
 *  |           bias (f32)          |          scale (f32)          |
 *  +-------------------------------+-------------------------------+  8
 *  |         code sum (i32)        |     code square sum (i32)     |
 *  +-------------------------------+-------------------------------+ 16
 *  |    codes: paddedDimension / 2 bytes, 16 bytes per 32 components   |
 *  +---------------------------------------------------------------+ rowStride
 * </pre>
 *
 * <p>Rows are not padded to a cache line: a 128-d row is 80 bytes and, starting at a multiple of
 * 16, never touches more than two lines, as a 128-byte row would; the smaller stride keeps more
 * rows in the caches. Each group of 32 components is the layout {@link DistanceKernels#dotNibbles}
 * reads: component {@code 32g + j} in the low half of byte {@code 16g + j}, component {@code 32g +
 * 16 + j} in its high half.
 */
public final class Int4VectorsDescriptor {

    public static final int DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;
    public static final int BIAS_OFFSET = QuantizedVectorsDescriptor.BIAS_OFFSET;
    public static final int SCALE_OFFSET = QuantizedVectorsDescriptor.SCALE_OFFSET;
    public static final int CODE_SUM_OFFSET = QuantizedVectorsDescriptor.CODE_SUM_OFFSET;
    public static final int CODE_SQUARES_OFFSET = QuantizedVectorsDescriptor.CODE_SQUARES_OFFSET;
    public static final int CODES_OFFSET = QuantizedVectorsDescriptor.CODES_OFFSET;

    /** Codes span {@code [CODE_MIN, CODE_MAX]}: 16 levels from a row's minimum to its maximum. */
    public static final int CODE_MIN = 0;

    public static final int CODE_MAX = 15;

    /** Components per group of {@link #GROUP_BYTES} bytes. */
    public static final int GROUP_COMPONENTS = DistanceKernels.NIBBLE_GROUP;

    public static final int GROUP_BYTES = GROUP_COMPONENTS / 2;

    /**
     * Zero bytes after the last row: the kernel's 64-bit loads on 128-bit CPUs read 4 bytes past a
     * row's last group (into the next row's header, or here for the last row).
     */
    public static final int FILE_SLACK = 16;

    private Int4VectorsDescriptor() {}

    /** The dimension rounded up to whole groups: the query length the kernel is called with. */
    public static int paddedDimension(int dimension) {
        return (dimension + GROUP_COMPONENTS - 1) / GROUP_COMPONENTS * GROUP_COMPONENTS;
    }

    public static int rowStride(int dimension) {
        return CODES_OFFSET + paddedDimension(dimension) / 2;
    }

    public static long rowOffset(int node, int rowStride) {
        return DATA_OFFSET + (long) node * rowStride;
    }

    public static long fileLength(long capacity, int rowStride) {
        return DATA_OFFSET + capacity * rowStride + FILE_SLACK;
    }

    /** Byte of the row's codes (from {@link #CODES_OFFSET}) that holds component {@code i}. */
    public static int codeByte(int component) {
        return component / GROUP_COMPONENTS * GROUP_BYTES + component % GROUP_BYTES;
    }

    /** Where in its byte component {@code i} sits: 0 for the low half, 4 for the high half. */
    public static int codeShift(int component) {
        return component % GROUP_COMPONENTS < GROUP_BYTES ? 0 : 4;
    }
}
