package org.hnswmap.testutil;

import java.util.SplittableRandom;
import org.hnswmap.tools.SyntheticData;

/** Seeded synthetic data sets. */
public final class RandomVectors {

    private RandomVectors() {}

    /** {@code n} vectors with components uniform in [0, 1), as in the hnswlib tutorial. */
    public static float[][] uniform(int n, int dim, long seed) {
        return SyntheticData.uniform(n, dim, seed);
    }

    /**
     * {@code n} vectors in {@code clusters} clusters, each a Gaussian of spread {@code sigma} on a
     * random 4-dimensional subspace around a centre uniform in [0, 1)^dim: low intrinsic dimension,
     * as real embeddings have. Sets drawn with the same {@code shapeSeed} share their clusters.
     */
    public static float[][] clustered(
            int n, int dim, int clusters, double sigma, long shapeSeed, long sampleSeed) {
        int intrinsic = 4;
        SplittableRandom random = new SplittableRandom(sampleSeed);
        SplittableRandom shape = new SplittableRandom(shapeSeed);
        float[][] centres = uniform(clusters, dim, ~shapeSeed);
        double[][][] bases = new double[clusters][intrinsic][dim];
        for (double[][] basis : bases) {
            for (double[] axis : basis) {
                for (int j = 0; j < dim; j++) {
                    axis[j] = gaussian(shape) / Math.sqrt(dim);
                }
            }
        }
        float[][] out = new float[n][dim];
        for (float[] row : out) {
            int c = random.nextInt(clusters);
            System.arraycopy(centres[c], 0, row, 0, dim);
            for (double[] axis : bases[c]) {
                double z = sigma * gaussian(random);
                for (int j = 0; j < dim; j++) {
                    row[j] += (float) (z * axis[j]);
                }
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    public static long[] sequentialLabels(int n, long first) {
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = first + i;
        }
        return labels;
    }
}
