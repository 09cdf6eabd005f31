package org.hnswmap.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.SearchResult;
import org.hnswmap.index.Space;

/** Checks shared by the tests of indexes whose rows are labelled by row number. */
public final class SearchChecks {

    private SearchChecks() {}

    /** Recall@10 of {@code index} at {@code ef} against exact {@code truth} (row numbers). */
    public static double recall(HnswIndex index, float[][] queries, int[][] truth, int ef) {
        long[][] found = new long[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            found[q] = index.knnQuery(queries[q], 10, ef).labels();
        }
        return BruteForce.recall(truth, found, RandomVectors.sequentialLabels(rows(truth), 0), 10);
    }

    /**
     * Every distance {@code index} returns for {@code queries} (k 10 at {@code ef}) is the exact
     * distance to the stored row {@code data[label]}, in ascending order.
     */
    public static void assertExactAscending(
            Space space, HnswIndex index, float[][] queries, float[][] data, int ef) {
        for (float[] query : queries) {
            SearchResult r = index.knnQuery(query, 10, ef);
            for (int i = 0; i < r.labels().length; i++) {
                double exact = BruteForce.distance(space, query, data[(int) r.labels()[i]]);
                assertEquals(exact, r.distances()[i], 1e-4 * Math.max(1, exact), space.name());
                if (i > 0) {
                    assertTrue(r.distances()[i - 1] <= r.distances()[i], "ascending");
                }
            }
        }
    }

    private static int rows(int[][] truth) {
        int max = 0;
        for (int[] row : truth) {
            for (int id : row) {
                max = Math.max(max, id + 1);
            }
        }
        return max;
    }
}
