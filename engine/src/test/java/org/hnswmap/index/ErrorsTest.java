package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hnswmap.error.DimensionMismatchException;
import org.hnswmap.error.DuplicateLabelException;
import org.hnswmap.error.HnswmapException;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.error.IndexClosedException;
import org.hnswmap.error.IndexFullException;
import org.hnswmap.error.InvalidVectorException;
import org.hnswmap.error.NotAnIndexException;
import org.hnswmap.error.ReadOnlyIndexException;
import org.hnswmap.error.UnknownLabelException;
import org.hnswmap.error.WriterLockedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every misuse raises its own exception, with a message naming the problem. */
class ErrorsTest {

    @TempDir Path dir;

    private HnswIndex smallIndex(Space space, long capacity) {
        HnswIndex index =
                HnswIndex.create(
                        dir.resolve("idx-" + space),
                        IndexConfig.builder(space, 4).maxElements(capacity).build());
        index.addItem(new float[] {1, 2, 3, 4}, 1);
        return index;
    }

    @Test
    void shouldRefuseWhenDimensionIsWrong() {
        try (HnswIndex index = smallIndex(Space.L2, 10)) {
            expect(
                    DimensionMismatchException.class,
                    "dimension 3",
                    () -> index.addItem(new float[] {1, 2, 3}, 2));
            expect(
                    DimensionMismatchException.class,
                    "dimension 5",
                    () -> index.knnQuery(new float[5], 1, 10));
            expect(
                    DimensionMismatchException.class,
                    "row 1",
                    () ->
                            index.addItems(
                                    new float[][] {new float[4], new float[2]},
                                    new long[] {7, 8},
                                    1));
            assertEquals(1, index.size(), "a failed batch inserts nothing");
        }
    }

    @Test
    void shouldRefuseWhenVectorHasNanOrInfinityOrIsZeroForCosine() {
        try (HnswIndex index = smallIndex(Space.L2, 10)) {
            expect(
                    InvalidVectorException.class,
                    "NaN",
                    () -> index.addItem(new float[] {1, Float.NaN, 3, 4}, 2));
            expect(
                    InvalidVectorException.class,
                    "Infinity",
                    () -> index.knnQuery(new float[] {1, Float.POSITIVE_INFINITY, 3, 4}, 1, 10));
            expect(InvalidVectorException.class, "null", () -> index.addItem(null, 3));
        }
        try (HnswIndex cosine = smallIndex(Space.COSINE, 10)) {
            expect(
                    InvalidVectorException.class,
                    "zero vector",
                    () -> cosine.addItem(new float[4], 2));
        }
    }

    @Test
    void shouldRefuseWhenLabelIsDuplicateOrUnknown() {
        try (HnswIndex index = smallIndex(Space.L2, 10)) {
            expect(
                    DuplicateLabelException.class,
                    "label 1",
                    () -> index.addNewItems(new float[][] {{4, 3, 2, 1}}, new long[] {1}, 1));
            expect(
                    DuplicateLabelException.class,
                    "twice",
                    () ->
                            index.addItems(
                                    new float[][] {new float[4], new float[4]},
                                    new long[] {5, 5},
                                    1));
            expect(UnknownLabelException.class, "label 99", () -> index.getItem(99));
        }
    }

    @Test
    void shouldRefuseWhenCapacityIsExceeded() {
        try (HnswIndex index = smallIndex(Space.L2, 2)) {
            index.addItem(new float[] {0, 0, 0, 1}, 2);
            expect(
                    IndexFullException.class,
                    "room for 0",
                    () -> index.addItem(new float[] {0, 0, 1, 0}, 3));
            expect(
                    IndexFullException.class,
                    "maxElements 2",
                    () -> index.addItems(new float[][] {new float[4]}, new long[] {4}, 1));
        }
    }

