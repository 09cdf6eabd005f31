package org.hnswmap.distance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rotation of one-bit codes: orthogonal, deterministic, and spreading a spike. */
class FastRotationTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 64, 100, 128, 784, 1000})
    void shouldKeepLengthsAndInnerProductsWhenRotating(int dimension) {
        FastRotation rotation = new FastRotation(dimension, 42);
        assertEquals(FastRotation.paddedDimension(dimension), rotation.paddedDimension());
        assertEquals(0, rotation.paddedDimension() % 64);
        SplittableRandom random = new SplittableRandom(dimension);
        float[] a = new float[dimension];
        float[] b = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            a[i] = (float) random.nextGaussian();
            b[i] = (float) random.nextGaussian();
        }
        float[] ra = new float[rotation.paddedDimension()];
        float[] rb = new float[rotation.paddedDimension()];
        rotation.apply(a, ra);
        rotation.apply(b, rb);
        assertEquals(dot(a, a), dot(ra, ra), 1e-4 * dot(a, a));
        assertEquals(dot(a, b), dot(ra, rb), 1e-4 * Math.sqrt(dot(a, a) * dot(b, b)));
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 784})
    void shouldGiveSameBitsForSameSeedAndSpreadASpike(int dimension) {
        float[] spike = new float[dimension];
        spike[5] = 1f;
        float[] first = new float[FastRotation.paddedDimension(dimension)];
        float[] second = first.clone();
        float[] otherSeed = first.clone();
        new FastRotation(dimension, 7).apply(spike, first);
        new FastRotation(dimension, 7).apply(spike, second);
        new FastRotation(dimension, 8).apply(spike, otherSeed);
        assertArrayEquals(first, second);
        assertFalse(Arrays.equals(first, otherSeed));
        double max = 0;
        for (float x : first) {
            max = Math.max(max, Math.abs(x));
        }
        // a unit spike spread over hundreds of components: none keeps much of it
        assertEquals(0, max, 0.25, "largest rotated component " + max);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void shouldRefuseDimensionBelowOne(int dimension) {
        assertThrows(IllegalArgumentException.class, () -> new FastRotation(dimension, 1));
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
