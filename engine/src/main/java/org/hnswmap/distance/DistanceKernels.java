package org.hnswmap.distance;

import java.lang.foreign.MemorySegment;

/**
 * Float32 distance primitives. Vectors are either heap {@code float[]} or rows stored little-endian
 * in a {@link MemorySegment} (a mapped index file) starting at a byte offset; the dimension is the
 * length of the {@code float[]} argument, or {@code dim} where both sides are segments.
 *
 * <p>Implementations are stateless and thread-safe. They never retain a segment. Obtain the one in
 * use from {@link KernelProvider#kernels()}.
 */
public interface DistanceKernels {

    /** Short name of the implementation, e.g. {@code "panama-512"} or {@code "scalar"}. */
    String name();

    /** Squared Euclidean distance between {@code query} and the row at {@code rowOffsetBytes}. */
    float squaredL2(float[] query, MemorySegment rows, long rowOffsetBytes);

    /** Dot product of {@code query} and the row at {@code rowOffsetBytes}. */
    float dot(float[] query, MemorySegment rows, long rowOffsetBytes);

    /**
     * {@link #squaredL2(float[], MemorySegment, long)} of {@code query} and the four rows at {@code
     * row0..row3} into {@code out[outAt .. outAt + 4)}, each bit-identical to the one-row call.
     * Loading the four rows interleaved keeps more of their cache misses in flight than four calls
     * one after the other (rows outside the caches, bench/RESULTS.md). This default makes the four
     * calls.
     */
    default void squaredL2x4(
            float[] query,
            MemorySegment rows,
            long row0,
            long row1,
            long row2,
            long row3,
            float[] out,
            int outAt) {
        out[outAt] = squaredL2(query, rows, row0);
        out[outAt + 1] = squaredL2(query, rows, row1);
        out[outAt + 2] = squaredL2(query, rows, row2);
        out[outAt + 3] = squaredL2(query, rows, row3);
    }

    /**
     * {@link #dot(float[], MemorySegment, long)} of {@code query} and four rows, as {@link
     * #squaredL2x4}.
     */
    default void dotx4(
            float[] query,
            MemorySegment rows,
            long row0,
            long row1,
            long row2,
            long row3,
            float[] out,
            int outAt) {
        out[outAt] = dot(query, rows, row0);
        out[outAt + 1] = dot(query, rows, row1);
        out[outAt + 2] = dot(query, rows, row2);
        out[outAt + 3] = dot(query, rows, row3);
    }

    /** Squared Euclidean distance between two stored rows of {@code dim} floats. */
    float squaredL2(MemorySegment rows, long aOffsetBytes, long bOffsetBytes, int dim);

    /** Dot product of two stored rows of {@code dim} floats. */
    float dot(MemorySegment rows, long aOffsetBytes, long bOffsetBytes, int dim);

    /** Squared Euclidean distance between two heap vectors of equal length. */
    float squaredL2(float[] a, float[] b);

    /** Dot product of two heap vectors of equal length. */
    float dot(float[] a, float[] b);

    /**
     * Sum over {@code i} of {@code query[i] * code[i]} for a row of {@code query.length} signed
     * 8-bit codes at {@code codesOffsetBytes}. The segment must hold at least 4 bytes after the
     * last code (the 64-bit loads of 128-bit CPUs read that far).
     */
    float dotCodes(float[] query, MemorySegment rows, long codesOffsetBytes);

    /**
     * Sum over {@code i} of {@code query[i] * code[i]} for a row of unsigned 4-bit codes at {@code
     * codesOffsetBytes}, {@code query.length} a multiple of {@link #NIBBLE_GROUP} (pad the query
     * with zeros). Codes come in groups of 16 bytes, one per 32 components: component {@code 32g +
     * j} ({@code j < 16}) is the low half of byte {@code 16g + j}, component {@code 32g + 16 + j}
     * its high half, so one load of 16 bytes widens to two blocks of 16 consecutive components. The
     * segment must hold at least 4 bytes after the last group (the 64-bit loads of 128-bit CPUs
     * read that far).
     */
    float dotNibbles(float[] query, MemorySegment rows, long codesOffsetBytes);

    /** Components per 16-byte group of {@link #dotNibbles} codes. */
    int NIBBLE_GROUP = 32;

    /**
     * One-bit code against a query split into 4 bit planes: for the {@code words} 64-bit code words
     * at {@code codesOffsetBytes} (little-endian) and plane {@code j} of the query in {@code
     * planes[j * words .. (j + 1) * words)}, returns {@code popcount(code) << 32 | sum over j of
     * 2^j * popcount(code & plane_j)}. Integer arithmetic: every implementation returns the same.
     */
    long binaryCodeDot(long[] planes, int words, MemorySegment rows, long codesOffsetBytes);

    /**
     * In place, the unnormalized Walsh-Hadamard transform of {@code v[from .. from + length)},
     * {@code length} a power of two: stage {@code h = 1, 2, 4, ...} replaces each pair {@code (a,
     * b) = (v[i], v[i + h])} ({@code i} with bit {@code h} clear) by {@code (a + b, a - b)}. Every
     * implementation computes each output from the same two inputs with the same operation, so the
     * results are bit-identical.
     */
    void hadamard(float[] v, int from, int length);
}
