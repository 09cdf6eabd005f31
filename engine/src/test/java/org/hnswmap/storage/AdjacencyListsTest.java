package org.hnswmap.storage;

import static org.hnswmap.storage.AdjacencyDescriptor.COPY_COUNT_OFFSET;
import static org.hnswmap.storage.AdjacencyDescriptor.COPY_NEIGHBORS_OFFSET;
import static org.hnswmap.storage.AdjacencyDescriptor.VERSION_OFFSET;
import static org.hnswmap.storage.AdjacencyDescriptor.copyOffset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Neighbour lists kept per commit: a reader of commit C reads C's list whatever the writer writes
 * in later generations; the writer's own threads read its newest list and never one mid-write.
 */
class AdjacencyListsTest {

    private static final int MAX_DEGREE = 8;
    private static final int BOUND = 100;

    @TempDir Path dir;

    @ParameterizedTest(name = "copy 1 apart: {0}")
    @ValueSource(booleans = {false, true})
    void shouldReadTheCommittedListWhileTheWriterChangesItInLaterGenerations(boolean apart) {
        try (Arena arena = Arena.ofConfined()) {
            Lists lists = Lists.of(arena, apart);
            lists.write(new int[] {1, 2, 3}, 2);
            // commit 2; the writer works in 3, twice on the same list (the second in place)
            lists.write(new int[] {4, 5}, 3);
            lists.write(new int[] {6}, 3);
            assertArrayEquals(new int[] {1, 2, 3}, lists.committed(2));
            assertArrayEquals(new int[] {6}, lists.newest());
            // commit 3; the writer works in 4: it takes over commit 2's copy, never commit 3's
            lists.write(new int[] {7, 8}, 4);
            assertArrayEquals(new int[] {6}, lists.committed(3));
            assertArrayEquals(new int[] {7, 8}, lists.newest());
            // a reader still on commit 2 lost its copy: it reads the closest newer commit's list
            assertArrayEquals(new int[] {6}, lists.committed(2));
        }
    }

