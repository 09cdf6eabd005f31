package org.hnswmap.storage;

/**
 * The int8 traversal file {@code vectors.i8} (storage-format.md, section 5a): present when the
 * index was created with {@link MetaHeaderDescriptor#FLAG_INT8_TRAVERSAL}. After the preamble, one
 * row per node; component {@code i} of the node's vector is approximated by {@code bias + scale *
 * code[i]} with {@code code[i]} a signed byte. The sums of the codes and of their squares let a
 * squared L2 distance be computed from one dot product of query and codes.
 *
 * <pre>
 *  +-------------------------------+-------------------------------+  0
 *  |           bias (f32)          |          scale (f32)          |
 *  +-------------------------------+-------------------------------+  8
 *  |         code sum (i32)        |     code square sum (i32)     |
 *  +-------------------------------+-------------------------------+ 16
 *  |               codes (dimension x i8), then padding ...        |
 *  +---------------------------------------------------------------+ rowStride
 * </pre>
 *
 * <p>Codes start 16 bytes into a 64-byte aligned row, so 16-byte code loads never straddle a cache
 * line; the padding after them is at least {@link #CODE_SLACK} bytes.
 */
public final class QuantizedVectorsDescriptor {

    public static final int DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;
    public static final int BIAS_OFFSET;
    public static final int SCALE_OFFSET;
    public static final int CODE_SUM_OFFSET;
    public static final int CODE_SQUARES_OFFSET;
    public static final int CODES_OFFSET;

    /** Bytes after the last code that a kernel may read (its 64-bit loads on 128-bit CPUs). */
    public static final int CODE_SLACK = 4;

    /** Codes span {@code [CODE_MIN, CODE_MAX]}: 256 levels between a row's min and max. */
    public static final int CODE_MIN = -128;

    public static final int CODE_MAX = 127;

    static {
        int offset = 0;
        BIAS_OFFSET = offset;
        offset += Float.BYTES;
        SCALE_OFFSET = offset;
        offset += Float.BYTES;
        CODE_SUM_OFFSET = offset;
        offset += Integer.BYTES;
        CODE_SQUARES_OFFSET = offset;
        offset += Integer.BYTES;
        CODES_OFFSET = offset;
    }

    private QuantizedVectorsDescriptor() {}

    public static int rowStride(int dimension) {
        int bytes = CODES_OFFSET + dimension + CODE_SLACK;
        int alignment = VectorsDescriptor.ROW_ALIGNMENT;
        return (bytes + alignment - 1) / alignment * alignment;
    }

    public static long rowOffset(int node, int rowStride) {
        return DATA_OFFSET + (long) node * rowStride;
    }

    public static long fileLength(long capacity, int rowStride) {
        return DATA_OFFSET + capacity * rowStride;
    }
}
