package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.storage.BinaryVectorsDescriptor;
import org.hnswmap.storage.IndexFileNames;
import org.hnswmap.testutil.BruteForce;
import org.hnswmap.testutil.FileBytes;
import org.hnswmap.testutil.RandomVectors;
import org.hnswmap.testutil.SearchChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One-bit traversal: the graph is walked on {@code vectors.b1} (RaBitQ estimates) and results are
 * re-ranked in float32, so returned distances are exact and recall stays close to the float32
 * index's; the centroid is fixed by the first insert and survives reopening; rows follow every
 * write and are verified.
 */
class BinaryTraversalTest {

    private static final int DIM = 128;
    private static final int N = 3_000;

    @TempDir Path dir;

    private static IndexConfig config(Space space, boolean binary, long capacity) {
        return IndexConfig.builder(space, DIM)
                .maxElements(capacity)
                .m(12)
                .efConstruction(100)
                .allowReplaceDeleted(true)
                .binaryTraversal(binary)
                .build();
    }

    @ParameterizedTest
    @EnumSource(Space.class)
    void shouldKeepRecallAndExactDistancesWhenTraversingOneBitCodes(Space space) {
        float[][] data = RandomVectors.clustered(N, DIM, 30, 0.4, 2, 7);
        float[][] queries = RandomVectors.clustered(200, DIM, 30, 0.4, 2, 8);
        long[] labels = RandomVectors.sequentialLabels(N, 0);
        int[][] truth = BruteForce.knn(space, data, queries, 10);
        try (HnswIndex plain = HnswIndex.create(dir.resolve("f"), config(space, false, N));
                HnswIndex binary = HnswIndex.create(dir.resolve("b"), config(space, true, N))) {
            plain.addItems(data, labels, 1);
            binary.addItems(data, labels, 1);
            assertTrue(binary.binaryTraversal());
            assertFalse(binary.int8Traversal());
            assertTrue(Files.exists(dir.resolve("b").resolve(IndexFileNames.BINARY)));
            assertFalse(Files.exists(dir.resolve("f").resolve(IndexFileNames.BINARY)));
            double plainRecall = SearchChecks.recall(plain, queries, truth, 40);
            double binaryRecall = SearchChecks.recall(binary, queries, truth, 40);
            assertTrue(
                    binaryRecall >= plainRecall - 0.05,
                    space + ": one-bit " + binaryRecall + " vs float " + plainRecall);
            assertTrue(
                    SearchChecks.recall(binary, queries, truth, 80) > binaryRecall - 1e-9,
                    "a wider beam finds no less");
            SearchChecks.assertExactAscending(space, binary, queries, data, 20);
            assertEquals(List.of(), binary.verify());
        }
    }

