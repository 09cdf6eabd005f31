package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.graph.GraphView;
import org.hnswmap.graph.MutableGraph;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Level-0 lists through real files, with their second copies in the record (indexes without {@code
 * FLAG_LEVEL0_COPIES_APART}) and apart in {@code level0.alt}: a build committed once writes no
 * second copy; later commits do, and readers of every commit read that commit's lists.
 */
class SecondCopiesTest {

    private static final int M = 4;
    private static final int CAPACITY = 16;

    @TempDir Path dir;

    private static StoreConfig config(boolean apart) {
        return new StoreConfig(
                MetaHeaderDescriptor.SPACE_L2,
                4,
                M,
                2 * M,
                20,
                apart ? MetaHeaderDescriptor.FLAG_LEVEL0_COPIES_APART : 0,
                1,
                0);
    }

    private static int[] list(GraphView graph, int node) {
        int[] ids = new int[2 * M + 1];
        return Arrays.copyOf(ids, graph.neighbors(node, 0, ids));
    }

    @ParameterizedTest(name = "copies apart: {0}")
    @ValueSource(booleans = {false, true})
    void shouldKeepEachCommitsListsWithTheSecondCopiesInTheirPlace(boolean apart)
            throws IOException {
        Path index = dir.resolve("s");
        Path alt = index.resolve(IndexFileNames.LEVEL0_ALT);
        try (StoreWriter writer = IndexStore.create(index, config(apart), CAPACITY, 10)) {
            for (int i = 0; i < 4; i++) {
                writer.addNode(i, 0, new float[] {i, 0, 0, 0});
            }
            MutableGraph graph = writer.builderGraph();
            graph.setEntryPoint(0, 0);
            graph.setNeighbors(0, 0, new int[] {1, 2}, 2);
            graph.setNeighbors(0, 0, new int[] {1, 2, 3}, 3); // same generation: in place
            graph.setNeighbors(1, 0, new int[] {0}, 1);
            writer.commit(10);
            assertFalse(Files.exists(alt), "one commit needs no second copy");
            long stride = config(apart).level0Stride();
            assertEquals(apart ? 24 + 8 + 4 * 2 * M : 24 + 2 * (8 + 4 * 2 * M), stride);
            assertEquals(
                    AdjacencyDescriptor.level0FileLength(CAPACITY, (int) stride),
                    Files.size(index.resolve(IndexFileNames.LEVEL0)));

            try (IndexStore first = IndexStore.open(index, false)) {
                assertArrayEquals(new int[] {1, 2, 3}, list(first.searchView(), 0));
                graph.setNeighbors(0, 0, new int[] {3}, 1); // generation 2: the second copy
                assertEquals(apart, Files.exists(alt), "created when first needed");
                assertArrayEquals(new int[] {3}, list(graph, 0), "the writer reads its newest");
                assertArrayEquals(
                        new int[] {1, 2, 3}, list(first.searchView(), 0), "readers keep commit 1");
                writer.commit(10);
                assertArrayEquals(new int[] {1, 2, 3}, list(first.searchView(), 0));
                assertTrue(first.refresh());
                assertArrayEquals(new int[] {3}, list(first.searchView(), 0), "after refresh");
                assertEquals(List.of(), first.verify());

                graph.setNeighbors(0, 0, new int[] {2}, 1); // generation 3: copy 0 again
                graph.setNeighbors(1, 0, new int[] {2}, 1); // its first change: copy 1
                writer.commit(10);
                try (IndexStore third = IndexStore.open(index, false)) {
                    assertArrayEquals(new int[] {2}, list(third.searchView(), 0));
                    assertArrayEquals(new int[] {2}, list(third.searchView(), 1));
                    assertEquals(List.of(), third.verify());
                }
                assertArrayEquals(new int[] {3}, list(first.searchView(), 0), "still commit 2");
                assertArrayEquals(new int[] {0}, list(first.searchView(), 1));
                assertEquals(List.of(), writer.verify());
            }
            writer.resize(2 * CAPACITY, 10);
            if (apart) {
                assertEquals(
                        AdjacencyDescriptor.level0AltFileLength(
                                2 * CAPACITY, config(true).level0CopyStride()),
                        Files.size(alt),
                        "a resize extends the second copies");
            }
        }
        try (IndexStore reopened = IndexStore.open(index, false)) {
            assertArrayEquals(new int[] {2}, list(reopened.searchView(), 0));
            assertArrayEquals(new int[] {2}, list(reopened.searchView(), 1));
            assertEquals(List.of(), reopened.verify());
        }
    }

