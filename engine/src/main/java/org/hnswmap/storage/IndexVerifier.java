package org.hnswmap.storage;

import static org.hnswmap.storage.AdjacencyDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.hnswmap.graph.LevelGenerator;

/**
 * Checks the structure of a committed snapshot or of the writer's live state, reading raw values
 * (the filters searches apply are bypassed on purpose): levels, upper-list offsets, list counts and
 * ids, entry point, label table, deleted count, vector values, and the CRC32C checksums of every
 * node (record and vector) and every list. O(N * (M + dimension)). Stops collecting after {@link
 * #MAX_PROBLEMS} problems.
 *
 * <p>Run on a quiescent index (a reader's snapshot, or a writer between inserts).
 */
final class IndexVerifier {

    static final int MAX_PROBLEMS = 100;
    private static final ValueLayout.OfInt INT = FilePreamble.INT;
    private static final ValueLayout.OfLong LONG = FilePreamble.LONG;

    private final StoreConfig config;
    private final CommitState state;
    private final Level0Lists level0;

    private final MemorySegment upper;
    private final MemorySegment nodes;
    private final MemorySegment labels;
    private final MappedVectors vectors;
    private final int deletedFlag;
    private final int retiredFlag;

    /**
     * Whether the marks on file belong to {@code state}: false for a reader's snapshot once a newer
     * commit exists, since marks are shared (the counts are then not compared).
     */
    private final boolean countsExact;

    /**
     * Ids at or past this are damage. A committed snapshot may link to nodes a writer inserted
     * after the commit (readers ignore them), so there the limit is the capacity; in the writer's
     * live state it is the node count.
     */
    private final long idLimit;

    private final boolean live;

    private final List<String> problems = new ArrayList<>();

    /** The traversal codes file, or null when the index has none. */
    private final String codesFileName;

    IndexVerifier(
            StoreConfig config,
            CommitState state,
            Level0Lists level0,
            MemorySegment upper,
            MemorySegment nodes,
            MemorySegment labels,
            MappedVectors vectors,
            boolean live,
            boolean countsExact) {
        this.countsExact = countsExact;
        this.config = config;
        this.deletedFlag =
                live
                        ? NodeRecordDescriptor.FLAG_DELETED
                        : NodeRecordDescriptor.FLAG_DELETED_COMMITTED;
        this.retiredFlag =
                live
                        ? NodeRecordDescriptor.FLAG_RETIRED
                        : NodeRecordDescriptor.FLAG_RETIRED_COMMITTED;
        this.idLimit = live ? state.nodeCount() : state.capacity();
        this.live = live;
        this.state = state;
        this.level0 = level0;
        this.upper = upper;
        this.nodes = nodes;
        this.labels = labels;
        this.vectors = vectors;
        this.codesFileName = config.traversalCodes() ? CodesFile.of(config).fileName : null;
    }

