package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongPredicate;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.error.UnknownLabelException;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a user porting from hnswlib relies on its behaviour: threads, batch filters, get_items. */
class HnswlibBehaviourTest {

    @TempDir Path dir;

    private HnswIndex build(Path at, int rows) {
        HnswIndex index =
                HnswIndex.create(
                        at, IndexConfig.builder(Space.L2, 16).maxElements(rows).m(8).build());
        index.addItems(
                RandomVectors.uniform(rows, 16, 1), RandomVectors.sequentialLabels(rows, 0), 1);
        return index;
    }

    @Test
    void shouldRefuseDeletedElementsInGetItemsAsHnswlibDoes() {
        try (HnswIndex index = build(dir.resolve("i"), 50)) {
            float[] before = index.getItem(7);
            index.markDeleted(7);

            UnknownLabelException e =
                    assertThrows(UnknownLabelException.class, () -> index.getItem(7));
            assertTrue(e.getMessage().contains("marked deleted"), e.getMessage());
            assertThrows(UnknownLabelException.class, () -> index.getItems(new long[] {1, 7}));

            index.unmarkDeleted(7);
            assertArrayEquals(before, index.getItem(7));
        }
    }

    @Test
    void shouldUseTheThreadCountSetWhenACallGivesNone() {
        try (HnswIndex index = build(dir.resolve("i"), 10)) {
            assertEquals(Runtime.getRuntime().availableProcessors(), index.getNumThreads());
            index.setNumThreads(3);
            assertEquals(3, index.getNumThreads());
            assertThrows(IllegalParameterException.class, () -> index.setNumThreads(0));
            assertThrows(
                    IllegalParameterException.class,
                    () -> index.knnQuery(new float[][] {new float[16]}, 1, 10, -2));
            assertEquals(1, index.knnQuery(new float[][] {new float[16]}, 1).size());
        }
    }

    @Test
    void shouldFilterEachRowOfABatchAsASingleQuery() {
        try (HnswIndex index = build(dir.resolve("i"), 400)) {
            float[][] queries = RandomVectors.uniform(30, 16, 9);
            LongPredicate even = label -> label % 2 == 0;

            BatchSearchResult batch = index.knnQuery(queries, 5, 40, even, 2);

            for (int q = 0; q < queries.length; q++) {
                SearchResult single = index.knnQuery(queries[q], 5, 40, even);
                assertArrayEquals(single.labels(), batch.labels()[q], "query " + q);
                for (long label : batch.labels()[q]) {
                    assertEquals(0, label % 2);
                }
            }
            assertThrows(
                    IllegalParameterException.class,
                    () -> index.knnQuery(queries, 5, 40, (LongPredicate) null, 2));
        }
    }

    @Test
    void shouldRunBatchesOnTheCallersExecutor() throws Exception {
        float[][] rows = RandomVectors.uniform(300, 16, 1);
        long[] labels = RandomVectors.sequentialLabels(300, 0);
        float[][] queries = RandomVectors.uniform(40, 16, 2);
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();
                HnswIndex index =
                        HnswIndex.create(
                                dir.resolve("i"),
                                IndexConfig.builder(Space.L2, 16).maxElements(300).build())) {
            index.addItems(rows, labels, virtual);
            assertEquals(300, index.size());
            for (int i = 0; i < rows.length; i += 37) {
                assertEquals(labels[i], index.knnQuery(rows[i], 1, 50).labels()[0]);
            }

            ExecutorService pool = Executors.newFixedThreadPool(3);
            BatchSearchResult onPool = index.knnQuery(queries, 10, 50, null, pool);
            BatchSearchResult onThreads = index.knnQuery(queries, 10, 50, 2);
            for (int q = 0; q < queries.length; q++) {
                assertArrayEquals(onThreads.labels()[q], onPool.labels()[q]);
            }

            pool.shutdown();
            IllegalParameterException refused =
                    assertThrows(
                            IllegalParameterException.class,
                            () -> index.knnQuery(queries, 10, 50, null, pool));
            assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
            assertThrows(
                    IllegalParameterException.class,
                    () -> index.knnQuery(queries, 10, 50, null, (ExecutorService) null));
        }
    }
}
