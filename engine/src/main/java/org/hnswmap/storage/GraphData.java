package org.hnswmap.storage;

import static org.hnswmap.storage.NodeRecordDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.graph.LevelGenerator;

/**
 * The mapped graph: node records, level-0 lists and upper-level lists. Every read is checked
 * against the mapping limits so that a damaged file raises {@link CorruptIndexException} instead of
 * reading outside a mapping.
 *
 * <p>Neighbour lists are versioned by commit ({@link AdjacencyLists}): a reader's graph reads the
 * lists of the commit it holds ({@link #setCommitted}), the writer's reads its newest lists and
 * writes them in its working generation, the commit after the last one.
 *
 * <p>Thread-safety: reads are safe concurrently with writes (in the writer's process a read waits
 * for a list being written; a reader never waits); writes to one node's lists must be serialized by
 * the caller. The mapped files are owned by the {@link IndexStore}.
 */
final class GraphData {

    private static final ValueLayout.OfInt INT = FilePreamble.INT;
    private static final ValueLayout.OfLong LONG = FilePreamble.LONG;
    private static final java.lang.invoke.VarHandle FLAGS = FilePreamble.ATOMIC_INT;

    /**
     * Above this many bytes of level-0 records in use, {@link #touchLevel0} loads a list's lines: a
     * quarter of the 32 MiB L3 of the machines measured. Chosen on the tune half of the queries of
     * four shapes (bench/RESULTS.md, 2026-12-06): with 1.6 MB of records (10,000 nodes) the loads
     * only cost instructions, from 9.6 MB (60,000 nodes) up the misses they overlap pay for them.
     */
    static final long TOUCH_LISTS_ABOVE_BYTES = 8L << 20;

    private final Level0Lists level0;
    private final MappedFile upper;
    private final MappedFile nodes;
    private final int m;
    private final int maxDegree0;
    private final int upperStride;
    private final AdjacencyLists.OddListWait listWait;
    private final boolean liveWriter;

    /**
     * Reader: the generation of the commit held, whose lists are read. Writer: the working
     * generation (last commit + 1), in which lists are written.
     */
    private volatile long generation;

    /** Exclusive end of the upper-level bytes that may be read. */
    private volatile long upperLimit;

    /**
     * @param liveWriter whether this is the writer's process, where every list being written has a
     *     live writer thread: reads then never take a list mid-write (see {@link AdjacencyLists})
     */
    GraphData(
            MappedFile level0,
            SecondCopies level0Copies,
            MappedFile upper,
            MappedFile nodes,
            StoreConfig config,
            boolean liveWriter) {
        this.level0 = new Level0Lists(level0, level0Copies, config);
        this.upper = upper;
        this.nodes = nodes;
        this.m = config.m();
        this.maxDegree0 = config.maxDegree0();
        this.upperStride = config.upperStride();
        this.liveWriter = liveWriter;
        this.listWait = AdjacencyLists.OddListWait.liveWriter();
    }

    /**
     * The commit whose lists a reader reads from now on; for the writer, the commit its working
     * generation follows.
     */
    void setCommitted(long committedGeneration) {
        this.generation = liveWriter ? committedGeneration + 1 : committedGeneration;
    }

    void setUpperLimit(long upperLimit) {
        this.upperLimit = upperLimit;
    }

    /** The level-0 lists (for verify). */
    Level0Lists level0Lists() {
        return level0;
    }

    int maxDegree(int level) {
        return level == 0 ? maxDegree0 : m;
    }

    int upperStride() {
        return upperStride;
    }

    MemorySegment nodeRecords() {
        return nodes.segment();
    }

    int levelOf(int node) {
        int level = nodes.segment().get(INT, recordOffset(node) + LEVEL_OFFSET);
        if (level < 0 || level > LevelGenerator.MAX_LEVEL) {
            throw new CorruptIndexException(
                    nodes.path() + ": node " + node + " has level " + level + " (field level)");
        }
        return level;
    }

    /**
     * Whether {@code node} is deleted in the writer's state ({@code committed} false) or as
     * committed.
     */
    boolean isDeleted(int node, boolean committed) {
        int flags = (int) FLAGS.getAcquire(nodes.segment(), recordOffset(node) + FLAGS_OFFSET);
        return (flags & (committed ? FLAG_DELETED_COMMITTED : FLAG_DELETED)) != 0;
    }

    /** Writer: sets or clears the current deleted bit; returns whether it changed. */
    boolean setDeleted(int node, boolean deleted) {
        long at = recordOffset(node) + FLAGS_OFFSET;
        int flags = nodes.segment().get(INT, at);
        int next = deleted ? flags | FLAG_DELETED : flags & ~FLAG_DELETED;
        FLAGS.setRelease(nodes.segment(), at, next);
        return next != flags;
    }

