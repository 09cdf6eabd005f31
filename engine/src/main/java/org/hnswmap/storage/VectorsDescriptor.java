package org.hnswmap.storage;

/**
 * The vectors file: after the preamble, one row per node, {@code dimension} little-endian f32
 * padded to a multiple of {@link #ROW_ALIGNMENT} bytes so every row starts on a 64-byte boundary
 * (one AVX-512 load, one cache line). Row of node {@code n}: {@code rowOffset(n, rowStride)}.
 */
public final class VectorsDescriptor {

    public static final int DATA_OFFSET = FileHeaderDescriptor.PREAMBLE_LENGTH;
    public static final int ROW_ALIGNMENT = 64;

    private VectorsDescriptor() {}

    public static int rowStride(int dimension) {
        int bytes = dimension * Float.BYTES;
        return (bytes + ROW_ALIGNMENT - 1) / ROW_ALIGNMENT * ROW_ALIGNMENT;
    }

    public static long rowOffset(int node, int rowStride) {
        return DATA_OFFSET + (long) node * rowStride;
    }

    public static long fileLength(long capacity, int rowStride) {
        return DATA_OFFSET + capacity * rowStride;
    }
}
