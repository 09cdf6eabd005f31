package org.hnswmap.bench.layout;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;

/**
 * Centroids of a graph's rows by k-means (Lloyd's iterations on a sample, seeded with sampled
 * rows), and each node's nearest centroid: the regions that {@link ResidualCodes} encode rows
 * relative to (IVF's coarse quantizer, the per-region centroids issue 18 names for clustered data).
 *
 * <p>Immutable after {@link #train}; thread-safe.
 */
final class Centroids {

    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    /** Rows k-means is trained on at most; every node is then assigned. */
    private static final int SAMPLE = 50_000;

    private static final int ITERATIONS = 10;

    final float[][] centroids;

    /** Index into {@link #centroids} of each node's nearest centroid. */
    final int[] assignment;

    private Centroids(float[][] centroids, int[] assignment) {
        this.centroids = centroids;
        this.assignment = assignment;
    }

    static Centroids train(HnswlibGraph graph, int count, long seed) {
        if (count < 1 || count > graph.size) {
            throw new IllegalArgumentException(
                    "centroids must be 1 to " + graph.size + ", not " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[graph.size];
        Arrays.setAll(order, i -> i);
        int sampled = Math.min(SAMPLE, graph.size);
        for (int i = 0; i < sampled; i++) { // partial Fisher-Yates: the first `sampled` are random
            int j = i + random.nextInt(graph.size - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[][] sample = new float[sampled][];
        for (int i = 0; i < sampled; i++) {
            sample[i] = row(graph, order[i]);
        }
        float[][] centroids = new float[count][];
        for (int c = 0; c < count; c++) {
            centroids[c] = sample[c].clone();
        }
        int[] nearest = new int[sampled];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            for (int i = 0; i < sampled; i++) {
                nearest[i] = nearest(centroids, sample[i]);
            }
            double[][] sums = new double[count][graph.dimension];
            int[] sizes = new int[count];
            for (int i = 0; i < sampled; i++) {
                sizes[nearest[i]]++;
                for (int d = 0; d < graph.dimension; d++) {
                    sums[nearest[i]][d] += sample[i][d];
                }
            }
            for (int c = 0; c < count; c++) {
                if (sizes[c] == 0) { // an empty region restarts at a random sampled row
                    centroids[c] = sample[random.nextInt(sampled)].clone();
                    continue;
                }
                for (int d = 0; d < graph.dimension; d++) {
                    centroids[c][d] = (float) (sums[c][d] / sizes[c]);
                }
            }
        }
        int[] assignment = new int[graph.size];
        for (int node = 0; node < graph.size; node++) {
            assignment[node] = nearest(centroids, row(graph, node));
        }
        return new Centroids(centroids, assignment);
    }

    private static float[] row(HnswlibGraph graph, int node) {
        float[] out = new float[graph.dimension];
        long at = graph.rowOffset(node);
        for (int d = 0; d < out.length; d++) {
            out[d] = graph.rows.get(HnswlibGraph.FLOAT, at + 4L * d);
        }
        return out;
    }

    private static int nearest(float[][] centroids, float[] v) {
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
