package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hnswmap.error.NotAnIndexException;
import org.hnswmap.storage.IndexFileNames;
import org.hnswmap.storage.QuantizedVectorsDescriptor;
import org.hnswmap.testutil.BruteForce;
import org.hnswmap.testutil.FileBytes;
import org.hnswmap.testutil.RandomVectors;
import org.hnswmap.testutil.SearchChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Int8 traversal: the graph is walked on {@code vectors.i8} and results re-ranked in float32, so
 * recall stays that of the float32 index and returned distances are exact; the int8 rows follow
 * every write (insert, update, replace-deleted, resize) and are verified.
 */
class Int8TraversalTest {

    private static final int DIM = 24;
    private static final int N = 3_000;

    @TempDir Path dir;

    private static IndexConfig config(Space space, boolean int8, long capacity) {
        return IndexConfig.builder(space, DIM)
                .maxElements(capacity)
                .m(12)
                .efConstruction(100)
                .allowReplaceDeleted(true)
                .int8Traversal(int8)
                .build();
    }

    @ParameterizedTest
    @EnumSource(Space.class)
    void shouldKeepFloatRecallAndExactDistancesWhenTraversingInt8(Space space) {
        float[][] data = RandomVectors.clustered(N, DIM, 30, 0.4, 2, 7);
        float[][] queries = RandomVectors.clustered(200, DIM, 30, 0.4, 2, 8);
        long[] labels = RandomVectors.sequentialLabels(N, 0);
        int[][] truth = BruteForce.knn(space, data, queries, 10);
        try (HnswIndex plain = HnswIndex.create(dir.resolve("f"), config(space, false, N));
                HnswIndex int8 = HnswIndex.create(dir.resolve("q"), config(space, true, N))) {
            plain.addItems(data, labels, 1);
            int8.addItems(data, labels, 1);
            assertTrue(int8.int8Traversal());
            assertTrue(Files.exists(dir.resolve("q").resolve(IndexFileNames.QUANTIZED)));
            assertFalse(Files.exists(dir.resolve("f").resolve(IndexFileNames.QUANTIZED)));
            for (int ef : new int[] {10, 40}) {
                double plainRecall = SearchChecks.recall(plain, queries, truth, ef);
                double int8Recall = SearchChecks.recall(int8, queries, truth, ef);
                assertTrue(
                        int8Recall >= plainRecall - 0.03,
                        space + " ef " + ef + ": int8 " + int8Recall + " vs float " + plainRecall);
            }
            SearchChecks.assertExactAscending(space, int8, queries, data, 20);
            assertEquals(List.of(), int8.verify());
        }
    }

    @Test
    void shouldKeepInt8RowsInStepWhenUpdatingReplacingAndResizing() {
        Path path = dir.resolve("w");
        float[][] data = RandomVectors.uniform(600, DIM, 3);
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, true, 700))) {
            w.addItems(data, RandomVectors.sequentialLabels(600, 0), 2);
            w.commit();
            float[][] moved = RandomVectors.uniform(50, DIM, 4);
            w.addItems(moved, RandomVectors.sequentialLabels(50, 0), 1); // updates
            for (long label = 100; label < 120; label++) {
                w.markDeleted(label);
            }
            w.commit();
            float[][] fresh = RandomVectors.uniform(20, DIM, 5);
            w.addItems(fresh, RandomVectors.sequentialLabels(20, 10_000), 1, true);
            w.resizeIndex(1_100);
            float[][] more = RandomVectors.uniform(300, DIM, 6);
            w.addItems(more, RandomVectors.sequentialLabels(300, 20_000), 2);
            w.commit();
            assertEquals(List.of(), w.verify());
            assertEquals(7, w.knnQuery(moved[7], 1, 50).labels()[0]);
            assertEquals(10_003, w.knnQuery(fresh[3], 1, 50).labels()[0]);
            assertEquals(20_299, w.knnQuery(more[299], 1, 50).labels()[0]);
        }
        try (HnswIndex r = HnswIndex.open(path)) {
            assertEquals(List.of(), r.verify());
            assertTrue(r.int8Traversal());
            assertArrayEquals(new long[] {20_299}, r.knnQuery(more(), 1, 50).labels());
        }
    }

    private static float[] more() {
        return RandomVectors.uniform(300, DIM, 6)[299];
    }

    @Test
    void shouldReportInt8RowThatDisagreesWithItsFloatRow() throws IOException {
        Path path = dir.resolve("v");
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, true, 100))) {
            w.addItems(RandomVectors.uniform(100, DIM, 1), RandomVectors.sequentialLabels(100, 0));
            w.commit();
        }
        int stride = QuantizedVectorsDescriptor.rowStride(DIM);
        long code5OfNode9 =
                QuantizedVectorsDescriptor.rowOffset(9, stride)
                        + QuantizedVectorsDescriptor.CODES_OFFSET
                        + 5;
        FileBytes.flipByte(path.resolve(IndexFileNames.QUANTIZED), code5OfNode9);
        try (HnswIndex r = HnswIndex.open(path)) {
            List<String> problems = r.verify();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(
                    problems.get(0).contains("node 9")
                            && problems.get(0).contains(IndexFileNames.QUANTIZED)
                            && problems.get(0).contains("code 5"),
                    problems.get(0));
        }
    }

    @Test
    void shouldRefuseToOpenWhenInt8FileIsMissingOrShort() throws IOException {
        Path path = dir.resolve("m");
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, true, 100))) {
            w.addItems(RandomVectors.uniform(10, DIM, 1), RandomVectors.sequentialLabels(10, 0));
            w.commit();
        }
        Path file = path.resolve(IndexFileNames.QUANTIZED);
        long length = Files.size(file);
        FileBytes.truncate(file, length - 1);
        Exception shortFile = assertThrows(RuntimeException.class, () -> HnswIndex.open(path));
        assertTrue(
                shortFile.getMessage().contains(IndexFileNames.QUANTIZED), shortFile.getMessage());
        Files.delete(file);
        NotAnIndexException missing =
                assertThrows(NotAnIndexException.class, () -> HnswIndex.open(path));
        assertTrue(missing.getMessage().contains(IndexFileNames.QUANTIZED), missing.getMessage());
    }
}