    /**
     * Writer open: copies the committed marks (bits 1, 3) back into the current ones (bits 0, 2),
     * dropping uncommitted changes. A commit goes the other way through {@link #committedFlags}.
     */
    void restoreCommittedMarks(int node) {
        long at = recordOffset(node) + FLAGS_OFFSET;
        int flags = nodes.segment().get(INT, at);
        int source = (flags >>> 1) & (FLAG_DELETED | FLAG_RETIRED);
        int next = source | (source << 1);
        if (next != flags) {
            FLAGS.setRelease(nodes.segment(), at, next);
        }
    }

    /**
     * Writer, first step of reusing {@code node}'s slot: stamps the commit generation that will
     * publish its new label and vector. Ordered before every other change of the slot (label table,
     * label, vector): from here on a reader of an older commit treats the node as not there, so it
     * never sees the slot half-changed (its label gone from the table, or its checksum failing).
     */
    void markReborn(int node, long bornGeneration) {
        nodes.segment().set(LONG, recordOffset(node) + BORN_GENERATION_OFFSET, bornGeneration);
        java.lang.invoke.VarHandle.storeStoreFence();
    }

    /**
     * Writer, replace-deleted, after {@link #markReborn}: gives a deleted node a new label; its
     * level and lists stay (the builder repairs them). The node stays marked deleted meanwhile.
     */
    void relabel(int node, long label) {
        MemorySegment records = nodes.segment();
        long record = recordOffset(node);
        records.set(LONG, record + LABEL_OFFSET, label);
        long at = record + FLAGS_OFFSET;
        FLAGS.setRelease(records, at, records.get(INT, at) & ~FLAG_RETIRED);
    }

    /** The commit generation that published the node's current label and vector. */
    long bornGeneration(int node) {
        return nodes.segment().get(LONG, recordOffset(node) + BORN_GENERATION_OFFSET);
    }

    /**
     * Writer open: refuses a record whose committed marks cannot have been written by a writer
     * (unknown flag bits, retired but not deleted, born after the next commit), so that recovery
     * never builds on a damaged record.
     */
    void checkCommittedRecord(int node, long generation) {
        int flags = flags(node);
        int known = FLAG_DELETED | FLAG_DELETED_COMMITTED | FLAG_RETIRED | FLAG_RETIRED_COMMITTED;
        boolean retiredNotDeleted =
                (flags & FLAG_RETIRED_COMMITTED) != 0 && (flags & FLAG_DELETED_COMMITTED) == 0;
        if ((flags & ~known) != 0 || retiredNotDeleted) {
            throw new CorruptIndexException(
                    nodes.path()
                            + ": node "
                            + node
                            + " has flags 0x"
                            + Integer.toHexString(flags)
                            + " (field flags: unknown bits, or retired without deleted)");
        }
        long born = bornGeneration(node);
        if (born < 0 || born > generation + 1) {
            throw new CorruptIndexException(
                    nodes.path()
                            + ": node "
                            + node
                            + " was born in generation "
                            + born
                            + ", after commit "
                            + generation
                            + " (field bornGeneration)");
        }
    }

    /** The raw flags of {@code node}. */
    int flags(int node) {
        return (int) FLAGS.getAcquire(nodes.segment(), recordOffset(node) + FLAGS_OFFSET);
    }

    /** The flags a commit gives {@code node}: its committed bits (1, 3) copied from bits 0, 2. */
    static int committedFlags(int flags) {
        int current = flags & (FLAG_DELETED | FLAG_RETIRED);
        return current | (current << 1);
    }

    /** Sets the committed bits (1, 3) of {@code node} to those of {@code source}. */
    void setCommittedBits(int node, int source) {
        long at = recordOffset(node) + FLAGS_OFFSET;
        int committedMask = FLAG_DELETED_COMMITTED | FLAG_RETIRED_COMMITTED;
        int flags = nodes.segment().get(INT, at);
        FLAGS.setRelease(nodes.segment(), at, (flags & ~committedMask) | (source & committedMask));
    }

    /** Writer, update: marks the node deleted and retired (its label moves to a new node). */
    void retire(int node) {
        long at = recordOffset(node) + FLAGS_OFFSET;
        int flags = nodes.segment().get(INT, at);
        FLAGS.setRelease(nodes.segment(), at, flags | FLAG_DELETED | FLAG_RETIRED);
    }

    /** Whether the node's label moved to another node, in the writer's state or as committed. */
    boolean isRetired(int node, boolean committed) {
        int flags = (int) FLAGS.getAcquire(nodes.segment(), recordOffset(node) + FLAGS_OFFSET);
        return (flags & (committed ? FLAG_RETIRED_COMMITTED : FLAG_RETIRED)) != 0;
    }

    long labelOf(int node) {
        return nodes.segment().get(LONG, recordOffset(node) + LABEL_OFFSET);
    }

