package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongPredicate;
import java.util.stream.IntStream;
import org.hnswmap.error.UnknownLabelException;
import org.hnswmap.testutil.BruteForce;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleted marks (writer now, readers at commit) and filtered search at 1, 10 and 50 % selectivity.
 */
class DeleteAndFilterTest {

    private static final int N = 4_000;
    private static final int DIM = 32;

    @TempDir Path dir;

    @Test
    void shouldHideDeletedElementsFromWriterAtOnceAndFromReadersAfterCommit() {
        float[][] data = RandomVectors.clustered(N, DIM, 40, 0.3, 1, 1);
        Path path = dir.resolve("d");
        try (HnswIndex writer =
                HnswIndex.create(path, IndexConfig.builder(Space.L2, DIM).maxElements(N).build())) {
            writer.addItems(data, RandomVectors.sequentialLabels(N, 0), -1);
            writer.commit();
            try (HnswIndex reader = HnswIndex.open(path)) {
                writer.markDeleted(7);
                writer.markDeleted(7); // harmless twice
                assertEquals(1, writer.getDeletedCount());
                assertTrue(writer.isMarkedDeleted(7));
                assertFalse(contains(writer.knnQuery(data[7], 10, 50).labels(), 7));
                assertEquals(
                        7,
                        reader.knnQuery(data[7], 1, 50).labels()[0],
                        "uncommitted delete is invisible");
                assertEquals(0, reader.getDeletedCount());
                writer.commit();
                reader.refresh();
                assertEquals(1, reader.getDeletedCount());
                assertFalse(contains(reader.knnQuery(data[7], 10, 50).labels(), 7));
                writer.unmarkDeleted(7);
                writer.commit();
                reader.refresh();
                assertEquals(7, reader.knnQuery(data[7], 1, 50).labels()[0]);
                assertArrayEquals(
                        data[7], reader.getItem(7), "deleted or not, the vector stays readable");
            }
            assertThrowsUnknown(() -> writer.markDeleted(123_456));
        }
    }

    @Test
    void shouldRestoreCommittedMarksWhenWriterReopensAfterUncommittedDeletes() {
        float[][] data = RandomVectors.uniform(500, 8, 2);
        Path path = dir.resolve("r");
        try (HnswIndex writer =
                HnswIndex.create(path, IndexConfig.builder(Space.L2, 8).maxElements(500).build())) {
            writer.addItems(data, RandomVectors.sequentialLabels(500, 0), 1);
            writer.markDeleted(1);
            writer.commit();
            writer.markDeleted(2);
            writer.unmarkDeleted(1);
        }
        try (HnswIndex writer = HnswIndex.openForWrite(path)) {
            assertEquals(1, writer.getDeletedCount());
            assertTrue(writer.isMarkedDeleted(1));
            assertFalse(writer.isMarkedDeleted(2));
            assertEquals(500, writer.getIdsList().length);
        }
    }

    @Test
    void shouldKeepRecallHighWhenFilterIsSelective() {
        float[][] data = RandomVectors.clustered(N, DIM, 40, 0.3, 3, 1);
        float[][] queries = RandomVectors.clustered(100, DIM, 40, 0.3, 3, 2);
        try (HnswIndex index =
                HnswIndex.create(
                        dir.resolve("f"),
                        IndexConfig.builder(Space.L2, DIM).maxElements(N).build())) {
            index.addItems(data, RandomVectors.sequentialLabels(N, 0), -1);
            index.markDeleted(5); // deleted elements never pass a filter
            StringBuilder report = new StringBuilder();
            for (int percent : new int[] {1, 10, 50}) {
                int modulus = 100 / percent;
                LongPredicate filter = label -> label % modulus == 0 && label != 5;
                int[] allowed = IntStream.range(0, N).filter(i -> filter.test(i)).toArray();
                float[][] allowedData =
                        Arrays.stream(allowed).mapToObj(i -> data[i]).toArray(float[][]::new);
                int[][] truth = BruteForce.knn(Space.L2, allowedData, queries, 10);
                long[] labelOf = Arrays.stream(allowed).asLongStream().toArray();
                long[][] byPredicate = new long[queries.length][];
                long[][] byList = new long[queries.length][];
                long[] allowList =
                        IntStream.range(0, N)
                                .filter(i -> i % modulus == 0)
                                .asLongStream()
                                .toArray();
                for (int q = 0; q < queries.length; q++) {
                    byPredicate[q] = index.knnQuery(queries[q], 10, 50, filter).labels();
                    byList[q] = index.knnQuery(queries[q], 10, 50, allowList).labels();
                    for (long label : byPredicate[q]) {
                        assertTrue(filter.test(label), "label " + label + " fails the filter");
                    }
                }
                double recallPredicate = BruteForce.recall(truth, byPredicate, labelOf, 10);
                double recallList = BruteForce.recall(truth, byList, labelOf, 10);
                report.append(
                        String.format(
                                "%d%%: recall@10 predicate %.3f, allow-list %.3f%n",
                                percent, recallPredicate, recallList));
                assertTrue(recallPredicate >= 0.95 && recallList >= 0.95, report.toString());
            }
            System.out.print(report);
        }
    }

    private static boolean contains(long[] labels, long label) {
        return Arrays.stream(labels).anyMatch(l -> l == label);
    }

    private static void assertThrowsUnknown(org.junit.jupiter.api.function.Executable call) {
        ErrorsTest.expect(UnknownLabelException.class, "no element with label", call);
    }
}
