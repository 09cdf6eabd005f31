package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.DimensionMismatchException;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BruteForceFilesTest {

    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(Space.class)
    void shouldAnswerTheSameWhenSavedAndLoaded(Space space) throws IOException {
        float[][] data = RandomVectors.uniform(500, 13, 3);
        long[] labels = RandomVectors.sequentialLabels(data.length, 7_000);
        BruteForceIndex index = new BruteForceIndex(space, 13, 800);
        index.addItems(data, labels);
        index.removeItem(7_010);
        Path file = dir.resolve("bf.bin");

        index.save(file);
        BruteForceIndex loaded = BruteForceIndex.load(file, space, 13);

        assertEquals(499, loaded.size());
        assertEquals(800, loaded.getMaxElements());
        assertEquals(24 + 800L * (13 * 4 + 8), fileSize(file));
        for (float[] q : RandomVectors.uniform(20, 13, 4)) {
            SearchResult a = index.knnQuery(q, 10);
            SearchResult b = loaded.knnQuery(q, 10);
            assertArrayEquals(a.labels(), b.labels());
            assertArrayEquals(a.distances(), b.distances());
        }
        assertArrayEquals(index.getItem(7_499), loaded.getItem(7_499));
        assertThrows(org.hnswmap.error.UnknownLabelException.class, () -> loaded.getItem(7_010));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left beside the saved one");
        }
    }

    /** The bytes as hnswlib's {@code BruteforceSearch::saveIndex} lays them out. */
    @Test
    void shouldReadTheLayoutHnswlibWrites() throws IOException {
        int dim = 3;
        int slot = dim * 4 + 8;
        ByteBuffer b = ByteBuffer.allocate(24 + 4 * slot).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(4).putLong(slot).putLong(2);
        b.putFloat(1f).putFloat(0f).putFloat(0f).putLong(-5L);
        b.putFloat(0f).putFloat(2f).putFloat(0f).putLong(1L << 40);
        while (b.hasRemaining()) {
            b.put((byte) 0x7f); // hnswlib leaves unused slots as its buffer held them
        }
        Path file = dir.resolve("hnswlib-bf.bin");
        Files.write(file, b.array());

        BruteForceIndex loaded = BruteForceIndex.load(file, Space.L2, dim);

        assertEquals(2, loaded.size());
        assertEquals(4, loaded.getMaxElements());
        assertEquals(-5L, loaded.knnQuery(new float[] {0.9f, 0f, 0f}, 1).labels()[0]);
        assertEquals(1L << 40, loaded.knnQuery(new float[] {0f, 3f, 0f}, 1).labels()[0]);
        assertArrayEquals(new float[] {0f, 2f, 0f}, loaded.getItem(1L << 40));
    }

    @Test
    void shouldNameTheProblemWhenTheFileDoesNotFit() throws IOException {
        BruteForceIndex index =
                BruteForceIndex.of(
                        Space.L2,
                        RandomVectors.uniform(10, 4, 1),
                        new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        Path file = dir.resolve("bf.bin");
        index.save(file);

        DimensionMismatchException wrongDim =
                assertThrows(
                        DimensionMismatchException.class,
                        () -> BruteForceIndex.load(file, Space.L2, 5));
        assertTrue(
                wrongDim.getMessage().contains("the file has dimension 4"), wrongDim.getMessage());

        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, 24 + 3 * 24));
        assertThrows(
                CorruptIndexException.class, () -> BruteForceIndex.load(truncated, Space.L2, 4));

        Path twice = dir.resolve("twice.bin");
        byte[] duplicate = bytes.clone();
        // Slot 1's label becomes slot 0's.
        System.arraycopy(duplicate, 24 + 16, duplicate, 24 + 24 + 16, 8);
        Files.write(twice, duplicate);
        CorruptIndexException dup =
                assertThrows(
                        CorruptIndexException.class,
                        () -> BruteForceIndex.load(twice, Space.L2, 4));
        assertTrue(dup.getMessage().contains("stored twice"), dup.getMessage());

        Path header = dir.resolve("header.bin");
        Files.write(header, new byte[10]);
        assertThrows(CorruptIndexException.class, () -> BruteForceIndex.load(header, Space.L2, 4));
        assertThrows(
                IndexIOException.class,
                () -> BruteForceIndex.load(dir.resolve("missing.bin"), Space.L2, 4));
        assertFalse(Files.exists(dir.resolve("missing.bin")));
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