    /**
     * A reader that opened before {@code level0.alt} existed and never refreshed: when a list
     * changed in two later commits (the second copy, in the file it has not mapped, then the first
     * copy again), it reads the first copy, a later commit's list as the format allows a lagging
     * reader, and its verify agrees.
     */
    @org.junit.jupiter.api.Test
    void shouldServeALaggingReaderThatOpenedBeforeTheFileExisted() {
        Path index = dir.resolve("v");
        try (StoreWriter writer = IndexStore.create(index, config(true), CAPACITY, 10)) {
            for (int i = 0; i < 3; i++) {
                writer.addNode(i, 0, new float[] {i, 0, 0, 0});
            }
            MutableGraph graph = writer.builderGraph();
            graph.setEntryPoint(0, 0);
            graph.setNeighbors(0, 0, new int[] {1}, 1);
            writer.commit(10);
            try (IndexStore lagging = IndexStore.open(index, false)) {
                graph.setNeighbors(0, 0, new int[] {2}, 1); // copy 1, in the new level0.alt
                writer.commit(10);
                graph.setNeighbors(0, 0, new int[] {1, 2}, 2); // copy 0 again
                writer.commit(10);
                assertTrue(Files.exists(index.resolve(IndexFileNames.LEVEL0_ALT)));
                assertArrayEquals(new int[] {1, 2}, list(lagging.searchView(), 0));
                assertEquals(List.of(), lagging.verify());
                assertTrue(lagging.refresh());
                assertArrayEquals(new int[] {1, 2}, list(lagging.searchView(), 0));
                assertEquals(List.of(), lagging.verify());
            }
        }
    }

    /**
     * Two nodes, 0 linked to 1, committed; with {@code relink}, node 0's list emptied in a second
     * commit (its second copy, so {@code level0.alt} exists).
     */
    private static void twoNodes(Path index, boolean relink) {
        try (StoreWriter writer = IndexStore.create(index, config(true), CAPACITY, 10)) {
            writer.addNode(0, 0, new float[] {1, 0, 0, 0});
            writer.addNode(1, 0, new float[] {0, 1, 0, 0});
            writer.builderGraph().setEntryPoint(0, 0);
            writer.builderGraph().setNeighbors(0, 0, new int[] {1}, 1);
            writer.commit(10);
            if (relink) {
                writer.builderGraph().setNeighbors(0, 0, new int[] {}, 0);
                writer.commit(10);
            }
        }
    }

    /** A crash while {@code level0.alt} was being created leaves only its temporary file. */
    @ParameterizedTest(name = "writer open: {0}")
    @ValueSource(booleans = {false, true})
    void shouldIgnoreAndRemoveAHalfCreatedFile(boolean writerOpen) throws IOException {
        Path index = dir.resolve("t");
        twoNodes(index, false);
        Path temporary = index.resolve(IndexFileNames.LEVEL0_ALT + ".tmp");
        Files.write(temporary, new byte[] {1, 2, 3});
        try (IndexStore store = IndexStore.open(index, writerOpen)) {
            assertArrayEquals(new int[] {1}, list(store.searchView(), 0));
            assertEquals(List.of(), store.verify());
        }
        assertEquals(!writerOpen, Files.exists(temporary), "the writer open deletes it");
        assertFalse(Files.exists(index.resolve(IndexFileNames.LEVEL0_ALT)));
    }

    /** A {@code level0.alt} that the lists need but that is gone is reported, not read. */
    @ParameterizedTest(name = "writer open: {0}")
    @ValueSource(booleans = {false, true})
    void shouldReportAMissingSecondCopiesFile(boolean writerOpen) throws IOException {
        Path index = dir.resolve("u");
        twoNodes(index, true);
        Files.delete(index.resolve(IndexFileNames.LEVEL0_ALT));
        try (IndexStore store = IndexStore.open(index, writerOpen)) {
            List<String> problems = store.verify();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).contains("level0.alt does not exist"), problems.get(0));
            int[] ids = new int[2 * M + 1];
            CorruptIndexException e =
                    assertThrows(
                            CorruptIndexException.class,
                            () -> store.searchView().neighbors(0, 0, ids));
            assertTrue(e.getMessage().contains("level0.alt: missing"), e.getMessage());
            assertEquals(1, store.searchView().neighbors(1, 0, ids) + 1, "other lists still read");
        }
    }
}
