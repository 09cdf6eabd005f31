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
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.error.IndexFullException;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hnswlib's resize_index, with a reader open across the growth. */
class ResizeTest {

    static final int DIM = 12;
    @TempDir Path dir;

    @Test
    void shouldGrowAFullIndexWhileAReaderStaysOpen() throws IOException {
        float[][] first = RandomVectors.uniform(100, DIM, 1);
        float[][] more = RandomVectors.uniform(900, DIM, 2);
        IndexConfig config = IndexConfig.builder(Space.L2, DIM).maxElements(100).m(8).build();
        try (HnswIndex writer = HnswIndex.create(dir, config)) {
            writer.addItems(first, RandomVectors.sequentialLabels(100, 0), 2);
            writer.commit();
            try (HnswIndex reader = HnswIndex.open(dir)) {
                assertThrows(IndexFullException.class, () -> writer.addItem(more[0], 100));

                writer.resizeIndex(1_000);

                assertEquals(1_000, writer.getMaxElements());
                assertEquals(List.of("labels-2048.tab"), labelTables());
                writer.addItems(more, RandomVectors.sequentialLabels(900, 100), 2);
                writer.commit();
                assertEquals(100, reader.size(), "a reader keeps its commit until refresh");
                assertEquals(7, reader.knnQuery(first[7], 1, 50).labels()[0]);
                assertArrayEquals(first[3], reader.getItem(3), "old label table still mapped");

                assertTrue(reader.refresh());
                assertEquals(1_000, reader.size());
                assertEquals(1_000, reader.getMaxElements());
                assertEquals(555, reader.knnQuery(more[455], 1, 50).labels()[0]);
                assertArrayEquals(more[899], reader.getItem(999));
                assertTrue(reader.verify().isEmpty(), reader.verify().toString());
            }
            assertTrue(writer.verify().isEmpty(), writer.verify().toString());
        }
        try (HnswIndex reopened = HnswIndex.open(dir)) {
            assertEquals(1_000, reopened.size());
            assertArrayEquals(first[42], reopened.getItem(42));
        }
    }

    @Test
    void shouldRefuseToShrinkAndIgnoreTheSameSize() {
        IndexConfig config = IndexConfig.builder(Space.L2, DIM).maxElements(50).build();
        try (HnswIndex writer = HnswIndex.create(dir, config)) {
            writer.addItems(
                    RandomVectors.uniform(20, DIM, 1), RandomVectors.sequentialLabels(20, 0), 1);
            long generation = writer.commitGeneration();
            writer.resizeIndex(50);
            assertEquals(generation, writer.commitGeneration());
            assertThrows(IllegalParameterException.class, () -> writer.resizeIndex(30));
            writer.resizeIndex(60); // same label-table size: no new table, still a commit
            assertEquals(60, writer.getMaxElements());
            assertTrue(writer.verify().isEmpty());
        }
    }

    @Test
    void shouldForgetAResizeThatNeverCommittedAndItsTable() throws IOException {
        IndexConfig config = IndexConfig.builder(Space.L2, DIM).maxElements(10).build();
        try (HnswIndex writer = HnswIndex.create(dir, config)) {
            writer.addItems(
                    RandomVectors.uniform(10, DIM, 1), RandomVectors.sequentialLabels(10, 0), 1);
            writer.commit();
        }
        Files.write(dir.resolve("labels-4096.tab"), new byte[100]); // left by a killed resize
        try (HnswIndex writer = HnswIndex.openForWrite(dir)) {
            assertEquals(List.of("labels-32.tab"), labelTables());
            assertEquals(10, writer.getMaxElements());
            assertFalse(writer.verify().iterator().hasNext());
        }
    }

    private List<String> labelTables() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("labels-"))
                    .sorted()
                    .toList();
        }
    }
}
