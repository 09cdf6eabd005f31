package org.hnswmap.distance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scalar and SIMD kernels against each other (bit-identical on 512-bit CPUs) and against a
 * double-precision reference, at awkward dimensions and unaligned offsets.
 */
class KernelsDifferentialTest {

    private static final DistanceKernels SCALAR = KernelProvider.scalar();
    private static final DistanceKernels SIMD = KernelProvider.simd();

    @ParameterizedTest
    @ValueSource(
            ints = {1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 48, 100, 128, 784, 1021, 1536, 4099})
    void shouldAgreeWithReferenceAndEachOtherWhenDimensionIsAwkward(int dim) {
        SplittableRandom random = new SplittableRandom(dim);
        float[] a = randomVector(random, dim);
        float[] b = randomVector(random, dim);
        try (Arena arena = Arena.ofConfined()) {
            long offsetA = 12; // deliberately not 64-byte aligned
            long offsetB = offsetA + dim * 4L + 20;
            MemorySegment rows = arena.allocate(offsetB + dim * 4L + 8);
            MemorySegment.copy(a, 0, rows, ScalarKernels.FLOAT_LE, offsetA, dim);
            MemorySegment.copy(b, 0, rows, ScalarKernels.FLOAT_LE, offsetB, dim);
            double refL2 = 0;
            double refDot = 0;
            for (int i = 0; i < dim; i++) {
                refL2 += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
                refDot += (double) a[i] * b[i];
            }
            double tolerance = 1e-5 * dim + 1e-6;
            for (DistanceKernels k : new DistanceKernels[] {SCALAR, SIMD}) {
                assertEquals(
                        refL2,
                        k.squaredL2(a, rows, offsetB),
                        tolerance * Math.max(1, refL2),
                        k.name());
                assertEquals(
                        refL2,
                        k.squaredL2(rows, offsetA, offsetB, dim),
                        tolerance * Math.max(1, refL2));
                assertEquals(refL2, k.squaredL2(a, b), tolerance * Math.max(1, refL2));
                assertEquals(
                        refDot, k.dot(a, rows, offsetB), tolerance * Math.max(1, Math.abs(refDot)));
                assertEquals(
                        refDot,
                        k.dot(rows, offsetA, offsetB, dim),
                        tolerance * Math.max(1, Math.abs(refDot)));
                assertEquals(refDot, k.dot(a, b), tolerance * Math.max(1, Math.abs(refDot)));
            }
            if (SIMD.name().equals("panama-512")) {
                assertBits(SCALAR.squaredL2(a, rows, offsetB), SIMD.squaredL2(a, rows, offsetB));
                assertBits(
                        SCALAR.squaredL2(rows, offsetA, offsetB, dim),
                        SIMD.squaredL2(rows, offsetA, offsetB, dim));
                assertBits(SCALAR.squaredL2(a, b), SIMD.squaredL2(a, b));
                assertBits(SCALAR.dot(a, rows, offsetB), SIMD.dot(a, rows, offsetB));
                assertBits(
                        SCALAR.dot(rows, offsetA, offsetB, dim),
                        SIMD.dot(rows, offsetA, offsetB, dim));
                assertBits(SCALAR.dot(a, b), SIMD.dot(a, b));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 15, 16, 17, 31, 32, 33, 48, 100, 128, 784, 1021})
    void shouldScoreFourRowsBitIdenticalToOneAtATimeWhenDimensionIsAwkward(int dim) {
        SplittableRandom random = new SplittableRandom(dim + 5_000);
        float[] query = randomVector(random, dim);
        long stride = dim * 4L + 20; // rows not 64-byte aligned
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rows = arena.allocate(12 + 4 * stride);
            long[] at = new long[4];
            for (int r = 0; r < 4; r++) {
                at[r] = 12 + r * stride;
                MemorySegment.copy(
                        randomVector(random, dim), 0, rows, ScalarKernels.FLOAT_LE, at[r], dim);
            }
            for (DistanceKernels k : new DistanceKernels[] {SCALAR, SIMD}) {
                float[] l2 = new float[6];
                float[] dot = new float[6];
                k.squaredL2x4(query, rows, at[0], at[1], at[2], at[3], l2, 1);
                k.dotx4(query, rows, at[2], at[0], at[3], at[1], dot, 2);
                assertEquals(0f, l2[0]);
                assertEquals(0f, l2[5]);
                for (int r = 0; r < 4; r++) {
                    assertBits(k.squaredL2(query, rows, at[r]), l2[1 + r]);
                }
                assertBits(k.dot(query, rows, at[2]), dot[2]);
                assertBits(k.dot(query, rows, at[0]), dot[3]);
                assertBits(k.dot(query, rows, at[3]), dot[4]);
                assertBits(k.dot(query, rows, at[1]), dot[5]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 48, 100, 128, 784, 1021, 4099})
    void shouldAgreeOnInt8CodesWithReferenceAndEachOther(int dim) {
        SplittableRandom random = new SplittableRandom(dim + 1_000);
        float[] query = randomVector(random, dim);
        byte[] codes = new byte[dim];
        for (int i = 0; i < dim; i++) {
            codes[i] = (byte) random.nextInt(-128, 128);
        }
        if (dim >= 4) { // the first four codes read as a float are a NaN (0xFFC00000)
            codes[0] = 0;
            codes[1] = 0;
            codes[2] = (byte) 0xC0;
            codes[3] = (byte) 0xFF;
        }
        int[] values = new int[dim];
        for (int i = 0; i < dim; i++) {
            values[i] = codes[i];
        }
        assertCodeKernelsAgree(query, values, codes, 128, DistanceKernels::dotCodes);
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 64, 96, 128, 800, 1536})
    void shouldAgreeOnNibbleCodesWithReferenceAndEachOther(int paddedDim) {
        SplittableRandom random = new SplittableRandom(paddedDim + 2_000);
        float[] query = randomVector(random, paddedDim);
        int[] codes = new int[paddedDim];
        byte[] packed = new byte[paddedDim / 2];
        for (int i = 0; i < paddedDim; i++) {
            codes[i] = random.nextInt(16);
            int group = i / 32;
            int within = i % 32;
            int at = group * 16 + within % 16;
            packed[at] |= (byte) (within < 16 ? codes[i] : codes[i] << 4);
        }
        assertCodeKernelsAgree(query, codes, packed, 16, DistanceKernels::dotNibbles);
    }

    /** A kernel of query x stored codes: {@code dotCodes} or {@code dotNibbles}. */
    private interface CodeKernel {
        float dot(DistanceKernels kernels, float[] query, MemorySegment rows, long at);
    }

    /**
     * Stores {@code stored} where codes sit in a row (after the 16-byte header, with the kernels' 4
     * bytes of slack), and checks both kernels against the double dot product of {@code query} and
     * the code values {@code values} (tolerance scaled by {@code codeRange}), and bit for bit
     * against each other on 512-bit CPUs.
     */
    private static void assertCodeKernelsAgree(
            float[] query, int[] values, byte[] stored, int codeRange, CodeKernel kernel) {
        try (Arena arena = Arena.ofConfined()) {
            long at = 16;
            MemorySegment rows = arena.allocate(at + stored.length + 4);
            MemorySegment.copy(stored, 0, rows, ValueLayout.JAVA_BYTE, at, stored.length);
            double refDot = 0;
            for (int i = 0; i < values.length; i++) {
                refDot += (double) query[i] * values[i];
            }
            double tolerance = 1e-5 * values.length + 1e-6;
            for (DistanceKernels k : new DistanceKernels[] {SCALAR, SIMD}) {
                assertEquals(
                        refDot,
                        kernel.dot(k, query, rows, at),
                        tolerance * codeRange * Math.max(1, Math.abs(refDot)),
                        k.name());
            }
            if (SIMD.name().equals("panama-512")) {
                assertBits(kernel.dot(SCALAR, query, rows, at), kernel.dot(SIMD, query, rows, at));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 16, 32, 64, 512, 1024})
    void shouldTransformBitIdenticallyAndMatchHadamardMatrixWhenLengthIsPowerOfTwo(int length) {
        SplittableRandom random = new SplittableRandom(length);
        float[] v = randomVector(random, length + 3);
        float[] scalar = v.clone();
        float[] simd = v.clone();
        SCALAR.hadamard(scalar, 3, length);
        SIMD.hadamard(simd, 3, length);
        for (int i = 0; i < v.length; i++) {
            assertBits(scalar[i], simd[i]);
        }
        for (int row = 0; row < length; row++) {
            double expected = 0;
            for (int col = 0; col < length; col++) {
                int sign = Integer.bitCount(row & col) % 2 == 0 ? 1 : -1;
                expected += sign * (double) v[3 + col];
            }
            assertEquals(expected, scalar[3 + row], 1e-5 * length, "row " + row);
        }
        assertBits(v[0], scalar[0]); // outside the range: untouched
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 24, 31})
    void shouldCountCodeBitsAgainstQueryPlanesWhenWordsVary(int words) {
        SplittableRandom random = new SplittableRandom(words);
        long[] planes = new long[4 * words];
        for (int i = 0; i < planes.length; i++) {
            planes[i] = random.nextLong();
        }
        try (Arena arena = Arena.ofConfined()) {
            long offset = 8; // rows are 8-byte aligned, not 64
            MemorySegment rows = arena.allocate(offset + words * 8L);
            long ones = 0;
            long weighted = 0;
            for (int w = 0; w < words; w++) {
                long code = random.nextLong();
                rows.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + w * 8L, code);
                for (int bit = 0; bit < 64; bit++) {
                    if ((code >>> bit & 1) == 0) {
                        continue;
                    }
                    ones++;
                    for (int plane = 0; plane < 4; plane++) {
                        weighted += (planes[plane * words + w] >>> bit & 1) << plane;
                    }
                }
            }
            long expected = ones << 32 | weighted;
            assertEquals(expected, SCALAR.binaryCodeDot(planes, words, rows, offset));
            assertEquals(expected, SIMD.binaryCodeDot(planes, words, rows, offset));
        }
    }

