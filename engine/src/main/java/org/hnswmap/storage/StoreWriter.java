package org.hnswmap.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.DuplicateLabelException;
import org.hnswmap.error.IndexFullException;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.graph.GraphView;
import org.hnswmap.graph.MutableGraph;

/**
 * The single writer of an index (one per index across processes, held by {@link WriterLock}): it
 * allocates nodes and upper-level lists, writes vectors and records, gives the builder the live
 * graph, keeps the marks' bookkeeping ({@link MarksLedger}), commits (storage-format.md, section 9)
 * and resizes. Its own searches see every insert at once; readers see nothing until a commit.
 *
 * <p>Thread-safety: inserts ({@link #addNode}, {@link #reuseNode}, the builder's graph), marks and
 * searches may run concurrently; {@link #commit}, {@link #resize} and {@link #close} must not
 * overlap inserts (the caller pauses them) and close must not overlap anything.
 */
public final class StoreWriter extends IndexStore {

    private final WriterLock writerLock;
    private final MarksJournal journal;
    private final MarksLedger ledger;

    /** Guards allocation, the marks' bookkeeping and the state a commit records. */
    private final Object allocationLock = new Object();

    private volatile CommitState committed;
    private volatile int allocatedCount;

    /** Entry point (low 32 bits) and top level (high 32 bits), published together. */
    private volatile long entryState;

    private long upperBytesUsed;

    private StoreWriter(
            Path directory, MetaFile meta, DataFiles files, WriterLock lock, CommitState state) {
        super(directory, meta, files, true, state);
        this.writerLock = lock;
        this.journal = new MarksJournal(directory.resolve(IndexFileNames.MARKS_JOURNAL));
        this.ledger = new MarksLedger(graph, journal, allowsReplaceDeleted(), state);
        this.committed = state;
        this.allocatedCount = (int) state.nodeCount();
        this.entryState = packEntry(state.entryPoint(), state.maxLevel());
        this.upperBytesUsed = state.upperBytesUsed();
    }

