package org.hnswmap.bench.layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;

/**
 * hnswmap's int8 rows ({@code vectors.i8}, storage-format.md): 256 levels from -128, one signed
 * byte a component, rows rounded up to 16 bytes; scored with the engine's own kernel.
 */
final class Int8Codes extends CodeFormat {

    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    private float[] query;

    Int8Codes() {
        super(-128, 256);
    }

    @Override
    String name() {
        return "int8";
    }

    @Override
    int rowBytes(int dimension) {
        return (HEADER + dimension + 15) / 16 * 16;
    }

    @Override
    void store(MemorySegment rows, long codesAt, int component, int code) {
        rows.set(ValueLayout.JAVA_BYTE, codesAt + component, (byte) code);
    }

    @Override
    void prepare(float[] q) {
        query = q;
    }

    @Override
    double codeDot(MemorySegment rows, long codesAt) {
        return KERNELS.dotCodes(query, rows, codesAt);
    }
}
