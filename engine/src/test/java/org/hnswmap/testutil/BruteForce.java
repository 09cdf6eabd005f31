package org.hnswmap.testutil;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.hnswmap.index.Space;

/** Exact k-nearest neighbours in double precision: the recall oracle of the tests. */
public final class BruteForce {

    private BruteForce() {}

    /** Distance as the index defines it for {@code space} (cosine on normalized copies). */
    public static double distance(Space space, float[] a, float[] b) {
        double dot = 0;
        double l2 = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            double d = (double) a[i] - b[i];
            l2 += d * d;
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return switch (space) {
            case L2 -> l2;
            case IP -> 1 - dot;
            case COSINE -> 1 - dot / Math.sqrt(na * nb);
        };
    }

    /** Indexes into {@code data} of the {@code k} nearest to each query, nearest first. */
    public static int[][] knn(Space space, float[][] data, float[][] queries, int k) {
        return IntStream.range(0, queries.length)
                .parallel()
                .mapToObj(q -> knn(space, data, queries[q], k))
                .toArray(int[][]::new);
    }

    private static int[] knn(Space space, float[][] data, float[] query, int k) {
        Integer[] order = new Integer[data.length];
        double[] d = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            order[i] = i;
            d[i] = distance(space, query, data[i]);
        }
        Arrays.sort(order, (x, y) -> Double.compare(d[x], d[y]));
        int[] out = new int[Math.min(k, data.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** Mean fraction of the true {@code k} nearest (as labels) found in each result row. */
    public static double recall(int[][] truth, long[][] found, long[] labelOfIndex, int k) {
        long hits = 0;
        for (int q = 0; q < truth.length; q++) {
            for (int i = 0; i < k; i++) {
                long want = labelOfIndex[truth[q][i]];
                for (long got : found[q]) {
                    if (got == want) {
                        hits++;
                        break;
                    }
                }
            }
        }
        return hits / (double) (truth.length * (long) k);
    }
}