    static StoreWriter createIndex(
            Path directory, StoreConfig config, long capacity, int defaultEf) {
        ConfigValidator.check(config, directory);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IndexIOException("cannot create " + directory + ": " + e, e);
        }
        if (Files.exists(directory.resolve(IndexFileNames.META))) {
            throw new IndexIOException(directory + ": already holds an index; open it instead");
        }
        WriterLock lock = WriterLock.acquire(directory);
        try {
            UUID uuid = UUID.randomUUID();
            long[] id = {uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()};
            int slots = LabelTableDescriptor.slotCountFor(capacity);
            DataFiles files = DataFiles.create(directory, config, capacity, slots, id);
            CommitState first =
                    new CommitState(
                            1,
                            0,
                            capacity,
                            0,
                            -1,
                            -1,
                            0,
                            0,
                            defaultEf,
                            slots,
                            System.currentTimeMillis());
            ConfigValidator.check(first, config, directory);
            // The meta file comes last: until it exists, the directory is not an index.
            MetaFile meta =
                    MetaFile.create(directory.resolve(IndexFileNames.META), config, id, first);
            DirectorySync.sync(directory);
            return new StoreWriter(directory, meta, files, lock, first);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens the index in {@code directory} as its writer, then recovers ({@link WriterRecovery}).
     */
    static StoreWriter open(Path directory) {
        WriterLock lock = WriterLock.acquire(directory);
        try {
            return openMapped(
                    directory,
                    true,
                    (meta, files, state, opened) -> {
                        StoreWriter writer = new StoreWriter(directory, meta, files, lock, state);
                        opened.add(writer::closeFiles);
                        WriterRecovery.run(
                                directory,
                                files,
                                writer.graph,
                                writer.journal,
                                writer.ledger,
                                state,
                                writer::resealReused);
                        return writer;
                    });
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public CommitState committed() {
        return committed;
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public int visibleCount() {
        return allocatedCount;
    }

    @Override
    public GraphView searchView() {
        long entry = entryState;
        return new MappedGraphView(graph, allocatedCount, (int) entry, (int) (entry >> 32));
    }

    @Override
    public boolean isVisible(int node) {
        return true;
    }

    @Override
    public long deletedCount() {
        return ledger.deletedCount(); // no lock: read per query
    }

    @Override
    public long userDeletedCount() {
        return ledger.deletedCount() - ledger.retiredCount();
    }

    @Override
    public int elementCount() {
        return (int) (allocatedCount - ledger.retiredCount());
    }

    @Override
    public boolean refresh() {
        return false;
    }

    /** Checks the current state; inserts must not run meanwhile. */
    @Override
    public List<String> verify() {
        return verify(liveState(committed.defaultEf(), committed.capacity()), true, true);
    }

    /** The live graph for the builder. */
    public MutableGraph builderGraph() {
        return new BuilderGraph();
    }

    /**
     * Shows the traversal codes the (stored form of the) vectors of an insert before any is
     * written; one-bit codes fix their centroid from the first insert's, codes with traversal
     * regions their centroids. Thread-safe.
     *
     * @return whether this call fixed centroids (false for codes without any, or fixed before)
     */
    public boolean prepareTraversalCodes(List<float[]> rows) {
        TraversalCodes codes = vectors.codes();
        boolean fixedBefore = codes == null || codes.centroids() != null;
        vectors.prepare(rows);
        return !fixedBefore && codes.centroids() != null;
    }

    /**
     * Before the first insert: takes another index's {@link IndexStore#traversalCentroids} as the
     * traversal codes' centroids, so that a copy encodes its rows exactly as the original did.
     *
     * @throws IllegalArgumentException when the codes have no centroids or others in number
     */
    public void adoptTraversalCentroids(float[][] centroids) {
        TraversalCodes codes = vectors.codes();
        if (codes == null) {
            throw new IllegalArgumentException("the index has no traversal codes");
        }
        codes.adoptCentroids(centroids);
    }

    /**
     * Stores a new node: record, empty lists, vector, label slot; then makes it visible. Its links
     * are made afterwards by the builder.
     *
     * @throws DuplicateLabelException when {@code label} is present
     * @throws IndexFullException when the capacity is reached
     */
    public int addNode(long label, int level, float[] vector) {
        synchronized (allocationLock) {
            int node = allocatedCount;
            if (findNode(label, node) >= 0) {
                throw new DuplicateLabelException(
                        directory + ": label " + label + " is already in the index");
            }
            if (node >= committed.capacity()) {
                throw new IndexFullException(
                        directory
                                + ": capacity of "
                                + committed.capacity()
                                + " elements reached (maxElements)");
            }
            long upperOffset = level > 0 ? allocateUpper(level) : 0;
            graph.initNode(node, label, level, upperOffset, committed.generation() + 1);
            vectors.write(node, vector);
            sealNode(node);
            DataFiles f = files;
            LabelTable.insert(f.labels().segment(), f.labelSlotCount(), graph.nodeRecords(), node);
            allocatedCount = node + 1;
            return node;
        }
    }

    private long allocateUpper(int level) {
        long offset = AdjacencyDescriptor.UPPER_DATA_OFFSET + upperBytesUsed;
        upperBytesUsed += (long) level * graph.upperStride();
        long needed = AdjacencyDescriptor.UPPER_DATA_OFFSET + upperBytesUsed;
        MappedFile upper = files.upper();
        if (upper.segment().byteSize() < needed) {
            upper.growTo(Math.max(needed, upper.segment().byteSize() * 3 / 2));
        }
        graph.setUpperLimit(needed);
        return offset;
    }

    /**
     * Replace-deleted: puts {@code label} and {@code vector} into the slot of a node deleted in an
     * earlier commit. Returns the node, or -1 when no slot is free. The node stays marked deleted
     * (so no search returns it) until the caller has relinked it and cleared the mark.
     *
     * @throws DuplicateLabelException when {@code label} is present
     */
    public int reuseNode(long label, float[] vector, boolean retiredOnly) {
        synchronized (allocationLock) {
            if (findNode(label, allocatedCount) >= 0) {
                throw new DuplicateLabelException(
                        directory + ": label " + label + " is already in the index");
            }
            int node = ledger.takeReusable(retiredOnly);
            if (node < 0) {
                return -1;
            }
            if (!graph.isDeleted(node, false) || !graph.isDeleted(node, true)) {
                throw new CorruptIndexException(
                        IndexFileNames.NODES
                                + " in "
                                + directory
                                + ": node "
                                + node
                                + " is free for reuse but not deleted as committed (field flags)");
            }
            DataFiles f = files;
            graph.markReborn(node, committed.generation() + 1);
            LabelTable.remove(f.labels().segment(), f.labelSlotCount(), graph.nodeRecords(), node);
            graph.relabel(node, label);
            vectors.write(node, vector);
            sealNode(node);
            LabelTable.insert(f.labels().segment(), f.labelSlotCount(), graph.nodeRecords(), node);
            return node;
        }
    }

    /**
     * Recovery of a slot an uncommitted reuse was writing: the codes row again from the vector the
     * kill left (the two are written one after the other), then the checksum.
     */
    private void resealReused(int node) {
        vectors.rewriteCodes(node);
        sealNode(node);
    }

    /** Stores the checksum of the node's record and vector ({@link NodeChecksum}). */
    private void sealNode(int node) {
        NodeChecksum.seal(
                graph.nodeRecords(),
                node,
                vectors.rows(),
                vectors.rowOffset(node),
                vectors.rowBytes());
    }

    /** Slots reusable now, by any replace-deleted insert or only by updates. */
    public int reusableCount(boolean retiredOnly) {
        synchronized (allocationLock) {
            return ledger.reusableCount(retiredOnly);
        }
    }

    /**
     * Update of an existing label: marks {@code node} deleted and retired, so that the label can be
     * given to a new node (copy on write: readers of earlier commits keep finding the old node,
     * with its vector whole, until they refresh past the update's commit). The old label slot stays
     * until the node is reused.
     */
    public void retire(int node) {
        synchronized (allocationLock) {
            ledger.retire(node);
        }
    }

    /**
     * Marks {@code node} deleted or not; visible to readers at the next commit.
     *
     * @return whether the mark changed
     */
    public boolean setDeleted(int node, boolean deleted) {
        synchronized (allocationLock) {
            return ledger.setDeleted(node, deleted);
        }
    }

    /**
     * Commit protocol (storage-format.md, "Commit protocol"); the caller guarantees no insert is in
     * flight.
     *
     * <ol>
     *   <li>Copy the deleted marks changed since the last commit into their committed bit.
     *   <li>Sync every data file (vectors, records, lists, labels) to disk.
     *   <li>Build the new state: generation + 1, counts, entry point, upper bytes used.
     *   <li>Write it into the older slot, CRC last, and sync the meta file.
     *   <li>From now on lists are written in the generation after it.
     * </ol>
     */
    public CommitState commit(int defaultEf) {
        return commit(defaultEf, committed.capacity());
    }

    private CommitState commit(int defaultEf, long capacity) {
        synchronized (allocationLock) {
            ledger.commitMarks(committed.generation() + 1);
        }
        for (MappedFile f : files.all()) {
            f.force();
        }
        CommitState next = liveState(defaultEf, capacity);
        meta.writeCommit(next);
        graph.setCommitted(next.generation());
        committed = next;
        return next;
    }

    /** The current state, as the next commit would record it. */
    private CommitState liveState(int defaultEf, long capacity) {
        CommitState previous = committed;
        synchronized (allocationLock) {
            long entry = entryState;
            return new CommitState(
                    previous.generation() + 1,
                    allocatedCount,
                    capacity,
                    upperBytesUsed,
                    (int) entry,
                    (int) (entry >> 32),
                    ledger.deletedCount(),
                    ledger.retiredCount(),
                    defaultEf,
                    files.labelSlotCount(),
                    System.currentTimeMillis());
        }
    }

    /**
     * {@code resize_index}: grows the capacity to {@code newCapacity} and commits. The vector,
     * level-0 and record files are extended in place (sparse); existing vectors and lists are not
     * rewritten. When the label table's slot count changes, a new table file is filled from the
     * node records (O(N)) before the commit that names it; the old file is removed after it
     * (readers that mapped it keep their mapping). Inserts must not be in flight.
     */
    public CommitState resize(long newCapacity, int defaultEf) {
        int slots = LabelTableDescriptor.slotCountFor(newCapacity);
        files.vectors().growTo(VectorsDescriptor.fileLength(newCapacity, config.vectorStride()));
        if (files.codes() != null) {
            files.codes().growTo(CodesFile.of(config).fileLength(newCapacity, config));
        }
        files.level0()
                .growTo(AdjacencyDescriptor.level0FileLength(newCapacity, config.level0Stride()));
        if (files.level0Copies() != null) {
            files.level0Copies().growTo(newCapacity);
        }
        files.nodes().growTo(NodeRecordDescriptor.fileLength(newCapacity));
        MappedFile oldTable = files.labels();
        if (slots != files.labelSlotCount()) {
            Path path = directory.resolve(IndexFileNames.labels(slots));
            try {
                Files.deleteIfExists(path); // a stale table of a resize that never committed
            } catch (IOException e) {
                throw new IndexIOException("cannot replace " + path + ": " + e, e);
            }
            MappedFile table =
                    DataFiles.newLabelTable(directory, slots, meta.indexId(), new ArrayList<>());
            for (int node = 0; node < allocatedCount; node++) {
                // Every node keeps one slot, retired ones included (lookups skip those; a reuse
                // removes the slot by the node's current label).
                LabelTable.insert(table.segment(), slots, graph.nodeRecords(), node);
            }
            files = files.withLabels(table, slots);
            // the new table's name is durable before a commit names it
            DirectorySync.sync(directory);
        }
        CommitState next = commit(defaultEf, newCapacity);
        if (oldTable != files.labels()) {
            replacedTables.add(oldTable);
            try {
                Files.deleteIfExists(oldTable.path());
            } catch (IOException e) {
                throw new IndexIOException("cannot remove " + oldTable.path() + ": " + e, e);
            }
        }
        return next;
    }

    @Override
    public void close() {
        closeFiles();
        writerLock.close();
    }

    private void closeFiles() {
        super.close();
    }

    private static long packEntry(int entryPoint, int maxLevel) {
        return ((long) maxLevel << 32) | (entryPoint & 0xffffffffL);
    }

    /** The live graph, as the builder sees it. */
    private final class BuilderGraph implements MutableGraph {
        @Override
        public int entryPoint() {
            return (int) entryState;
        }

        @Override
        public int maxLevel() {
            return (int) (entryState >> 32);
        }

        @Override
        public int nodeBound() {
            return allocatedCount;
        }

        @Override
        public int levelOf(int node) {
            return graph.levelOf(node);
        }

        @Override
        public int neighbors(int node, int level, int[] dest) {
            return graph.neighbors(node, level, allocatedCount, dest);
        }

        @Override
        public int touchNeighbors(int node, int level) {
            return level == 0 ? graph.touchLevel0(node, allocatedCount) : 0;
        }

        @Override
        public int maxDegree(int level) {
            return graph.maxDegree(level);
        }

        @Override
        public void setNeighbors(int node, int level, int[] ids, int count) {
            graph.setNeighbors(node, level, ids, count);
        }

        @Override
        public void setEntryPoint(int node, int level) {
            entryState = packEntry(node, level);
        }
    }
}
