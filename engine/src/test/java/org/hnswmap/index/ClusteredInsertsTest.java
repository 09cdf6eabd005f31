package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.hnswmap.error.ReadOnlyIndexException;
import org.hnswmap.testutil.BruteForce;
import org.hnswmap.testutil.RandomVectors;
import org.hnswmap.tools.IndexBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clustered inserts: the order is a seeded grouping; the index holds the same elements. */
class ClusteredInsertsTest {

    private static final int N = 6_000;
    private static final int DIM = 16;

    @TempDir Path dir;

    /**
     * Rows of {@code clusters} tight clusters far apart, cluster {@code i % clusters} for row i.
     */
    private static float[][] separated(int n, int clusters) {
        float[][] noise = RandomVectors.uniform(n, DIM, 11);
        float[][] rows = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < DIM; j++) {
                rows[i][j] = noise[i][j] * 0.01f + (j == (i % clusters) ? 10f : 0f);
            }
        }
        return rows;
    }

    @Test
    void shouldInsertARandomTenthThenTheRestGroupedByRegion() {
        int clusters = 12;
        float[][] rows = separated(N, clusters);
        int[] order = ClusteredInsertOrder.of(rows, 5, 2);
        Set<Integer> seen = new HashSet<>();
        for (int row : order) {
            assertTrue(seen.add(row), "row " + row + " twice");
        }
        assertEquals(N, seen.size());
        int head = (int) Math.ceil(N * ClusteredInsertOrder.RANDOM_HEAD);
        int headClusters = 0;
        boolean[] inHead = new boolean[clusters];
        for (int i = 0; i < head; i++) {
            if (!inHead[order[i] % clusters]) {
                inHead[order[i] % clusters] = true;
                headClusters++;
            }
        }
        assertEquals(clusters, headClusters, "the head samples every cluster");
        int switches = 0;
        for (int i = head + 1; i < N; i++) {
            switches += order[i] % clusters != order[i - 1] % clusters ? 1 : 0;
        }
        // sqrt(6000) = 77 centres: at most one run per centre; in the given order, a switch a row.
        assertTrue(switches <= 77, switches + " switches between clusters after the head");
        assertArrayEquals(order, ClusteredInsertOrder.of(rows, 5, 1), "the same on one thread");
        assertFalse(java.util.Arrays.equals(order, ClusteredInsertOrder.of(rows, 6, 2)));
    }

    @Test
    void shouldLeaveSmallBatchesInTheirOrder() {
        float[][] rows = RandomVectors.uniform(ClusteredInsertOrder.MIN_ROWS - 1, 4, 1);
        assertNull(ClusteredInsertOrder.of(rows, 1, ParallelFor.threads(1)));
        int[] order = ClusteredInsertOrder.of(rows, 1, 1);
        for (int i = 0; i < order.length; i++) {
            assertEquals(i, order[i]);
        }
    }

    @Test
    void shouldHoldTheSameElementsAndFindThemAsWell() {
        float[][] rows = RandomVectors.clustered(N, DIM, 30, 0.3, 3, 4);
        float[][] queries = RandomVectors.clustered(100, DIM, 30, 0.3, 3, 5);
        long[] labels = RandomVectors.sequentialLabels(N, 500);
        IndexConfig config =
                IndexConfig.builder(Space.L2, DIM).maxElements(N).m(8).efConstruction(80).build();
        double[] recall = new double[2];
        for (int run = 0; run < 2; run++) {
            try (HnswIndex index = HnswIndex.create(dir.resolve("i" + run), config)) {
                assertFalse(index.getClusteredInserts());
                index.setClusteredInserts(run == 1);
                assertEquals(run == 1, index.getClusteredInserts());
                index.addItems(rows, labels, 2);
                index.commit();
                assertTrue(index.verify().isEmpty(), index.verify().toString());
                assertEquals(N, index.size());
                for (int i = 0; i < N; i += 599) {
                    assertArrayEquals(rows[i], index.getItem(labels[i]));
                }
                recall[run] = recallAt10(index, rows, queries, labels);
            }
        }
        assertTrue(recall[1] >= recall[0] - 0.02, "recall " + recall[1] + " against " + recall[0]);
        assertTrue(recall[1] > 0.9, "recall " + recall[1]);

        try (HnswIndex reader = HnswIndex.open(dir.resolve("i1"))) {
            assertFalse(reader.getClusteredInserts());
            assertThrows(ReadOnlyIndexException.class, () -> reader.setClusteredInserts(true));
        }
    }

    @Test
    void shouldBuildTheSameIndexTwiceOnOneThread() {
        float[][] rows = RandomVectors.clustered(N, DIM, 30, 0.3, 3, 4);
        IndexConfig config =
                IndexConfig.builder(Space.L2, DIM).maxElements(N).m(8).efConstruction(40).build();
        IndexBuilder.build(
                dir.resolve("a"),
                config,
                rows,
                null,
                IndexBuilder.Options.threads(1).withClusteredInserts(true),
                null);
        IndexBuilder.build(
                dir.resolve("b"),
                config,
                rows,
                null,
                IndexBuilder.Options.threads(1).withClusteredInserts(true),
                null);
        try (HnswIndex a = HnswIndex.open(dir.resolve("a"));
                HnswIndex b = HnswIndex.open(dir.resolve("b"))) {
            for (int node = 0; node < N; node += 97) {
                assertEquals(a.store().labelOf(node), b.store().labelOf(node));
            }
            assertTrue(
                    a.store().labelOf(0) != 0 || a.store().labelOf(1) != 1, "not the given order");
            for (int q = 0; q < 50; q++) {
                assertArrayEquals(
                        a.knnQuery(rows[q * 7], 10, 40).labels(),
                        b.knnQuery(rows[q * 7], 10, 40).labels());
            }
        }
    }

    private static double recallAt10(
            HnswIndex index, float[][] rows, float[][] queries, long[] labels) {
        int[][] truth = BruteForce.knn(Space.L2, rows, queries, 10);
        long[][] found = new long[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            found[q] = index.knnQuery(queries[q], 10, 40).labels();
        }
        return BruteForce.recall(truth, found, labels, 10);
    }
}
