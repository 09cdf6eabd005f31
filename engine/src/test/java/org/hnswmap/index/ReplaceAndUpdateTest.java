package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.error.IndexFullException;
import org.hnswmap.error.UnknownLabelException;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hnswlib's update (add_items on a present label) and replace_deleted, with live readers. */
class ReplaceAndUpdateTest {

    static final int DIM = 16;
    @TempDir Path dir;

    /** n elements; capacity n, plus 10 spare slots when slots are not reused. */
    private HnswIndex build(int n, boolean allowReplace) {
        return build(n, allowReplace, allowReplace ? 0 : 10);
    }

    private HnswIndex build(int n, boolean allowReplace, int spare) {
        IndexConfig config =
                IndexConfig.builder(Space.L2, DIM)
                        .maxElements(n + spare)
                        .m(8)
                        .efConstruction(64)
                        .allowReplaceDeleted(allowReplace)
                        .build();
        HnswIndex index = HnswIndex.create(dir, config);
        index.addItems(RandomVectors.uniform(n, DIM, 1), RandomVectors.sequentialLabels(n, 0), 2);
        index.commit();
        return index;
    }

    @Test
    void shouldServeTheNewVectorAfterAnUpdateAndTheOldOneToEarlierReaders() {
        try (HnswIndex writer = build(1_000, false)) {
            float[] old = writer.getItem(5);
            float[] fresh = RandomVectors.uniform(1, DIM, 99)[0];
            try (HnswIndex reader = HnswIndex.open(dir)) {
                writer.addItem(fresh, 5);

                assertArrayEquals(fresh, writer.getItem(5));
                SearchResult r = writer.knnQuery(fresh, 1, 50);
                assertEquals(5, r.labels()[0]);
                assertEquals(0f, r.distances()[0]);
                SearchResult nearOld = writer.knnQuery(old, 10, 50);
                assertTrue(nearOld.distances()[0] > 0f, "the old vector is no longer stored");
                assertEquals(1_000, writer.size());
                assertEquals(0, writer.getDeletedCount());
                assertEquals(1_000, writer.getIdsList().length);

                assertArrayEquals(old, reader.getItem(5), "a reader keeps its commit's vector");
                writer.commit();
                assertTrue(reader.refresh());
                assertArrayEquals(fresh, reader.getItem(5));
                assertEquals(0, reader.getDeletedCount());
                assertEquals(1_000, reader.size());
                assertEquals(5, reader.knnQuery(fresh, 1, 50).labels()[0]);
            }
            assertTrue(writer.verify().isEmpty(), writer.verify().toString());
        }
    }

    @Test
    void shouldReuseDeletedSlotsWhenFullAndNeverReturnTheOldLabels() {
        int n = 1_000;
        try (HnswIndex writer = build(n, true)) {
            for (long label = 0; label < 100; label++) {
                writer.markDeleted(label);
            }
            assertThrows(
                    IndexFullException.class,
                    () -> writer.addItems(new float[][] {new float[DIM]}, new long[] {5_000}, 1));
            writer.commit();
            assertEquals(100, writer.getDeletedCount());
            float[][] fresh = RandomVectors.uniform(100, DIM, 7);
            long[] labels = RandomVectors.sequentialLabels(100, 10_000);

            writer.addItems(fresh, labels, 2, true);

            assertEquals(n, writer.size());
            assertEquals(0, writer.getDeletedCount());
            int found = 0;
            for (int i = 0; i < fresh.length; i++) {
                SearchResult r = writer.knnQuery(fresh[i], 10, 100);
                found += r.labels()[0] == labels[i] ? 1 : 0;
                assertTrue(
                        Arrays.stream(r.labels()).allMatch(l -> l >= 100),
                        "an old label came back");
            }
            assertTrue(found >= 98, "only " + found + " of 100 reused elements find themselves");
            assertThrows(UnknownLabelException.class, () -> writer.getItem(3));
            assertTrue(writer.verify().isEmpty(), writer.verify().toString());
            writer.commit();
        }
        try (HnswIndex reopened = HnswIndex.open(dir)) {
            assertTrue(reopened.verify().isEmpty(), reopened.verify().toString());
            assertEquals(n, reopened.size());
            Set<Long> ids = new HashSet<>();
            for (long id : reopened.getIdsList()) {
                ids.add(id);
            }
            assertTrue(ids.contains(10_000L) && !ids.contains(0L));
        }
    }

