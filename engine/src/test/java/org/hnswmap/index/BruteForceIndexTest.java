package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.hnswmap.error.DimensionMismatchException;
import org.hnswmap.error.IndexFullException;
import org.hnswmap.error.UnknownLabelException;
import org.hnswmap.testutil.BruteForce;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BruteForceIndexTest {

    @ParameterizedTest
    @EnumSource(Space.class)
    void shouldReturnTheExactNeighboursWhenQueriedInBatchOrOneByOne(Space space) {
        float[][] data = RandomVectors.uniform(3_000, 19, 5);
        float[][] queries = RandomVectors.uniform(70, 19, 6);
        long[] labels = RandomVectors.sequentialLabels(data.length, 1_000);
        BruteForceIndex index = BruteForceIndex.of(space, data, labels);
        int[][] truth = BruteForce.knn(space, data, queries, 10);

        BatchSearchResult batch = index.knnQuery(queries, 10, 2);

        for (int q = 0; q < queries.length; q++) {
            long[] expected = new long[10];
            for (int i = 0; i < 10; i++) {
                expected[i] = labels[truth[q][i]];
            }
            assertArrayEquals(expected, batch.labels()[q], "query " + q);
            SearchResult single = index.knnQuery(queries[q], 10);
            assertArrayEquals(batch.labels()[q], single.labels());
            assertArrayEquals(batch.distances()[q], single.distances());
            assertEquals(
                    BruteForce.distance(space, queries[q], data[truth[q][0]]),
                    single.distances()[0],
                    1e-4);
        }
    }

    @Test
    void shouldForgetARemovedElementAndKeepTheOthersFindable() {
        float[][] data = RandomVectors.uniform(100, 8, 1);
        BruteForceIndex index =
                BruteForceIndex.of(Space.L2, data, RandomVectors.sequentialLabels(100, 0));

        index.removeItem(0);

        assertEquals(99, index.size());
        assertEquals(99, index.knnQuery(data[99], 1).labels()[0]);
        assertEquals(50, index.knnQuery(data[50], 1).labels()[0]);
        assertThrows(UnknownLabelException.class, () -> index.getItem(0));
        assertThrows(UnknownLabelException.class, () -> index.removeItem(0));
    }

    @Test
    void shouldHonourALabelFilter() {
        float[][] data = RandomVectors.uniform(500, 8, 2);
        BruteForceIndex index =
                BruteForceIndex.of(Space.L2, data, RandomVectors.sequentialLabels(500, 0));

        SearchResult r = index.knnQuery(data[3], 5, label -> label % 2 == 0);

        assertEquals(5, r.size());
        for (long label : r.labels()) {
            assertEquals(0, label % 2);
        }
    }

    @Test
    void shouldRefuseBadInputWithTheEngineExceptions() {
        BruteForceIndex index = new BruteForceIndex(Space.L2, 4, 1);
        index.addItem(new float[4], 7);
        assertThrows(IndexFullException.class, () -> index.addItem(new float[4], 8));
        assertThrows(DimensionMismatchException.class, () -> index.knnQuery(new float[3], 1));
        index.addItem(new float[] {1, 2, 3, 4}, 7);
        assertArrayEquals(new float[] {1, 2, 3, 4}, index.getItem(7));
    }
}
