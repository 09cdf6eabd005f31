package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hnswmap.graph.MutableGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link org.hnswmap.graph.GraphView#touchNeighbors} on mapped lists: a search loads the lines of
 * the next candidate's level-0 record ahead of reading it only when the records in use exceed
 * {@link GraphData#TOUCH_LISTS_ABOVE_BYTES}, and the value it returns comes from those lines (or,
 * where {@link NativePrefetch} prefetches them instead, is 0). The suite's scalar run takes the
 * pure-Java path ({@code -Dhnswmap.prefetch=touch}).
 */
class ListTouchTest {

    private static final int M = 4;

    @TempDir Path dir;

    @Test
    void shouldLoadTheRecordLinesOnlyWhenTheListsInUseExceedTheCaches() throws IOException {
        StoreConfig config =
                new StoreConfig(
                        MetaHeaderDescriptor.SPACE_L2,
                        4,
                        M,
                        2 * M,
                        20,
                        MetaHeaderDescriptor.FLAG_LEVEL0_COPIES_APART,
                        1,
                        0);
        Path index = dir.resolve("t");
        try (StoreWriter writer = IndexStore.create(index, config, 16, 10)) {
            for (int i = 0; i < 10; i++) {
                writer.addNode(i, 0, new float[] {i, 0, 0, 0});
            }
            MutableGraph graph = writer.builderGraph();
            graph.setEntryPoint(0, 0);
            graph.setNeighbors(1, 0, new int[] {2, 3, 4, 5, 6, 7, 8, 9}, 2 * M); // a full list
            assertEquals(0, graph.touchNeighbors(1, 0), "10 records stay cached");
            writer.commit(10);
        }
        try (IndexStore store = IndexStore.open(index, false)) {
            assertEquals(0, store.searchView().touchNeighbors(1, 0), "10 records stay cached");
            int stride = config.level0Stride();
            assertEquals(64, stride, "at M 4 a record is one line: header, then copy 0");
            int atThreshold = (int) (GraphData.TOUCH_LISTS_ABOVE_BYTES / stride);
            assertEquals(0, store.graph.touchLevel0(1, atThreshold));
            // one load at the record's start (its sequence word) and one at the end of copy 0
            // (the last of the 8 ids: 9)
            ByteBuffer file =
                    ByteBuffer.wrap(Files.readAllBytes(index.resolve(IndexFileNames.LEVEL0)))
                            .order(ByteOrder.LITTLE_ENDIAN);
            int record = (int) AdjacencyDescriptor.level0RecordOffset(1, stride);
            assertEquals(9, file.getInt(record + stride - Integer.BYTES));
            // with the prefetch library the lines are prefetched instead, and nothing is loaded
            assertEquals(
                    NativePrefetch.available()
                            ? 0
                            : file.getInt(record + AdjacencyDescriptor.VERSION_OFFSET) ^ 9,
                    store.graph.touchLevel0(1, atThreshold + 1));
        }
    }
}