    @Test
    void shouldHideSlotsReusedAfterAReadersCommit() {
        try (HnswIndex writer = build(500, true)) {
            writer.markDeleted(7);
            writer.commit();
            try (HnswIndex reader = HnswIndex.open(dir)) {
                float[] fresh = RandomVectors.uniform(1, DIM, 5)[0];
                writer.addItems(new float[][] {fresh}, new long[] {777}, 1, true);
                writer.commit();
                assertEquals(777, writer.knnQuery(fresh, 1, 50).labels()[0]);

                assertFalse(reader.contains(777), "reused after the reader's commit");
                assertTrue(
                        Arrays.stream(reader.knnQuery(fresh, 10, 100).labels())
                                .noneMatch(l -> l == 777 || l == 7));
                assertTrue(reader.verify().isEmpty(), reader.verify().toString());

                reader.refresh();
                assertEquals(777, reader.knnQuery(fresh, 1, 50).labels()[0]);
            }
        }
    }

    @Test
    void shouldDropUncommittedReplacementsAndUpdatesWhenTheWriterStopsWithoutCommit() {
        float[] old;
        try (HnswIndex writer = build(300, true, 1)) {
            old = writer.getItem(1);
            writer.markDeleted(2);
            writer.commit();
            writer.addItem(RandomVectors.uniform(1, DIM, 3)[0], 1);
            writer.addItem(RandomVectors.uniform(1, DIM, 4)[0], 900, true);
            assertTrue(writer.contains(900));
        }
        try (HnswIndex writer = HnswIndex.openForWrite(dir)) {
            assertTrue(writer.verify().isEmpty(), writer.verify().toString());
            assertArrayEquals(old, writer.getItem(1), "the committed vector of label 1");
            assertFalse(writer.contains(900));
            // The slot reused by the uncommitted replace stays free; the deleted element it held
            // (label 2) lost its label with it (storage-format.md, commit protocol).
            assertFalse(writer.contains(2));
            assertEquals(0, writer.getDeletedCount());
            assertEquals(299, writer.size());
            writer.addItem(RandomVectors.uniform(1, DIM, 4)[0], 901, true);
            assertEquals(901, writer.knnQuery(writer.getItem(901), 1, 50).labels()[0]);
            assertEquals(300, writer.size());
            assertTrue(writer.verify().isEmpty(), writer.verify().toString());
            writer.commit();
        }
        try (HnswIndex reader = HnswIndex.open(dir)) {
            assertTrue(reader.verify().isEmpty(), reader.verify().toString());
            assertEquals(300, reader.size());
        }
    }

    @Test
    void shouldKeepRecallWhenAThirdOfTheElementsAreUpdatedThroughReusedSlots() {
        int n = 2_000;
        float[][] current = RandomVectors.uniform(n, DIM, 1);
        try (HnswIndex writer = build(n, true, 100)) {
            for (int round = 0; round < 6; round++) {
                float[][] fresh = RandomVectors.uniform(100, DIM, 100 + round);
                long[] labels = new long[100];
                for (int i = 0; i < 100; i++) {
                    labels[i] = round * 100L + i;
                    current[(int) labels[i]] = fresh[i];
                }
                writer.addItems(fresh, labels, 2);
                writer.commit(); // frees the old slots for the next round's updates
            }
            assertEquals(n, writer.size());
            assertTrue(writer.getMaxElements() == n + 100, "updates reused retired slots");
            float[][] queries = RandomVectors.uniform(100, DIM, 9);
            int[][] truth = org.hnswmap.testutil.BruteForce.knn(Space.L2, current, queries, 10);
            long[][] found = writer.knnQuery(queries, 10, 100, 2).labels();
            double recall =
                    org.hnswmap.testutil.BruteForce.recall(
                            truth, found, RandomVectors.sequentialLabels(n, 0), 10);
            assertTrue(recall > 0.95, "recall@10 " + recall);
            assertTrue(writer.verify().isEmpty(), writer.verify().toString());
        }
    }

    @Test
    void shouldRefuseReplaceDeletedWhenTheIndexDoesNotAllowIt() {
        try (HnswIndex writer = build(10, false)) {
            assertThrows(
                    IllegalParameterException.class,
                    () ->
                            writer.addItems(
                                    new float[][] {new float[DIM]}, new long[] {50}, 1, true));
        }
    }
}
