package org.hnswmap.bench.layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.storage.Int4VectorsDescriptor;

/**
 * hnswmap's 4-bit rows ({@code vectors.i4}, storage-format.md 5d; glass's SQ4U): 16 levels from 0,
 * two codes a byte in 16-byte groups of 32 components ({@link Int4VectorsDescriptor#codeByte}), so
 * a 128-d row is 80 bytes instead of 144; scored with the engine's own kernel ({@link
 * DistanceKernels#dotNibbles}), which reads the query zero-padded to whole groups.
 */
final class FourBitCodes extends CodeFormat {

    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    /** The query with zeros up to a whole group; the padding stays zero. */
    private final float[] padded;

    FourBitCodes(int dimension) {
        super(Int4VectorsDescriptor.CODE_MIN, Int4VectorsDescriptor.CODE_MAX + 1);
        padded = new float[Int4VectorsDescriptor.paddedDimension(dimension)];
    }

    @Override
    String name() {
        return "4-bit";
    }

    @Override
    int rowBytes(int dimension) {
        return Int4VectorsDescriptor.rowStride(dimension);
    }

    @Override
    void store(MemorySegment rows, long codesAt, int component, int code) {
        long at = codesAt + Int4VectorsDescriptor.codeByte(component);
        byte old = rows.get(ValueLayout.JAVA_BYTE, at);
        rows.set(
                ValueLayout.JAVA_BYTE,
                at,
                (byte) (old | code << Int4VectorsDescriptor.codeShift(component)));
    }

    @Override
    void prepare(float[] query) {
        System.arraycopy(query, 0, padded, 0, query.length);
    }

    @Override
    double codeDot(MemorySegment rows, long codesAt) {
        return KERNELS.dotNibbles(padded, rows, codesAt);
    }
}