    @Test
    void shouldKeepRowsInStepWhenUpdatingReplacingResizingAndReopening() {
        Path path = dir.resolve("w");
        float[][] data = RandomVectors.clustered(600, DIM, 10, 0.4, 2, 3);
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, true, 700))) {
            w.addItem(data[0], 0); // a one-row first insert still fixes a centroid
            w.addItems(data, RandomVectors.sequentialLabels(600, 0), 2);
            w.commit();
            float[][] moved = RandomVectors.clustered(50, DIM, 10, 0.4, 2, 4);
            w.addItems(moved, RandomVectors.sequentialLabels(50, 0), 1); // updates
            for (long label = 100; label < 120; label++) {
                w.markDeleted(label);
            }
            w.commit();
            float[][] fresh = RandomVectors.clustered(20, DIM, 10, 0.4, 2, 5);
            w.addItems(fresh, RandomVectors.sequentialLabels(20, 10_000), 1, true);
            w.resizeIndex(1_100);
            float[][] more = RandomVectors.clustered(300, DIM, 10, 0.4, 2, 6);
            w.addItems(more, RandomVectors.sequentialLabels(300, 20_000), 2);
            w.commit();
            assertEquals(List.of(), w.verify());
            assertEquals(7, w.knnQuery(moved[7], 1, 50).labels()[0]);
            assertEquals(10_003, w.knnQuery(fresh[3], 1, 50).labels()[0]);
            assertEquals(20_299, w.knnQuery(more[299], 1, 50).labels()[0]);
        }
        try (HnswIndex r = HnswIndex.open(path)) {
            assertEquals(List.of(), r.verify());
            assertTrue(r.binaryTraversal());
            float[] last = RandomVectors.clustered(300, DIM, 10, 0.4, 2, 6)[299];
            assertEquals(20_299, r.knnQuery(last, 1, 50).labels()[0]);
        }
    }

    @Test
    void shouldFindRowsWhenReaderOpenedBeforeFirstInsert() {
        Path path = dir.resolve("e");
        float[][] data = RandomVectors.clustered(200, DIM, 5, 0.4, 2, 9);
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, true, 300))) {
            w.commit();
            try (HnswIndex r = HnswIndex.open(path)) {
                assertEquals(0, r.knnQuery(data[0], 5, 10).labels().length);
                w.addItems(data, RandomVectors.sequentialLabels(200, 0), 2);
                w.commit();
                r.refresh();
                assertEquals(42, r.knnQuery(data[42], 1, 40).labels()[0]);
                assertEquals(List.of(), r.verify());
            }
        }
    }

    @Test
    void shouldReportCodeWordOrCentroidThatDisagreesWithStoredData() throws IOException {
        Path path = dir.resolve("v");
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, true, 100))) {
            w.addItems(RandomVectors.uniform(100, DIM, 1), RandomVectors.sequentialLabels(100, 0));
            w.commit();
        }
        Path file = path.resolve(IndexFileNames.BINARY);
        long word1OfNode9 =
                BinaryVectorsDescriptor.rowOffset(9, DIM)
                        + BinaryVectorsDescriptor.CODES_OFFSET
                        + Long.BYTES;
        FileBytes.flipByte(file, word1OfNode9);
        try (HnswIndex r = HnswIndex.open(path)) {
            List<String> problems = r.verify();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(
                    problems.get(0).contains("node 9")
                            && problems.get(0).contains(IndexFileNames.BINARY)
                            && problems.get(0).contains("code word 1"),
                    problems.get(0));
        }
        FileBytes.flipByte(file, word1OfNode9);
        FileBytes.flipByte(
                file,
                BinaryVectorsDescriptor.DATA_OFFSET + BinaryVectorsDescriptor.CENTROID_OFFSET + 3);
        try (HnswIndex r = HnswIndex.open(path)) {
            List<String> problems = r.verify();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).contains("centroid"), problems.get(0));
        }
    }

    @Test
    void shouldRefuseBothTraversalCopiesAndAMissingFile() throws IOException {
        IllegalParameterException both =
                assertThrows(
                        IllegalParameterException.class,
                        () ->
                                IndexConfig.builder(Space.L2, DIM)
                                        .int8Traversal(true)
                                        .binaryTraversal(true)
                                        .build());
        assertTrue(both.getMessage().contains("binaryTraversal"), both.getMessage());
        Path path = dir.resolve("m");
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, true, 100))) {
            w.addItems(RandomVectors.uniform(10, DIM, 1), RandomVectors.sequentialLabels(10, 0));
            w.commit();
        }
        Path file = path.resolve(IndexFileNames.BINARY);
        FileBytes.truncate(file, Files.size(file) - 1);
        Exception shortFile = assertThrows(RuntimeException.class, () -> HnswIndex.open(path));
        assertTrue(shortFile.getMessage().contains(IndexFileNames.BINARY), shortFile.getMessage());
        Files.delete(file);
        Exception missing = assertThrows(RuntimeException.class, () -> HnswIndex.open(path));
        assertTrue(missing.getMessage().contains(IndexFileNames.BINARY), missing.getMessage());
    }
}