    @ParameterizedTest(name = "copy 1 apart: {0}")
    @ValueSource(booleans = {false, true})
    void shouldLeaveTheCommittedListBitForBitWhenUncommittedCopiesAreDropped(boolean apart) {
        try (Arena arena = Arena.ofConfined()) {
            Lists lists = Lists.of(arena, apart);
            MemorySegment seg = lists.seg();
            lists.write(new int[] {1, 2, 3}, 2);
            byte[] before = seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            lists.write(new int[] {9, 10}, 3);
            assertTrue(AdjacencyListWriter.dropUncommitted(seg, 0, 2));
            assertArrayEquals(
                    new int[] {1, 2, 3}, lists.newest(), "the writer starts from commit 2");
            long copy0 = copyOffset(0, MAX_DEGREE);
            assertArrayEquals(
                    Arrays.copyOfRange(before, (int) copy0, (int) copy0 + 20),
                    Arrays.copyOfRange(
                            seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                            (int) copy0,
                            (int) copy0 + 20));
            // the next session works in 3 again and must not resume the dropped copy
            lists.write(new int[] {4}, 3);
            assertArrayEquals(new int[] {1, 2, 3}, lists.committed(2));
            assertFalse(AdjacencyListWriter.dropUncommitted(seg, 0, 3), "nothing after commit 3");
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

    /**
     * A cleared list never writes its second copy (with copies apart, {@code level0.alt} need not
     * exist for it), and a copy tagged as holding nothing reads as empty whatever its bytes.
     */
    @Test
    void shouldNeverWriteOrReadTheSecondCopyOfAClearedList() {
        try (Arena arena = Arena.ofConfined()) {
            Lists lists = Lists.of(arena, true);
            lists.seg1().fill((byte) 0x7F); // garbage where copy 1 would be
            AdjacencyListWriter.clear(lists.seg(), 0, 2);
            assertArrayEquals(new int[0], lists.committed(2));
            assertArrayEquals(new int[0], lists.newest());
            assertTrue(
                    Arrays.equals(
                            lists.seg1().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                            filled(lists.seg1().byteSize(), (byte) 0x7F)),
                    "clear wrote the second copy");
            // committed in 2: a reader lagging at 1 (both copies newer) would pick copy 1,
            // tagged as holding nothing
            assertArrayEquals(new int[0], lists.committed(1));
        }
    }

    /**
     * A reader that has not mapped {@code level0.alt} (it opened before the file existed) reads
     * copy 0 where only a lagging reader would choose copy 1: also the list of a later commit.
     */
    @Test
    void shouldReadCopyZeroWhenTheSecondCopiesAreNotMapped() {
        try (Arena arena = Arena.ofConfined()) {
            Lists lists = Lists.of(arena, true);
            lists.write(new int[] {1}, 2);
            lists.write(new int[] {2}, 3); // copy 1, generation 3
            lists.write(new int[] {3}, 4); // copy 0, generation 4
            assertArrayEquals(new int[] {2}, lists.committed(1), "the closer newer commit");
            int[] dest = new int[MAX_DEGREE + 1];
            int n =
                    AdjacencyLists.readCommitted(
                            lists.seg(), 0, null, 0, MAX_DEGREE, BOUND, 1, dest);
            assertArrayEquals(new int[] {3}, Arrays.copyOf(dest, n));
            assertNull(
                    AdjacencyLists.stored(lists.seg(), 0, null, 0, MAX_DEGREE, 3, false),
                    "verify must see that the copy's file is missing");
            assertArrayEquals(
                    new int[] {3},
                    AdjacencyLists.stored(lists.seg(), 0, null, 0, MAX_DEGREE, 1, false).ids(),
                    "verify of a lagging reader checks the copy it reads");
        }
    }

    @ParameterizedTest(name = "copy 1 apart: {0}")
    @ValueSource(booleans = {false, true})
    void shouldMatchTheStoredChecksumOnlyForTheCopysOwnGeneration(boolean apart) {
        try (Arena arena = Arena.ofConfined()) {
            Lists lists = Lists.of(arena, apart);
            lists.write(new int[] {1, 2, 3}, 2);
            lists.write(new int[] {4}, 3);
            AdjacencyLists.StoredCopy copy = lists.stored(2);
            assertTrue(copy.checksumMatches());
            assertEquals(2, copy.generation());
            AdjacencyLists.StoredCopy second = lists.stored(3);
            assertTrue(second.checksumMatches());
            assertArrayEquals(new int[] {4}, second.ids());
            lists.seg().set(FilePreamble.LONG, AdjacencyDescriptor.GENERATION0_OFFSET, 1L);
            assertFalse(lists.stored(2).checksumMatches(), "a damaged generation is seen");
        }
    }

    @ParameterizedTest(name = "copy 1 apart: {0}")
    @ValueSource(booleans = {false, true})
    void shouldWaitForTheWriterWhenItIsLiveInThisProcess(boolean apart) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            Lists lists = Lists.of(arena, apart);
            lists.write(new int[] {5, 6, 7}, 2);
            lists.startWrite(4, 0); // count 4 stored, the fourth id (8) not yet
            CompletableFuture<int[]> read = CompletableFuture.supplyAsync(lists::newest);
            Thread.sleep(100);
            assertFalse(read.isDone(), "read a list whose writer is mid-write");
            lists.finishWrite(3, 8);
            assertArrayEquals(new int[] {5, 6, 7, 8}, read.get(10, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest(name = "copy 1 apart: {0}")
    @ValueSource(booleans = {false, true})
    void shouldFailWhenTheLiveWriterNeverFinishes(boolean apart) {
        try (Arena arena = Arena.ofConfined()) {
            Lists lists = Lists.of(arena, apart);
            lists.write(new int[] {5, 6, 7}, 2);
            // commit 2; the writer, in 3, stalls after taking over copy 1
            lists.seg().set(FilePreamble.LONG, AdjacencyDescriptor.GENERATION1_OFFSET, 3L);
            lists.startWrite(4, 1);
            AdjacencyLists.OddListWait shortWait = new AdjacencyLists.OddListWait(20_000_000L);
            assertEquals(
                    -1,
                    AdjacencyLists.read(
                            lists.seg(),
                            0,
                            lists.seg1(),
                            lists.copy1(),
                            MAX_DEGREE,
                            BOUND,
                            new int[9],
                            shortWait));
            assertArrayEquals(
                    new int[] {5, 6, 7}, lists.committed(2), "a reader never waits on the lock");
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

    private static byte[] filled(long size, byte value) {
        byte[] bytes = new byte[(int) size];
        Arrays.fill(bytes, value);
        return bytes;
    }

    /**
     * One list record at offset 0 of {@code seg}, its copy 1 inside the record or, apart (as level
     * 0 keeps it with {@code FLAG_LEVEL0_COPIES_APART}), at {@code copy1} of {@code seg1}.
     */
    private record Lists(MemorySegment seg, MemorySegment seg1, long copy1) {

        static Lists of(Arena arena, boolean apart) {
            if (!apart) {
                MemorySegment seg =
                        arena.allocate(AdjacencyDescriptor.recordStride(MAX_DEGREE), 64);
                return new Lists(seg, seg, AdjacencyLists.inRecord(0, MAX_DEGREE));
            }
            MemorySegment seg =
                    arena.allocate(AdjacencyDescriptor.singleCopyRecordStride(MAX_DEGREE), 64);
            MemorySegment seg1 = arena.allocate(AdjacencyDescriptor.copyStride(MAX_DEGREE), 64);
            return new Lists(seg, seg1, 0);
        }

        void write(int[] ids, long working) {
            int c = AdjacencyListWriter.copyToWrite(seg, 0, working);
            AdjacencyListWriter.write(
                    seg,
                    0,
                    c,
                    c == 0 ? seg : seg1,
                    c == 0 ? copyOffset(0, MAX_DEGREE) : copy1,
                    ids,
                    ids.length,
                    working);
        }

        int[] newest() {
            int[] dest = new int[MAX_DEGREE + 1];
            int n =
                    AdjacencyLists.read(
                            seg,
                            0,
                            seg1,
                            copy1,
                            MAX_DEGREE,
                            BOUND,
                            dest,
                            AdjacencyLists.OddListWait.liveWriter());
            return Arrays.copyOf(dest, n);
        }

        int[] committed(long generation) {
            int[] dest = new int[MAX_DEGREE + 1];
            int n =
                    AdjacencyLists.readCommitted(
                            seg, 0, seg1, copy1, MAX_DEGREE, BOUND, generation, dest);
            return Arrays.copyOf(dest, n);
        }

        AdjacencyLists.StoredCopy stored(long generation) {
            return AdjacencyLists.stored(seg, 0, seg1, copy1, MAX_DEGREE, generation, false);
        }

        /** What a writer has done when it stalls: version odd, new count stored, ids not yet. */
        void startWrite(int count, int copy) {
            int version = seg.get(FilePreamble.INT, VERSION_OFFSET);
            seg.set(FilePreamble.INT, VERSION_OFFSET, version | 1);
            if (copy == 0) {
                seg.set(FilePreamble.INT, copyOffset(0, MAX_DEGREE) + COPY_COUNT_OFFSET, count);
            } else {
                seg1.set(FilePreamble.INT, copy1 + COPY_COUNT_OFFSET, count);
            }
        }

        void finishWrite(int index, int id) {
            seg.set(
                    FilePreamble.INT,
                    copyOffset(0, MAX_DEGREE)
                            + COPY_NEIGHBORS_OFFSET
                            + (long) index * Integer.BYTES,
                    id);
            int odd = seg.get(FilePreamble.INT, VERSION_OFFSET);
            FilePreamble.ATOMIC_INT.setRelease(seg, (long) VERSION_OFFSET, odd + 1);
        }
    }
}