    @Test
    void shouldHandleBoundaryValuesWhenComponentsAreExtreme() {
        float[] a = {
            Float.MAX_VALUE / 4,
            -0.0f,
            Float.MIN_VALUE,
            1e-30f,
            3,
            -3,
            0,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            10
        };
        float[] b = {
            Float.MAX_VALUE / 4,
            0.0f,
            -Float.MIN_VALUE,
            1e-30f,
            -3,
            3,
            0,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            11
        };
        assertEquals(SCALAR.squaredL2(a, b), SIMD.squaredL2(a, b));
        assertEquals(73f, SIMD.squaredL2(a, b), 1e-3f);
    }

    @Test
    void shouldChooseKernelFromPropertyWhenSet() {
        assertEquals("scalar", KernelProvider.choose("scalar").name());
        assertEquals(SIMD.name(), KernelProvider.choose("SIMD").name());
        String expected = System.getProperty(KernelProvider.KERNEL_PROP_NAME, "auto");
        String chosen = KernelProvider.kernels().name();
        if (expected.equals("scalar")) {
            assertEquals("scalar", chosen);
        } else {
            assertEquals(SIMD.name(), chosen);
        }
    }

    private static void assertBits(float expected, float actual) {
        assertEquals(
                Float.floatToIntBits(expected),
                Float.floatToIntBits(actual),
                expected + " vs " + actual);
    }

    private static float[] randomVector(SplittableRandom random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }
}