    @Test
    void shouldRefuseWhenSearchParametersAreOutOfRange() {
        try (HnswIndex index = smallIndex(Space.L2, 10)) {
            expect(
                    IllegalParameterException.class,
                    "ef (5) must be at least k (10)",
                    () -> index.knnQuery(new float[4], 10, 5));
            // hnswlib's knn_query: with the default ef (10 here) a larger k searches with k
            index.addItems(new float[][] {{1, 2, 3, 4}, {2, 3, 4, 5}}, new long[] {101, 102}, 1);
            assertEquals(10, index.getEf());
            assertEquals(
                    "HnswIndex["
                            + index.directory()
                            + ", writer, L2, dim 4, 3 elements (0 deleted), capacity 10, M 16,"
                            + " efConstruction 200, ef 10, float32 traversal, commit 1]",
                    index.toString());
            assertEquals(3, index.knnQuery(new float[] {1, 2, 3, 4}, 20).labels().length);
            assertEquals(
                    3,
                    index.knnQuery(new float[][] {{1, 2, 3, 4}}, 20, 1).labels()[0].length,
                    "the batch overload with the default ef");
            expect(
                    IllegalParameterException.class,
                    "k must be at least 1",
                    () -> index.knnQuery(new float[4], 0, 5));
            expect(
                    IllegalParameterException.class,
                    "numThreads",
                    () -> index.knnQuery(new float[][] {new float[4]}, 1, 5, 0));
            expect(
                    IllegalParameterException.class,
                    "ef must be 1..1048576, not 0",
                    () -> index.setEf(0));
            expect(
                    IllegalParameterException.class,
                    "ef must be 1..1048576, not 2147483647",
                    () -> index.setEf(Integer.MAX_VALUE));
            expect(
                    IllegalParameterException.class,
                    "must be at most 1048576",
                    () -> index.knnQuery(new float[] {1, 2, 3, 4}, 1, Integer.MAX_VALUE));
        }
        expect(
                IllegalParameterException.class,
                "M must be",
                () -> IndexConfig.builder(Space.L2, 4).m(1).build());
        expect(
                IllegalParameterException.class,
                "dimension",
                () -> IndexConfig.builder(Space.L2, 0).build());
    }

    @Test
    void shouldRefuseWhenUsedAfterClose() {
        HnswIndex index = smallIndex(Space.L2, 10);
        index.close();
        index.close(); // idempotent
        expect(IndexClosedException.class, "closed", () -> index.knnQuery(new float[4], 1, 10));
        expect(IndexClosedException.class, "closed", () -> index.addItem(new float[4], 5));
        expect(IndexClosedException.class, "closed", () -> index.commit());
    }

    @Test
    void shouldRefuseWritesWhenOpenedReadOnly() {
        Path path;
        try (HnswIndex index = smallIndex(Space.L2, 10)) {
            index.commit();
            path = index.directory();
        }
        try (HnswIndex reader = HnswIndex.open(path)) {
            expect(
                    ReadOnlyIndexException.class,
                    "read-only",
                    () -> reader.addItem(new float[4], 9));
            expect(ReadOnlyIndexException.class, "read-only", reader::commit);
            assertEquals(1, reader.knnQuery(new float[] {1, 2, 3, 4}, 1, 10).labels()[0]);
        }
    }

    @Test
    void shouldRefuseSecondWriterWhenSameJvm() {
        try (HnswIndex index = smallIndex(Space.L2, 10)) {
            index.commit();
            expect(
                    WriterLockedException.class,
                    "already open for writing",
                    () -> HnswIndex.openForWrite(index.directory()));
            try (HnswIndex reader = HnswIndex.open(index.directory())) {
                assertEquals(1, reader.size(), "readers are not blocked by the writer");
            }
        }
    }

    @Test
    void shouldRefuseWhenDirectoryIsNotAnIndexOrAlreadyHoldsOne() {
        expect(
                NotAnIndexException.class,
                "not an hnswmap index",
                () -> HnswIndex.open(dir.resolve("nothing-here")));
        try (HnswIndex index = smallIndex(Space.L2, 10)) {
            expect(
                    HnswmapException.class,
                    "already holds an index",
                    () ->
                            HnswIndex.create(
                                    index.directory(), IndexConfig.builder(Space.L2, 4).build()));
        }
    }

    static <T extends Throwable> void expect(Class<T> type, String messagePart, Executable call) {
        T e = assertThrows(type, call);
        assertTrue(
                e.getMessage().contains(messagePart),
                "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
    }
}
