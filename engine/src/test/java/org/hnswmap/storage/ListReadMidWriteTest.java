package org.hnswmap.storage;

import static org.hnswmap.storage.AdjacencyDescriptor.COUNT_OFFSET;
import static org.hnswmap.storage.AdjacencyDescriptor.NEIGHBORS_OFFSET;
import static org.hnswmap.storage.AdjacencyDescriptor.VERSION_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hnswmap.graph.MutableGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A list read while its writer is stalled mid-write (preempted, or faulting a page in). The copy
 * such a read would take holds the zeros of slots not yet written: node 0, which has no list on an
 * upper level. An insert once linked it there (CI, two threads on two cores).
 */
class ListReadMidWriteTest {

    private static final int MAX_DEGREE = 8;
    private static final int BOUND = 100;

    @TempDir Path dir;

    @Test
    void shouldWaitForTheWriterWhenItIsLiveInThisProcess() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = listWith(arena, 5, 6, 7);
            startWrite(seg, 4); // count 4 stored, the fourth id (8) not yet
            CompletableFuture<int[]> read =
                    CompletableFuture.supplyAsync(
                            () -> readAll(seg, AdjacencyLists.OddListWait.liveWriter()));
            Thread.sleep(100);
            assertFalse(read.isDone(), "read a list whose writer is mid-write");
            finishWrite(seg, 3, 8);
            assertArrayEquals(new int[] {5, 6, 7, 8}, read.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldFailWhenTheLiveWriterNeverFinishes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = listWith(arena, 5, 6, 7);
            startWrite(seg, 4);
            AdjacencyLists.OddListWait shortWait =
                    new AdjacencyLists.OddListWait(20_000_000L, true);
            assertEquals(-1, AdjacencyLists.read(seg, 0, MAX_DEGREE, BOUND, new int[9], shortWait));
        }
    }

    @Test
    void shouldReadTheListAsItIsWhenItsWriterDiedInAnotherProcess() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = listWith(arena, 5, 6, 7);
            startWrite(seg, 4);
            seg.set(FilePreamble.INT, NEIGHBORS_OFFSET + 3L * Integer.BYTES, BOUND + 1);
            // a reader process: after its short wait, the copy, still range-checked
            assertArrayEquals(
                    new int[] {5, 6, 7}, readAll(seg, AdjacencyLists.OddListWait.reader()));
        }
    }

    /**
     * Once one list stayed odd past the wait (a dead writer or a damaged file, where many may), the
     * reader stops waiting: a search or verify must not pay the wait on every list.
     */
    @Test
    void shouldStopWaitingOnceAListProvedStuck() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = listWith(arena, 5, 6, 7);
            startWrite(seg, 3);
            AdjacencyLists.OddListWait wait = new AdjacencyLists.OddListWait(50_000_000L, false);
            assertArrayEquals(new int[] {5, 6, 7}, readAll(seg, wait));
            assertTrue(wait.stuckListSeen());
            assertTimeoutPreemptively(
                    Duration.ofSeconds(2), // 100 reads at 50 ms each would take 5 s
                    () -> {
                        for (int i = 0; i < 100; i++) {
                            assertEquals(3, readAll(seg, wait).length);
                            assertFalse(
                                    AdjacencyLists.checksumMismatch(
                                            seg, 0, MAX_DEGREE, true, wait));
                        }
                    });
            wait.forgetStuckLists();
            assertFalse(wait.stuckListSeen());
        }
    }

    /**
     * The graph refuses a list on a level above the node's top level: for a node with upper levels,
     * that write would land in the lists of the node allocated after it.
     */
    @Test
    void shouldRefuseAListAboveTheNodesTopLevel() {
        StoreConfig config = new StoreConfig(0, 4, 4, 8, 20, 0, 1, 0);
        try (IndexStore store = IndexStore.create(dir.resolve("s"), config, 10, 10)) {
            int flat = store.addNode(10, 0, new float[] {1, 0, 0, 0});
            int low = store.addNode(11, 1, new float[] {0, 1, 0, 0});
            int next = store.addNode(12, 1, new float[] {0, 0, 1, 0});
            MutableGraph graph = store.builderGraph();
            graph.setNeighbors(next, 1, new int[] {low}, 1);
            assertThrows(
                    IllegalStateException.class,
                    () -> graph.setNeighbors(flat, 1, new int[] {low}, 1));
            assertThrows(
                    IllegalStateException.class,
                    () -> graph.setNeighbors(low, 2, new int[] {flat}, 1));
            int[] ids = new int[8];
            assertEquals(1, graph.neighbors(next, 1, ids));
            assertEquals(low, ids[0], "the list of the next node was overwritten");
        }
    }

    /** A level-0 record (version 2) holding {@code ids}. */
    private static MemorySegment listWith(Arena arena, int... ids) {
        MemorySegment seg = arena.allocate(NEIGHBORS_OFFSET + MAX_DEGREE * Integer.BYTES, 64);
        AdjacencyLists.write(seg, 0, ids, ids.length);
        return seg;
    }

    /** What a writer has done when it stalls: version odd, new count stored, ids not yet. */
    private static void startWrite(MemorySegment seg, int count) {
        int version = seg.get(FilePreamble.INT, VERSION_OFFSET);
        seg.set(FilePreamble.INT, VERSION_OFFSET, version | 1);
        seg.set(FilePreamble.INT, COUNT_OFFSET, count);
    }

    private static void finishWrite(MemorySegment seg, int index, int id) {
        seg.set(FilePreamble.INT, NEIGHBORS_OFFSET + (long) index * Integer.BYTES, id);
        int odd = seg.get(FilePreamble.INT, VERSION_OFFSET);
        FilePreamble.ATOMIC_INT.setRelease(seg, (long) VERSION_OFFSET, odd + 1);
    }

    private static int[] readAll(MemorySegment seg, AdjacencyLists.OddListWait wait) {
        int[] dest = new int[MAX_DEGREE + 1];
        int n = AdjacencyLists.read(seg, 0, MAX_DEGREE, BOUND, dest, wait);
        return Arrays.copyOf(dest, n);
    }
}
