package org.hnswmap.storage;

import java.util.List;
import java.util.SplittableRandom;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;

/**
 * Lloyd's k-means, seeded with evenly spaced sample rows: the centroids of traversal regions
 * (storage-format.md, section 5e). Deterministic for a given sample, seed and kernel, which is all
 * it needs to be: the centroids are stored, and rows are checked against the stored ones.
 * Stateless.
 */
final class KMeans {

    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    /** Lloyd's iterations: on clustered data the assignment has settled long before. */
    static final int ITERATIONS = 10;

    private KMeans() {}

    /**
     * {@code count} centroids of {@code sample}. With fewer distinct rows than {@code count}, the
     * missing centroids repeat sampled rows (a row then has two equally near centroids and takes
     * the first).
     */
    static float[][] centroids(List<float[]> sample, int count, long seed) {
        if (sample.isEmpty()) {
            throw new IllegalArgumentException("k-means needs at least one row");
        }
        int n = sample.size();
        int dimension = sample.get(0).length;
        SplittableRandom random = new SplittableRandom(seed);
        float[][] centroids = new float[count][];
        for (int c = 0; c < count; c++) {
            // evenly spaced when the sample is larger, cyclic when it is smaller
            centroids[c] = sample.get((int) ((long) c * n / count % n)).clone();
        }
        int[] nearest = new int[n];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            boolean changed = iteration == 0;
            for (int i = 0; i < n; i++) {
                int best = nearest(centroids, sample.get(i));
                changed |= best != nearest[i];
                nearest[i] = best;
            }
            if (!changed) {
                break;
            }
            double[][] sums = new double[count][dimension];
            int[] sizes = new int[count];
            for (int i = 0; i < n; i++) {
                float[] row = sample.get(i);
                double[] sum = sums[nearest[i]];
                sizes[nearest[i]]++;
                for (int d = 0; d < dimension; d++) {
                    sum[d] += row[d];
                }
            }
            for (int c = 0; c < count; c++) {
                if (sizes[c] == 0) {
                    // an empty region restarts at a random row: it may take part of a large one
                    centroids[c] = sample.get(random.nextInt(n)).clone();
                    continue;
                }
                for (int d = 0; d < dimension; d++) {
                    centroids[c][d] = (float) (sums[c][d] / sizes[c]);
                }
            }
        }
        return centroids;
    }

    /** Index of the centroid nearest to {@code v} (squared L2; the first of equals). */
    static int nearest(float[][] centroids, float[] v) {
        int best = 0;
        float bestDistance = Float.POSITIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            float d = KERNELS.squaredL2(centroids[c], v);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }
}
