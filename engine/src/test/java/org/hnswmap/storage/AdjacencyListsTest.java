package org.hnswmap.storage;

import static org.hnswmap.storage.AdjacencyDescriptor.COPY_COUNT_OFFSET;
import static org.hnswmap.storage.AdjacencyDescriptor.COPY_NEIGHBORS_OFFSET;
import static org.hnswmap.storage.AdjacencyDescriptor.VERSION_OFFSET;
import static org.hnswmap.storage.AdjacencyDescriptor.copyOffset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hnswmap.graph.MutableGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Neighbour lists kept per commit: a reader of commit C reads C's list whatever the writer writes
 * in later generations; the writer's own threads read its newest list and never one mid-write.
 */
class AdjacencyListsTest {

    private static final int MAX_DEGREE = 8;
    private static final int BOUND = 100;

    @TempDir Path dir;

    @Test
    void shouldReadTheCommittedListWhileTheWriterChangesItInLaterGenerations() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = record(arena);
            AdjacencyLists.write(seg, 0, MAX_DEGREE, new int[] {1, 2, 3}, 3, 2);
            // commit 2; the writer works in 3, twice on the same list (the second in place)
            AdjacencyLists.write(seg, 0, MAX_DEGREE, new int[] {4, 5}, 2, 3);
            AdjacencyLists.write(seg, 0, MAX_DEGREE, new int[] {6}, 1, 3);
            assertArrayEquals(new int[] {1, 2, 3}, committed(seg, 2));
            assertArrayEquals(new int[] {6}, newest(seg));
            // commit 3; the writer works in 4: it takes over commit 2's copy, never commit 3's
            AdjacencyLists.write(seg, 0, MAX_DEGREE, new int[] {7, 8}, 2, 4);
            assertArrayEquals(new int[] {6}, committed(seg, 3));
            assertArrayEquals(new int[] {7, 8}, newest(seg));
            // a reader still on commit 2 lost its copy: it reads the closest newer commit's list
            assertArrayEquals(new int[] {6}, committed(seg, 2));
        }
    }

    @Test
    void shouldLeaveTheCommittedListBitForBitWhenUncommittedCopiesAreDropped() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = record(arena);
            AdjacencyLists.write(seg, 0, MAX_DEGREE, new int[] {1, 2, 3}, 3, 2);
            byte[] before = seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            AdjacencyLists.write(seg, 0, MAX_DEGREE, new int[] {9, 10}, 2, 3);
            assertTrue(AdjacencyLists.dropUncommitted(seg, 0, 2));
            assertArrayEquals(new int[] {1, 2, 3}, newest(seg), "the writer starts from commit 2");
            long copy0 = copyOffset(0, MAX_DEGREE);
            assertArrayEquals(
                    Arrays.copyOfRange(before, (int) copy0, (int) copy0 + 20),
                    Arrays.copyOfRange(
                            seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                            (int) copy0,
                            (int) copy0 + 20));
            // the next session works in 3 again and must not resume the dropped copy
            AdjacencyLists.write(seg, 0, MAX_DEGREE, new int[] {4}, 1, 3);
            assertArrayEquals(new int[] {1, 2, 3}, committed(seg, 2));
            assertFalse(AdjacencyLists.dropUncommitted(seg, 0, 3), "nothing after commit 3");
        }
    }

    @Test
    void shouldChooseTheCopyOfTheReadersCommit() {
        assertEquals(1, AdjacencyLists.choose(2, 3, 3));
        assertEquals(0, AdjacencyLists.choose(2, 3, 2), "3 is after the reader's commit");
        assertEquals(0, AdjacencyLists.choose(5, 4, 9));
        assertEquals(1, AdjacencyLists.choose(0, 4, 9), "an empty copy is never the newest");
        assertEquals(0, AdjacencyLists.choose(4, 5, 3), "both newer: the closer one");
        assertEquals(1, AdjacencyLists.choose(5, 4, 3));
    }

    @Test
    void shouldMatchTheStoredChecksumOnlyForTheCopysOwnGeneration() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = record(arena);
            AdjacencyLists.write(seg, 0, MAX_DEGREE, new int[] {1, 2, 3}, 3, 2);
            AdjacencyLists.StoredCopy copy = AdjacencyLists.stored(seg, 0, MAX_DEGREE, 2, false);
            assertTrue(copy.checksumMatches());
            assertEquals(2, copy.generation());
            seg.set(FilePreamble.LONG, AdjacencyDescriptor.GENERATION0_OFFSET, 1L);
            assertFalse(
                    AdjacencyLists.stored(seg, 0, MAX_DEGREE, 2, false).checksumMatches(),
                    "a damaged generation is seen");
        }
    }

    @Test
    void shouldWaitForTheWriterWhenItIsLiveInThisProcess() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = record(arena);
            AdjacencyLists.write(seg, 0, MAX_DEGREE, new int[] {5, 6, 7}, 3, 2);
            startWrite(seg, 4, 0); // count 4 stored, the fourth id (8) not yet
            CompletableFuture<int[]> read = CompletableFuture.supplyAsync(() -> newest(seg));
            Thread.sleep(100);
            assertFalse(read.isDone(), "read a list whose writer is mid-write");
            finishWrite(seg, 3, 8);
            assertArrayEquals(new int[] {5, 6, 7, 8}, read.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldFailWhenTheLiveWriterNeverFinishes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = record(arena);
            AdjacencyLists.write(seg, 0, MAX_DEGREE, new int[] {5, 6, 7}, 3, 2);
            // commit 2; the writer, in 3, stalls after taking over copy 1
            seg.set(FilePreamble.LONG, AdjacencyDescriptor.GENERATION1_OFFSET, 3L);
            startWrite(seg, 4, 1);
            AdjacencyLists.OddListWait shortWait = new AdjacencyLists.OddListWait(20_000_000L);
            assertEquals(-1, AdjacencyLists.read(seg, 0, MAX_DEGREE, BOUND, new int[9], shortWait));
            assertArrayEquals(
                    new int[] {5, 6, 7}, committed(seg, 2), "a reader never waits on the lock");
        }
    }

    /**
     * The graph refuses a list on a level above the node's top level: for a node with upper levels,
     * that write would land in the lists of the node allocated after it.
     */
    @Test
    void shouldRefuseAListAboveTheNodesTopLevel() {
        StoreConfig config = new StoreConfig(0, 4, 4, 8, 20, 0, 1, 0);
        try (StoreWriter store = IndexStore.create(dir.resolve("s"), config, 10, 10)) {
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

    private static MemorySegment record(Arena arena) {
        return arena.allocate(AdjacencyDescriptor.recordStride(MAX_DEGREE), 64);
    }

    /** What a writer has done when it stalls: version odd, new count stored, ids not yet. */
    private static void startWrite(MemorySegment seg, int count, int copy) {
        int version = seg.get(FilePreamble.INT, VERSION_OFFSET);
        seg.set(FilePreamble.INT, VERSION_OFFSET, version | 1);
        seg.set(FilePreamble.INT, copyOffset(copy, MAX_DEGREE) + COPY_COUNT_OFFSET, count);
    }

    private static void finishWrite(MemorySegment seg, int index, int id) {
        seg.set(
                FilePreamble.INT,
                copyOffset(0, MAX_DEGREE) + COPY_NEIGHBORS_OFFSET + (long) index * Integer.BYTES,
                id);
        int odd = seg.get(FilePreamble.INT, VERSION_OFFSET);
        FilePreamble.ATOMIC_INT.setRelease(seg, (long) VERSION_OFFSET, odd + 1);
    }

    private static int[] newest(MemorySegment seg) {
        int[] dest = new int[MAX_DEGREE + 1];
        int n =
                AdjacencyLists.read(
                        seg, 0, MAX_DEGREE, BOUND, dest, AdjacencyLists.OddListWait.liveWriter());
        return Arrays.copyOf(dest, n);
    }

    private static int[] committed(MemorySegment seg, long generation) {
        int[] dest = new int[MAX_DEGREE + 1];
        int n = AdjacencyLists.readCommitted(seg, 0, MAX_DEGREE, BOUND, generation, dest);
        return Arrays.copyOf(dest, n);
    }
}