    List<String> run() {
        int count = (int) state.nodeCount();
        String codesHeader = vectors.codes() == null ? null : vectors.codes().headerProblem();
        if (codesHeader != null) {
            problem("%s: %s", codesFileName, codesHeader);
            return problems;
        }
        long deleted = 0;
        long retired = 0;
        long previousUpperEnd = UPPER_DATA_OFFSET;
        for (int node = 0; node < count && problems.size() < MAX_PROBLEMS; node++) {
            long record = NodeRecordDescriptor.recordOffset(node);
            int level = nodes.get(INT, record + NodeRecordDescriptor.LEVEL_OFFSET);
            if (level < 0
                    || level > Math.max(state.maxLevel(), 0)
                    || level > LevelGenerator.MAX_LEVEL) {
                problem("node %d: level %d outside 0..maxLevel %d", node, level, state.maxLevel());
                continue;
            }
            int flags = nodes.get(INT, record + NodeRecordDescriptor.FLAGS_OFFSET);
            if ((flags & deletedFlag) != 0) {
                deleted++;
            }
            boolean labelMoved = (flags & retiredFlag) != 0;
            if (labelMoved) {
                retired++;
            }
            // A snapshot may see a label the writer has since moved (an uncommitted update).
            labelMoved |= (flags & NodeRecordDescriptor.FLAG_RETIRED) != 0;
            checkList(node, 0, level0.stored(node, state.generation(), live), config.maxDegree0());
            if (level > 0) {
                long upperOffset =
                        nodes.get(LONG, record + NodeRecordDescriptor.UPPER_OFFSET_OFFSET);
                long upperEnd = UPPER_DATA_OFFSET + state.upperBytesUsed();
                // Compared without adding to the stored offset, which may be near Long.MAX_VALUE.
                if (upperOffset < previousUpperEnd
                        || upperOffset > upperEnd
                        || upperEnd - upperOffset < (long) level * config.upperStride()
                        || (upperOffset - UPPER_DATA_OFFSET) % config.upperStride() != 0) {
                    problem(
                            "node %d: upper lists at %d..%d overlap another node or lie past upperBytesUsed %d",
                            node,
                            upperOffset,
                            upperOffset + (long) level * config.upperStride(),
                            state.upperBytesUsed());
                    continue;
                }
                previousUpperEnd = upperOffset + (long) level * config.upperStride();
                for (int l = 1; l <= level; l++) {
                    long upperRecord = upperRecordOffset(upperOffset, l, config.upperStride());
                    AdjacencyLists.StoredCopy copy =
                            AdjacencyLists.stored(
                                    upper,
                                    upperRecord,
                                    upper,
                                    AdjacencyLists.inRecord(upperRecord, config.m()),
                                    config.m(),
                                    state.generation(),
                                    live);
                    checkList(node, l, copy, config.m());
                }
            }
            // a slot reused after a snapshot is not in it (its label is not, either)
            if (!labelMoved && (live || !bornAfterSnapshot(node))) {
                checkLabel(node, nodes.get(LONG, record + NodeRecordDescriptor.LABEL_OFFSET));
            }
            checkVector(node);
            checkNodeChecksum(node);
            checkCodesRow(node);
        }
        if (problems.size() < MAX_PROBLEMS) {
            checkSummary(count, deleted, retired);
        }
        return problems;
    }

    /**
     * Checks the copy this view reads ({@code copy}, null when its file is missing): the writer's
     * newest (inserts are paused), or the copy of the snapshot's commit, which no writer changes.
     */
    private void checkList(int node, int level, AdjacencyLists.StoredCopy copy, int maxDegree) {
        if (copy == null) {
            problem(
                    "node %d level %d: its list is a second copy, but %s does not exist",
                    node, level, IndexFileNames.LEVEL0_ALT);
            return;
        }
        if (live && copy.odd()) {
            problem("node %d level %d: list version is odd (a write was interrupted)", node, level);
        }
        // (A snapshot's copy may be newer than its commit only when the reader lags behind a list
        // the writer changed in two later commits: not damage.)
        if (live && copy.generation() > state.generation()) {
            problem(
                    "node %d level %d: list generation %d is after commit %d",
                    node, level, copy.generation(), state.generation());
        }
        int n = copy.count();
        if (n < 0 || n > maxDegree) {
            problem("node %d level %d: %d neighbours, the limit is %d", node, level, n, maxDegree);
            return;
        }
        if (!copy.checksumMatches()) {
            problem("node %d level %d: list checksum does not match its ids", node, level);
        }
        for (int id : copy.ids()) {
            if (id < 0 || id >= idLimit) {
                problem(
                        "node %d level %d: neighbour %d out of range (limit %d)",
                        node, level, id, idLimit);
            } else if (id >= state.nodeCount()) {
                continue; // linked by a writer after this commit; readers skip it
            } else if (id == node) {
                problem("node %d level %d: links to itself", node, level);
            } else if (level > 0 && levelOf(id) < level) {
                problem(
                        "node %d level %d: neighbour %d does not reach level %d",
                        node, level, id, level);
            }
        }
    }

