package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import org.hnswmap.error.CorruptIndexException;

/**
 * Where the two copies of each level-0 list lie, and their reads and writes: the record of node
 * {@code n} in {@code level0.adj} (header, generations, copy 0) and copy 1 either in that record
 * or, with {@code FLAG_LEVEL0_COPIES_APART}, in {@code level0.alt} ({@link SecondCopies}, created
 * when a list first needs it). The copy protocol itself is {@link AdjacencyLists}'.
 *
 * <p>Thread-safety: as {@link GraphData}, which owns this object; the mapped files are owned by the
 * {@link IndexStore}.
 */
final class Level0Lists {

    private static final int CACHE_LINE_BYTES = 64;

    private final MappedFile level0;

    /** Copy 1's file when apart; null when each record holds both copies. */
    private final SecondCopies second;

    private final int maxDegree0;
    private final int recordStride;
    private final int copyStride;

    Level0Lists(MappedFile level0, SecondCopies second, StoreConfig config) {
        this.level0 = level0;
        this.second = second;
        this.maxDegree0 = config.maxDegree0();
        this.recordStride = config.level0Stride();
        this.copyStride = config.level0CopyStride();
    }

    MappedFile file() {
        return level0;
    }

    private long record(int node) {
        return AdjacencyDescriptor.level0RecordOffset(node, recordStride);
    }

    /** Where copy 1 of {@code node}'s list (record at {@code record}) lies in its segment. */
    private long copy1(int node, long record) {
        return second == null
                ? AdjacencyLists.inRecord(record, maxDegree0)
                : AdjacencyDescriptor.level0AltCopyOffset(node, copyStride);
    }

    /** Copy 1's segment: the records' own, or {@code level0.alt}'s (null while not mapped). */
    private MemorySegment copy1Segment(MemorySegment records) {
        return second == null ? records : second.segment();
    }

    /** Bytes of the records of nodes {@code [0, nodeBound)}. */
    long recordBytes(int nodeBound) {
        return (long) nodeBound * recordStride;
    }

    /**
     * Loads one int in every cache line of {@code node}'s record up to the end of copy 0 (the
     * header and generations a read checks first, and the copy a list built once is read from), and
     * returns their xor; or, with the prefetch library ({@link NativePrefetch}), prefetches those
     * lines and returns 0. A copy 1 in {@code level0.alt} is not touched.
     */
    int touch(int node) {
        MemorySegment seg = level0.segment();
        long record = record(node);
        long length = AdjacencyDescriptor.copyOffset(1, maxDegree0); // header, then copy 0
        if (NativePrefetch.available()) {
            NativePrefetch.range(seg, record, length);
            return 0;
        }
        long end = record + length - Integer.BYTES;
        int touched = 0;
        for (long at = record; at < end; at += CACHE_LINE_BYTES) {
            touched ^= seg.get(FilePreamble.INT, at);
        }
        return touched ^ seg.get(FilePreamble.INT, end);
    }

    /**
     * Copies {@code node}'s list into {@code dest} (ids in {@code [0, bound)}): the newest copy for
     * the writer's threads ({@code wait} not null), else the copy of commit {@code generation}.
     * Returns how many, -1 when the list stayed mid-write past {@code wait}'s limit.
     *
     * @throws CorruptIndexException when the copy to read is in a {@code level0.alt} that does not
     *     exist
     */
    int read(int node, int bound, int[] dest, long generation, AdjacencyLists.OddListWait wait) {
        MemorySegment seg = level0.segment();
        long record = record(node);
        long copy1 = copy1(node, record);
        MemorySegment seg1 = copy1Segment(seg);
        int n =
                AdjacencyLists.readFor(
                        seg, record, seg1, copy1, maxDegree0, bound, generation, dest, wait);
        if (n == AdjacencyLists.MISSING_SECOND_COPY && seg1 == null) {
            // level0.alt may have appeared since seg1 was taken: created by another insert
            // thread, or mapped by a refresh that then adopted a commit whose lists use it
            seg1 = copy1Segment(seg);
            if (seg1 != null) {
                n =
                        AdjacencyLists.readFor(
                                seg,
                                record,
                                seg1,
                                copy1,
                                maxDegree0,
                                bound,
                                generation,
                                dest,
                                wait);
            }
        }
        if (n == AdjacencyLists.MISSING_SECOND_COPY) {
            throw new CorruptIndexException(
                    level0.path().resolveSibling(IndexFileNames.LEVEL0_ALT)
                            + ": missing, but the level-0 list of node "
                            + node
                            + " has its copy of this commit there (field generation1 of its"
                            + " record); restore the file or rebuild the index");
        }
        return n;
    }

    /**
     * For verify: {@code node}'s copy as stored that {@link #read} reads (the newest with {@code
     * newest}, else commit {@code generation}'s), or null when it lies in a {@code level0.alt} that
     * does not exist.
     */
    AdjacencyLists.StoredCopy stored(int node, long generation, boolean newest) {
        MemorySegment seg = level0.segment();
        long record = record(node);
        return AdjacencyLists.stored(
                seg,
                record,
                copy1Segment(seg),
                copy1(node, record),
                maxDegree0,
                generation,
                newest);
    }

    /** Writer: replaces {@code node}'s list in working generation {@code working}. */
    void write(int node, int[] ids, int count, long working) {
        MemorySegment seg = level0.segment();
        long record = record(node);
        int c = AdjacencyListWriter.copyToWrite(seg, record, working);
        if (c == 0) {
            AdjacencyListWriter.write(
                    seg,
                    record,
                    0,
                    seg,
                    record + AdjacencyDescriptor.COPIES_OFFSET,
                    ids,
                    count,
                    working);
        } else {
            MemorySegment seg1 = second == null ? seg : second.segmentForWrite();
            AdjacencyListWriter.write(
                    seg, record, 1, seg1, copy1(node, record), ids, count, working);
        }
    }

    /** Writer: a new node's empty list (copy 0 in {@code working}, copy 1 holding nothing). */
    void clear(int node, long working) {
        AdjacencyListWriter.clear(level0.segment(), record(node), working);
    }

    /** Writer open: see {@link AdjacencyListWriter#dropUncommitted}. */
    boolean dropUncommitted(int node, long committed) {
        return AdjacencyListWriter.dropUncommitted(level0.segment(), record(node), committed);
    }
}
