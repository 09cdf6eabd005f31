package org.hnswmap.distance;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A fixed pseudo-random rotation of {@code dimension}-d vectors into {@code paddedDimension} =
 * {@code roundUp(dimension, 64)} dimensions (the input is padded with zeros), in {@code O(d log
 * d)}: {@link #ROUNDS} rounds, each a random sign flip of every component followed by a normalized
 * Walsh-Hadamard transform of the leading {@code block} components (even rounds) or of the trailing
 * {@code block} components (odd rounds), where {@code block} is the largest power of two not above
 * {@code paddedDimension}. Every step is orthogonal, so lengths and inner products are kept; the
 * mixing spreads a vector's energy evenly over the components, which is what makes a one-bit sign
 * code of the rotated vector an unbiased estimator (RaBitQ, Gao and Long 2024; the trailing/leading
 * blocks follow the RaBitQ library's FHT-Kac rotator).
 *
 * <p>The signs come from {@link SplittableRandom} with the stored seed, and the arithmetic is plain
 * Java float arithmetic, so every JVM computes the same rotation bit for bit. Immutable and
 * thread-safe; {@link #apply} allocates nothing.
 */
public final class FastRotation {

    /** Sign-flip and transform rounds (the RaBitQ library uses 4). */
    public static final int ROUNDS = 4;

    private static final int PAD_MULTIPLE = 64;
    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    private final int dimension;
    private final int paddedDimension;
    private final int block;
    private final float scale;

    /** Per round, {@code 1f} or {@code -1f} per component (multiplying by them negates exactly). */
    private final float[][] signs;

    public FastRotation(int dimension, long seed) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1: " + dimension);
        }
        this.dimension = dimension;
        this.paddedDimension = paddedDimension(dimension);
        this.block = Integer.highestOneBit(paddedDimension);
        this.scale = (float) (1 / Math.sqrt(block));
        SplittableRandom random = new SplittableRandom(seed);
        this.signs = new float[ROUNDS][paddedDimension];
        for (float[] round : signs) {
            for (int i = 0; i < paddedDimension; i++) {
                round[i] = random.nextBoolean() ? -1f : 1f;
            }
        }
    }

    /** {@code dimension} rounded up to a multiple of 64 (the length of the rotated vectors). */
    public static int paddedDimension(int dimension) {
        return (dimension + PAD_MULTIPLE - 1) / PAD_MULTIPLE * PAD_MULTIPLE;
    }

    public int dimension() {
        return dimension;
    }

    public int paddedDimension() {
        return paddedDimension;
    }

    /**
     * Writes the rotation of {@code in[0..dimension)} (zero padded) into {@code
     * out[0..paddedDimension)}.
     */
    public void apply(float[] in, float[] out) {
        System.arraycopy(in, 0, out, 0, dimension);
        Arrays.fill(out, dimension, paddedDimension, 0f);
        for (int round = 0; round < ROUNDS; round++) {
            float[] sign = signs[round];
            for (int i = 0; i < paddedDimension; i++) {
                out[i] *= sign[i];
            }
            int from = round % 2 == 0 ? 0 : paddedDimension - block;
            KERNELS.hadamard(out, from, block);
            for (int i = from; i < from + block; i++) {
                out[i] *= scale;
            }
        }
    }
}