    /**
     * {@link org.hnswmap.graph.GraphView#touchNeighbors} on level 0 for a view of nodes {@code [0,
     * nodeBound)}: loads the lines of {@code node}'s record when the records in use exceed {@link
     * #TOUCH_LISTS_ABOVE_BYTES}, else nothing.
     */
    int touchLevel0(int node, int nodeBound) {
        return level0.recordBytes(nodeBound) > TOUCH_LISTS_ABOVE_BYTES ? level0.touch(node) : 0;
    }

    int neighbors(int node, int level, int bound, int[] dest) {
        int n;
        if (level == 0) {
            n = level0.read(node, bound, dest, generation, liveWriter ? listWait : null);
        } else if (level > levelOf(node)) {
            return 0;
        } else {
            MemorySegment seg = upper.segment();
            long record = upperRecord(node, level);
            long copy1 = AdjacencyLists.inRecord(record, m);
            n =
                    AdjacencyLists.readFor(
                            seg,
                            record,
                            seg,
                            copy1,
                            m,
                            bound,
                            generation,
                            dest,
                            liveWriter ? listWait : null);
        }
        if (n < 0) {
            throw stuckMidWrite(node, level);
        }
        return n;
    }

    /**
     * Replaces the list of {@code node} on {@code level}.
     *
     * @throws IllegalStateException when the node has no list on that level (a caller's bug: the
     *     write would land in another node's upper-level lists)
     */
    void setNeighbors(int node, int level, int[] ids, int count) {
        if (level == 0) {
            level0.write(node, ids, count, generation);
            return;
        }
        int nodeLevel = levelOf(node);
        if (level > nodeLevel) {
            throw new IllegalStateException(
                    upper.path()
                            + ": refused to write a level "
                            + level
                            + " list for node "
                            + node
                            + ", whose top level is "
                            + nodeLevel);
        }
        AdjacencyListWriter.writeInRecord(
                upper.segment(), upperRecord(node, level), m, ids, count, generation);
    }

    private CorruptIndexException stuckMidWrite(int node, int level) {
        MappedFile file = level == 0 ? level0.file() : upper;
        return new CorruptIndexException(
                file.path()
                        + ": the level "
                        + level
                        + " list of node "
                        + node
                        + " stayed mid-write (odd version) for "
                        + listWait.limitNanos() / 1_000_000_000L
                        + " s: a writer thread died while writing it; close and reopen the"
                        + " index (the writer open repairs the list)");
    }

    /** Writes a new node's record and empties its lists. */
    void initNode(int node, long label, int level, long upperOffset, long bornGeneration) {
        MemorySegment records = nodes.segment();
        long record = recordOffset(node);
        records.set(LONG, record + LABEL_OFFSET, label);
        records.set(INT, record + LEVEL_OFFSET, level);
        records.set(INT, record + FLAGS_OFFSET, 0);
        records.set(LONG, record + UPPER_OFFSET_OFFSET, upperOffset);
        records.set(LONG, record + BORN_GENERATION_OFFSET, bornGeneration);
        long working = generation;
        level0.clear(node, working);
        for (int l = 1; l <= level; l++) {
            AdjacencyListWriter.clear(
                    upper.segment(),
                    AdjacencyDescriptor.upperRecordOffset(upperOffset, l, upperStride),
                    working);
        }
    }

    /**
     * Writer open: drops the list copies of the committed nodes that a writer wrote after commit
     * {@code committed} without committing them (the committed copies were never touched, so the
     * graph is that commit's bit for bit), evens out versions a dead writer left odd, and restores
     * committed deleted marks. O(N).
     */
    void dropUncommittedLists(int nodeCount, long committed) {
        for (int node = 0; node < nodeCount; node++) {
            restoreCommittedMarks(node);
            int level = levelOf(node);
            level0.dropUncommitted(node, committed);
            for (int l = 1; l <= level; l++) {
                AdjacencyListWriter.dropUncommitted(
                        upper.segment(), upperRecord(node, l), committed);
            }
        }
    }

    private long upperRecord(int node, int level) {
        long upperOffset = nodes.segment().get(LONG, recordOffset(node) + UPPER_OFFSET_OFFSET);
        long limit = upperLimit;
        // Compared without adding to the stored offset, which may be near Long.MAX_VALUE.
        if (upperOffset < AdjacencyDescriptor.UPPER_DATA_OFFSET
                || (upperOffset - AdjacencyDescriptor.UPPER_DATA_OFFSET) % upperStride != 0
                || upperOffset > limit
                || limit - upperOffset < (long) level * upperStride) {
            throw new CorruptIndexException(
                    upper.path()
                            + ": level "
                            + level
                            + " of node "
                            + node
                            + " lies outside the committed upper-level bytes or off"
                            + " its record grid (field upperOffset = "
                            + upperOffset
                            + ")");
        }
        return AdjacencyDescriptor.upperRecordOffset(upperOffset, level, upperStride);
    }
}