    private int flagsOf(int node) {
        return nodes.get(
                INT, NodeRecordDescriptor.recordOffset(node) + NodeRecordDescriptor.FLAGS_OFFSET);
    }

    private int levelOf(int node) {
        return nodes.get(
                INT, NodeRecordDescriptor.recordOffset(node) + NodeRecordDescriptor.LEVEL_OFFSET);
    }

    private void checkLabel(int node, long label) {
        int found =
                LabelTable.find(
                        labels,
                        state.labelSlotCount(),
                        nodes,
                        label,
                        (int) state.nodeCount(),
                        // as a reader's lookup: a slot reused after this snapshot is not there
                        other ->
                                (flagsOf(other) & retiredFlag) == 0
                                        && (live || !bornAfterSnapshot(other)));
        if (found != node) {
            problem(
                    "node %d: its label %d resolves to node %d in the label table",
                    node, label, found);
        }
    }

    private void checkVector(int node) {
        for (float x : vectors.read(node)) {
            if (!Float.isFinite(x)) {
                problem("node %d: vector holds a non-finite value %s", node, x);
                return;
            }
        }
    }

    /**
     * The node's record and vector against its sealed checksum. A reader's snapshot skips a slot
     * that a live writer is reusing: it wrote the newer {@code bornGeneration} first, so a checksum
     * read mid-change is followed by that generation.
     */
    private void checkNodeChecksum(int node) {
        MemorySegment rows = vectors.rows();
        int actual =
                NodeChecksum.compute(
                        nodes, node, rows, vectors.rowOffset(node), vectors.rowBytes());
        if (actual == NodeChecksum.stored(nodes, node)) {
            return;
        }
        if (!live && bornAfterSnapshot(node)) {
            return;
        }
        problem("node %d: checksum of its record and vector does not match", node);
    }

    /**
     * The node's traversal row against the encoding of its float32 row (when the index keeps
     * traversal codes), with the same allowance for a slot a live writer is reusing.
     */
    private void checkCodesRow(int node) {
        TraversalCodes codes = vectors.codes();
        if (codes == null) {
            return;
        }
        String mismatch = codes.mismatch(node, vectors.read(node));
        if (mismatch == null || (!live && bornAfterSnapshot(node))) {
            return;
        }
        problem("node %d: its row in %s: %s", node, codesFileName, mismatch);
    }

    private boolean bornAfterSnapshot(int node) {
        java.lang.invoke.VarHandle.loadLoadFence();
        long born =
                nodes.get(
                        LONG,
                        NodeRecordDescriptor.recordOffset(node)
                                + NodeRecordDescriptor.BORN_GENERATION_OFFSET);
        return born > state.generation();
    }

    private void checkSummary(int count, long deleted, long retired) {
        if (countsExact && retired != state.retiredCount()) {
            problem(
                    "retiredCount is %d but %d nodes are marked retired",
                    state.retiredCount(), retired);
        }
        if (countsExact && deleted != state.deletedCount()) {
            problem(
                    "deletedCount is %d but %d nodes are marked deleted",
                    state.deletedCount(), deleted);
        }
        if (count > 0) {
            int entry = state.entryPoint();
            int entryLevel =
                    nodes.get(
                            INT,
                            NodeRecordDescriptor.recordOffset(entry)
                                    + NodeRecordDescriptor.LEVEL_OFFSET);
            if (entryLevel != state.maxLevel()) {
                problem(
                        "entry point %d has level %d, maxLevel is %d",
                        entry, entryLevel, state.maxLevel());
            }
        }
        int slots = state.labelSlotCount();
        int used = 0;
        for (int slot = 0; slot < slots; slot++) {
            int value = labels.get(INT, LabelTableDescriptor.slotOffset(slot));
            if (value != LabelTableDescriptor.EMPTY
                    && value != LabelTableDescriptor.TOMBSTONE
                    && value - 1 < count) {
                used++;
            }
        }
        if (used != count) {
            problem("label table holds %d committed entries for %d nodes", used, count);
        }
    }

    private void problem(String format, Object... args) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(String.format(format, args));
        }
    }
}
