package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.Space;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files over 2 GiB and 4 GiB, as sparse files: a capacity of 20 million 64-d vectors makes a 5.1 GB
 * vectors file and a 2.7 GB level-0 file without writing gigabytes.
 */
class LargeFileTest {

    private static final long CAPACITY = 20_000_000L;
    private static final int DIM = 64;

    @TempDir Path dir;

    @Test
    void shouldStoreAndReadNodesPast4GiBWhenCapacityIsLarge() {
        Path indexDir = dir.resolve("big");
        StoreConfig config =
                new StoreConfig(MetaHeaderDescriptor.SPACE_L2, DIM, 16, 32, 100, 0, 1, 0);
        try (StoreWriter store = IndexStore.create(indexDir, config, CAPACITY, 10)) {
            MappedVectors vectors = (MappedVectors) store.vectors();
            int high = (int) CAPACITY - 1;
            long rowOffset = VectorsDescriptor.rowOffset(high, config.vectorStride());
            assertTrue(rowOffset > 4L << 30, "row offset " + rowOffset + " should be past 4 GiB");
            float[] v = RandomVectors.uniform(1, DIM, 5)[0];
            vectors.write(high, v);
            assertArrayEquals(v, vectors.read(high));
            assertEquals(0f, store.vectors().distanceBetween(high, high));

            long listOffset = AdjacencyDescriptor.level0RecordOffset(high, config.level0Stride());
            assertTrue(
                    listOffset > 2L << 30, "list offset " + listOffset + " should be past 2 GiB");
        }
        assertTrue(sizeOf(indexDir.resolve(IndexFileNames.VECTORS)) > 5_000_000_000L);
        assertTrue(sizeOf(indexDir.resolve(IndexFileNames.LEVEL0)) > 2_600_000_000L);
    }

    @Test
    void shouldInsertCommitAndReopenWhenFilesExceed4GiB() {
        Path indexDir = dir.resolve("api");
        float[][] data = RandomVectors.uniform(500, DIM, 6);
        IndexConfig config = IndexConfig.builder(Space.L2, DIM).maxElements(CAPACITY).build();
        try (HnswIndex index = HnswIndex.create(indexDir, config)) {
            index.addItems(data, RandomVectors.sequentialLabels(500, 0), -1);
            index.commit();
        }
        long start = System.nanoTime();
        try (HnswIndex reader = HnswIndex.open(indexDir)) {
            long openNanos = System.nanoTime() - start;
            assertEquals(500, reader.size());
            assertEquals(CAPACITY, reader.getMaxElements());
            assertTrue(reader.fileSizeBytes() > 7_000_000_000L);
            assertEquals(42, reader.knnQuery(data[42], 1, 10).labels()[0]);
            System.out.printf(
                    "opened a %.1f GB index in %.2f ms%n",
                    reader.fileSizeBytes() / 1e9, openNanos / 1e6);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
