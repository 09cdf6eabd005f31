package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hnswmap.error.HnswmapException;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.testutil.RandomVectors;
import org.hnswmap.tools.TraversalKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A reordered copy holds the same index under new node ids and answers exactly as the source. */
class LocalityReorderTest {

    private static final int N = 3_000;
    private static final int DIM = 24;

    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({
        "L2, FLOAT32",
        "COSINE, FLOAT32",
        "IP, INT8",
        "L2, BINARY",
        "COSINE, BINARY",
        "COSINE, INT4"
    })
    void shouldAnswerExactlyAsTheSourceUnderNewIds(Space space, TraversalKind traversal) {
        float[][] rows = RandomVectors.clustered(N, DIM, 12, 0.3, 5, 6);
        float[][] queries = RandomVectors.clustered(60, DIM, 12, 0.3, 5, 7);
        long[] labels = RandomVectors.sequentialLabels(N, 1_000);
        IndexConfig config =
                traversal
                        .configure(IndexConfig.builder(space, DIM))
                        .maxElements(N + 100)
                        .m(8)
                        .efConstruction(60)
                        .ef(33)
                        .build();
        try (HnswIndex source = HnswIndex.create(dir.resolve("source"), config)) {
            source.addItems(rows, labels, 2);
            for (int i = 0; i < N; i += 97) {
                source.markDeleted(labels[i]);
            }
            source.commit();
            try (HnswIndex reader = HnswIndex.open(dir.resolve("source"));
                    HnswIndex copy = LocalityReorder.copy(reader, dir.resolve("copy"))) {
                assertTrue(copy.verify().isEmpty(), copy.verify().toString());
                assertEquals(N, copy.size());
                assertEquals(source.getDeletedCount(), copy.getDeletedCount());
                assertEquals(33, copy.getEf());
                assertEquals(source.getMaxElements(), copy.getMaxElements());
                assertEquals(traversal == TraversalKind.INT8, copy.int8Traversal());
                assertEquals(traversal == TraversalKind.BINARY, copy.binaryTraversal());
                assertEquals(traversal == TraversalKind.INT4, copy.int4Traversal());
                assertRenumbered(reader, copy);
                for (long label : new long[] {1_001, 1_500, 1_000 + N - 1}) {
                    assertArrayEquals(reader.getItem(label), copy.getItem(label));
                    assertFalse(copy.isMarkedDeleted(label));
                }
                assertTrue(copy.isMarkedDeleted(1_000));
                assertTrue(copy.isMarkedDeleted(1_000 + 97));
                for (int ef : new int[] {10, 40, 120}) {
                    BatchSearchResult expected = reader.knnQuery(queries, 10, ef, 1);
                    BatchSearchResult actual = copy.knnQuery(queries, 10, ef, 1);
                    for (int q = 0; q < queries.length; q++) {
                        assertArrayEquals(expected.labels()[q], actual.labels()[q], "ef " + ef);
                        assertArrayEquals(
                                expected.distances()[q], actual.distances()[q], "ef " + ef);
                    }
                }
            }
            try (HnswIndex reopened = HnswIndex.openForWrite(dir.resolve("copy"))) {
                reopened.addItem(rows[0], 1);
                reopened.commit();
                assertEquals(N + 1, reopened.size());
                assertTrue(reopened.contains(1));
                assertTrue(reopened.verify().isEmpty(), reopened.verify().toString());
            }
        }
    }

    /** The copy's node ids hold the same elements in another order, with the same levels. */
    private static void assertRenumbered(HnswIndex source, HnswIndex copy) {
        int n = source.store().searchView().nodeBound();
        assertEquals(n, copy.store().searchView().nodeBound());
        java.util.Map<Long, Integer> levelOf = new java.util.HashMap<>();
        int moved = 0;
        for (int node = 0; node < n; node++) {
            levelOf.put(source.store().labelOf(node), source.store().levelOf(node));
        }
        for (int node = 0; node < n; node++) {
            long label = copy.store().labelOf(node);
            assertEquals(levelOf.get(label), copy.store().levelOf(node), "level of " + label);
            moved += label != source.store().labelOf(node) ? 1 : 0;
        }
        assertTrue(moved > n / 2, moved + " of " + n + " nodes moved");
        assertEquals(
                source.store().labelOf(source.store().searchView().entryPoint()),
                copy.store().labelOf(copy.store().searchView().entryPoint()));
    }

    @Test
    void shouldRefuseSlotsRetiredByUpdatesAndAnExistingIndex() {
        float[][] rows = RandomVectors.uniform(200, 8, 3);
        IndexConfig config = IndexConfig.builder(Space.L2, 8).maxElements(400).build();
        try (HnswIndex index = HnswIndex.create(dir.resolve("a"), config)) {
            index.addItems(rows, RandomVectors.sequentialLabels(200, 0), 1);
            index.commit();
            HnswmapException existing =
                    assertThrows(
                            HnswmapException.class,
                            () -> LocalityReorder.copy(index, dir.resolve("a")));
            assertTrue(
                    existing.getMessage().contains(dir.resolve("a").toString()),
                    existing::getMessage);
            index.addItem(rows[1], 0); // an update: node 0 is retired
            index.commit();
            IllegalParameterException e =
                    assertThrows(
                            IllegalParameterException.class,
                            () -> LocalityReorder.copy(index, dir.resolve("b")));
            assertTrue(e.getMessage().contains("replaced by updates"), e::getMessage);
            assertFalse(
                    java.nio.file.Files.exists(dir.resolve("b").resolve("index.meta")),
                    "nothing written");
        }
    }

    @Test
    void shouldCopyAnEmptyIndex() {
        IndexConfig config = IndexConfig.builder(Space.L2, 4).maxElements(10).build();
        try (HnswIndex empty = HnswIndex.create(dir.resolve("e"), config);
                HnswIndex copy = LocalityReorder.copy(empty, dir.resolve("f"))) {
            assertEquals(0, copy.size());
            assertTrue(copy.verify().isEmpty());
            copy.addItem(new float[] {1, 2, 3, 4}, 9);
            assertEquals(9, copy.knnQuery(new float[] {1, 2, 3, 4}, 1).labels()[0]);
        }
    }
}
