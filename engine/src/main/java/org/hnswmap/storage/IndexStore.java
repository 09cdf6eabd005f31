package org.hnswmap.storage;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.DuplicateLabelException;
import org.hnswmap.error.IndexFileChangedException;
import org.hnswmap.error.IndexFullException;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.error.NotAnIndexException;
import org.hnswmap.graph.GraphVectors;
import org.hnswmap.graph.GraphView;
import org.hnswmap.graph.MutableGraph;

/**
 * The files of one index directory, mapped: the only entry point to the storage layer.
 *
 * <p>Opening is O(1) in the number of elements: validate the meta file and the preambles, pick the
 * newest valid commit slot, check file lengths, map. A reader maps every file read-only and sees
 * the state of the commit it last opened or {@link #refresh refreshed}. The writer (one per index,
 * see {@link WriterLock}) sees its own inserts at once and publishes them with {@link #commit}.
 *
 * <p>Thread-safety: all methods may be called concurrently except {@link #commit} and {@link
 * #close}, which the caller must not overlap with inserts or (for close) with anything. This object
 * owns every mapping and closes them in {@link #close}; nothing it returns may be used after that.
 */
public final class IndexStore implements AutoCloseable {

    private final Path directory;
    private final MetaFile meta;
    private final StoreConfig config;

    /** The data files; replaced as a whole when a resize brings a new label table. */
    private volatile DataFiles files;

    /** Label tables replaced by a resize, kept mapped for searches in flight until close. */
    private final List<MappedFile> replacedTables =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private final MappedVectors vectors;
    private final GraphData graph;
    private final WriterLock writerLock;
    private final MarksJournal journal;
    private final Object allocationLock = new Object();
    private volatile CommitState committed;
    private volatile int allocatedCount;

    /** Writer's entry point (low 32 bits) and top level (high 32 bits), published together. */
    private volatile long entryState;

    private long upperBytesUsed;

    /**
     * Writer: nodes whose deleted mark changed since the last commit (guarded by allocationLock).
     */
    private final java.util.BitSet deleteChanges = new java.util.BitSet();

    /**
     * Writer: nodes deleted as committed whose slots replace-deleted may reuse (guarded by
     * allocationLock). Only committed deletions: a crash before the next commit must not lose the
     * vector of an element the last commit holds as live.
     */
    private final java.util.BitSet reusable = new java.util.BitSet();

    /** Writer: the retired ones among {@link #reusable}, which updates reuse first. */
    private final java.util.BitSet reusableRetired = new java.util.BitSet();

    /** Writer: deleted nodes in the current state (written under allocationLock, read freely). */
    private volatile long deletedCount;

    /** Writer: of those, nodes retired by updates (written under allocationLock). */
    private volatile long retiredCount;

    private IndexStore(
            Path directory, MetaFile meta, DataFiles files, WriterLock lock, CommitState state) {
        this.directory = directory;
        this.meta = meta;
        this.config = meta.config();
        this.files = files;
        this.vectors = new MappedVectors(files.vectors(), files.codes(), config);
        this.graph =
                new GraphData(files.level0(), files.upper(), files.nodes(), config, lock != null);
        this.writerLock = lock;
        this.journal = new MarksJournal(directory.resolve(IndexFileNames.MARKS_JOURNAL));
        this.committed = state;
        this.allocatedCount = (int) state.nodeCount();
        this.entryState = packEntry(state.entryPoint(), state.maxLevel());
        this.upperBytesUsed = state.upperBytesUsed();
        this.deletedCount = state.deletedCount();
        this.retiredCount = state.retiredCount();
        graph.setUpperLimit(AdjacencyDescriptor.UPPER_DATA_OFFSET + state.upperBytesUsed());
        graph.setCommitted(state.generation());
    }

    /** Creates a new index in {@code directory} (created if missing, must not hold an index). */
    public static IndexStore create(
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
            return new IndexStore(directory, meta, files, lock, first);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens the index in {@code directory}, read-only or as its single writer.
     *
     * @throws NotAnIndexException when the directory holds no index
     */
    public static IndexStore open(Path directory, boolean writable) {
        Path metaPath = metaFileOf(directory);
        WriterLock lock = writable ? WriterLock.acquire(directory) : null;
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            MetaFile meta = MetaFile.open(metaPath, writable);
            opened.add(meta);
            CommitState state = meta.readLatestCommit();
            ConfigValidator.check(state, meta.config(), metaPath);
            DataFiles files = DataFiles.open(directory, meta, state, writable, opened);
            IndexStore store = new IndexStore(directory, meta, files, lock, state);
            if (writable) {
                store.discardUncommitted();
            }
            return store;
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                closeQuietly(c);
            }
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    /**
     * The configuration of the index in {@code directory}, read from its meta file alone (no data
     * file is mapped; the meta file's mapping is released before returning).
     *
     * @throws NotAnIndexException when the directory holds no index
     */
    public static StoreConfig readConfig(Path directory) {
        Path metaPath = metaFileOf(directory);
        try (MetaFile meta = MetaFile.open(metaPath, false)) {
            return meta.config();
        }
    }

    /** The meta file of the index in {@code directory}; NotAnIndexException when it is missing. */
    private static Path metaFileOf(Path directory) {
        Path metaPath = directory.resolve(IndexFileNames.META);
        if (!Files.isRegularFile(metaPath)) {
            throw new NotAnIndexException(
                    directory + ": not an hnswmap index (no " + IndexFileNames.META + ")");
        }
        return metaPath;
    }

    public Path directory() {
        return directory;
    }

    public StoreConfig config() {
        return config;
    }

    public CommitState committed() {
        return committed;
    }

    public boolean writable() {
        return writerLock != null;
    }

    public long capacity() {
        return committed.capacity();
    }

    /** Nodes a search may return: all inserted (writer) or all committed (reader). */
    public int visibleCount() {
        return writable() ? allocatedCount : (int) committed.nodeCount();
    }

    public String kernelName() {
        return MappedVectors.kernelName();
    }

    public GraphVectors vectors() {
        return vectors;
    }

    /** A fixed view for one search: committed state (reader) or current state (writer). */
    public GraphView searchView() {
        if (writable()) {
            long entry = entryState;
            return new MappedGraphView(graph, allocatedCount, (int) entry, (int) (entry >> 32));
        }
        CommitState c = committed;
        return new MappedGraphView(graph, (int) c.nodeCount(), c.entryPoint(), c.maxLevel());
    }

    /** The live graph for the builder (writer only). */
    public MutableGraph builderGraph() {
        return new BuilderGraph();
    }

    /**
     * Writer: shows the traversal codes the (stored form of the) vectors of an insert before any is
     * written; one-bit codes fix their centroid from the first insert's. Thread-safe.
     */
    public void prepareTraversalCodes(List<float[]> vectors) {
        this.vectors.prepare(vectors);
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

    /** The node of {@code label} among the visible nodes, or -1. */
    public int findNode(long label) {
        return findNode(label, visibleCount());
    }

    /** Whether the index was created with replace-deleted (slots of deleted nodes are reused). */
    public boolean allowsReplaceDeleted() {
        return (config.flags() & MetaHeaderDescriptor.FLAG_ALLOW_REPLACE_DELETED) != 0;
    }

    /**
     * Whether {@code node}'s current label and vector belong to the state this store sees: always
     * for the writer; for a reader, unless the slot was reused by a commit newer than its own.
     */
    public boolean isVisible(int node) {
        return writable()
                || !allowsReplaceDeleted()
                || graph.bornGeneration(node) <= committed.generation();
    }

    /**
     * The filter every search result must pass, or null when all nodes qualify: not deleted, and
     * for a reader of a replace-deleted index, not reused after its commit.
     */
    public java.util.function.IntPredicate resultFilter() {
        boolean hidesReused = !writable() && allowsReplaceDeleted();
        if (hidesReused) {
            return node -> !isDeleted(node) && isVisible(node);
        }
        return deletedCount() > 0 ? node -> !isDeleted(node) : null;
    }

    /**
     * Writer, replace-deleted: puts {@code label} and {@code vector} into the slot of a node
     * deleted in an earlier commit. Returns the node, or -1 when no slot is free. The node stays
     * marked deleted (so no search returns it) until the caller has relinked it and cleared the
     * mark.
     *
     * @throws DuplicateLabelException when {@code label} is present
     */
    public int reuseNode(long label, float[] vector, boolean retiredOnly) {
        synchronized (allocationLock) {
            if (findNode(label, allocatedCount) >= 0) {
                throw new DuplicateLabelException(
                        directory + ": label " + label + " is already in the index");
            }
            int node = reusableRetired.nextSetBit(0);
            if (node < 0 && !retiredOnly) {
                node = reusable.nextSetBit(0);
            }
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
            reusable.clear(node);
            reusableRetired.clear(node);
            if (graph.isRetired(node, false)) {
                retiredCount--;
            }
            DataFiles f = files;
            MemorySegment table = f.labels().segment();
            graph.markReborn(node, committed.generation() + 1);
            LabelTable.remove(table, f.labelSlotCount(), graph.nodeRecords(), node);
            graph.relabel(node, label);
            vectors.write(node, vector);
            sealNode(node);
            LabelTable.insert(table, f.labelSlotCount(), graph.nodeRecords(), node);
            return node;
        }
    }

    /** Writer: stores the checksum of the node's record and vector ({@link NodeChecksum}). */
    private void sealNode(int node) {
        NodeChecksum.seal(
                graph.nodeRecords(),
                node,
                vectors.rows(),
                vectors.rowOffset(node),
                vectors.rowBytes());
    }

    /** Writer: slots reusable now, by any replace-deleted insert or only by updates. */
    public int reusableCount(boolean retiredOnly) {
        synchronized (allocationLock) {
            return (retiredOnly ? reusableRetired : reusable).cardinality();
        }
    }

    /**
     * Writer, update of an existing label: marks {@code node} deleted and retired, so that the
     * label can be given to a new node (copy on write: readers of earlier commits keep finding the
     * old node, with its vector whole, until they refresh past the update's commit). The old label
     * slot stays until the node is reused.
     */
    public void retire(int node) {
        synchronized (allocationLock) {
            if (graph.isRetired(node, false)) {
                return; // counted once: deletedCount >= retiredCount holds at every commit
            }
            if (!graph.isDeleted(node, false)) {
                deletedCount++;
            }
            graph.retire(node);
            retiredCount++;
            deleteChanges.set(node);
        }
    }

    /** Whether {@code node}'s label moved to another node by an update (writer or committed). */
    public boolean isRetired(int node) {
        return graph.isRetired(node, !writable());
    }

    /**
     * Elements holding a label, deleted ones included (hnswlib's {@code get_current_count}):
     * visible nodes minus those retired by updates.
     */
    public int elementCount() {
        long retired = writable() ? retiredCount : committed.retiredCount();
        return (int) (visibleCount() - retired);
    }

    private void markReusable(int node) {
        reusable.set(node);
        if (graph.isRetired(node, true)) {
            reusableRetired.set(node);
        }
    }

    /** Top level of {@code node}. */
    public int levelOf(int node) {
        return graph.levelOf(node);
    }

    /** Skips nodes whose label an update moved on, and (readers) slots reused after the commit. */
    private int findNode(long label, int bound) {
        boolean reader = !writable();
        DataFiles f = files;
        return LabelTable.find(
                f.labels().segment(),
                f.labelSlotCount(),
                graph.nodeRecords(),
                label,
                bound,
                node -> !graph.isRetired(node, reader) && isVisible(node));
    }

    /**
     * Writer: marks {@code node} deleted or not; visible to readers at the next commit.
     *
     * @return whether the mark changed
     */
    public boolean setDeleted(int node, boolean deleted) {
        synchronized (allocationLock) {
            if (graph.isRetired(node, false)) {
                return false; // its label moved on: it stays deleted, as retired nodes are
            }
            if (!graph.setDeleted(node, deleted)) {
                return false;
            }
            if (!deleted) {
                reusable.clear(node);
                reusableRetired.clear(node);
            }
            deleteChanges.set(node);
            deletedCount += deleted ? 1 : -1;
            return true;
        }
    }

    /** Whether {@code node} is deleted: in the writer's state (writer) or as committed (reader). */
    public boolean isDeleted(int node) {
        return graph.isDeleted(node, !writable());
    }

    /**
     * Deleted elements a user sees (hnswlib's {@code num_deleted}): deleted slots minus those
     * retired by updates; the writer's current count, or the committed count for a reader.
     */
    public long userDeletedCount() {
        return writable()
                ? deletedCount - retiredCount
                : committed.deletedCount() - committed.retiredCount();
    }

    /** Deleted slots (retired included): the writer's current count, or the committed count. */
    public long deletedCount() {
        return writable() ? deletedCount : committed.deletedCount(); // no lock: read per query
    }

    public long labelOf(int node) {
        return graph.labelOf(node);
    }

    public float[] vectorOf(int node) {
        return vectors.read(node);
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
     * </ol>
     */
    public CommitState commit(int defaultEf) {
        return commit(defaultEf, committed.capacity());
    }

    private CommitState commit(int defaultEf, long capacity) {
        synchronized (allocationLock) {
            copyMarksToCommitted(committed.generation() + 1);
        }
        for (MappedFile f : files.all()) {
            f.force();
        }
        CommitState next = liveState(defaultEf, capacity);
        meta.writeCommit(next);
        graph.setCommitted(
                next.generation()); // inserts are paused: the next ones write in next + 1
        committed = next;
        return next;
    }

    /**
     * Commit step 1: the marks changed since the last commit go to their committed bits, through
     * the marks journal (written and synced first, so that writer open can redo or undo the change
     * whatever the crash point). Caller holds allocationLock.
     */
    private void copyMarksToCommitted(long generation) {
        List<MarksJournal.Entry> entries = new ArrayList<>();
        deleteChanges.stream()
                .forEach(
                        node -> {
                            int flags = graph.flags(node);
                            int next = GraphData.committedFlags(flags);
                            if (next != flags) {
                                entries.add(new MarksJournal.Entry(node, flags, next));
                            }
                        });
        if (!entries.isEmpty()) {
            journal.write(generation, entries.toArray(new MarksJournal.Entry[0]));
        }
        boolean reuse = allowsReplaceDeleted();
        for (MarksJournal.Entry e : entries) {
            graph.setCommittedBits(e.node(), e.newFlags());
            if (reuse && graph.isDeleted(e.node(), true)) {
                markReusable(e.node());
            }
        }
        deleteChanges.clear();
    }

    /**
     * Writer open: finishes the committed marks of the last commit if its slot was written, or
     * undoes those of a commit that died before its slot (storage-format.md, marks journal).
     */
    private void replayMarksJournal(CommitState c) {
        MarksJournal.Contents j = journal.read();
        if (j != null
                && (j.generation() == c.generation() || j.generation() == c.generation() + 1)) {
            boolean redo = j.generation() == c.generation();
            for (MarksJournal.Entry e : j.entries()) {
                if (e.node() >= 0 && e.node() < c.nodeCount()) {
                    graph.setCommittedBits(e.node(), redo ? e.newFlags() : e.oldFlags());
                }
            }
            files.nodes().force(); // durable before the journal goes
        }
        journal.delete();
    }

    /** The writer's current state, as the next commit would record it. */
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
                    deletedCount,
                    retiredCount,
                    defaultEf,
                    files.labelSlotCount(),
                    System.currentTimeMillis());
        }
    }

    /**
     * Reader: adopts the newest commit if it is newer than the one held. O(1): reads the meta slots
     * and maps files anew only when they grew. Concurrent calls are serialized, so that a commit's
     * state is adopted whole (its upper-level limit and list generation together).
     *
     * @return whether a newer commit was adopted
     */
    public synchronized boolean refresh() {
        if (writable()) {
            return false;
        }
        CommitState latest = meta.readLatestCommit();
        if (latest.generation() <= committed.generation()) {
            return false; // nothing newer (or the newer slot is damaged and the older one serves)
        }
        ConfigValidator.check(latest, config, meta.path());
        if (latest.labelSlotCount() != files.labelSlotCount()) {
            // A resize: map the new label table before the new state is adopted.
            MappedFile table =
                    DataFiles.openLabelTable(
                            directory,
                            latest.labelSlotCount(),
                            meta.indexId(),
                            false,
                            new ArrayList<>());
            replacedTables.add(files.labels());
            files = files.withLabels(table, latest.labelSlotCount());
        }
        files.checkLengths(config, latest);
        for (MappedFile f : files.all()) {
            f.remapIfGrown();
        }
        graph.setUpperLimit(AdjacencyDescriptor.UPPER_DATA_OFFSET + latest.upperBytesUsed());
        graph.setCommitted(latest.generation());
        committed = latest;
        return true;
    }

    /**
     * Whether {@code error} is HotSpot's report of a fault in a mapped-memory access (SIGBUS: a
     * file shorter than its mapping, or a failing device), as opposed to a JVM bug.
     */
    public static boolean isMappedAccessFault(InternalError error) {
        String m = error.getMessage();
        return m != null && m.contains("fault occurred in an unsafe memory access");
    }

    /**
     * The exception for a mapped-access fault: names the first file now shorter than its mapping,
     * or says that none is: then the file system could not back a page (a full disk when the writer
     * fills a page of a sparse file, or a device error). Thread-safe.
     */
    public IndexFileChangedException mappedAccessFault(InternalError error) {
        List<MappedFile> mapped = new ArrayList<>(files.all());
        mapped.add(0, meta.file());
        for (MappedFile f : mapped) {
            long mappedBytes = f.segment().byteSize();
            long onDisk;
            try {
                onDisk = Files.size(f.path());
            } catch (IOException e) {
                return new IndexFileChangedException(
                        f.path() + ": cannot be read any more (" + e + "); close the index", error);
            }
            if (onDisk < mappedBytes) {
                return new IndexFileChangedException(
                        f.path()
                                + ": truncated to "
                                + onDisk
                                + " bytes while mapped ("
                                + mappedBytes
                                + " bytes); it was changed in place underneath the open index."
                                + " Close it; replace index files by renaming, never in place",
                        error);
            }
        }
        return new IndexFileChangedException(
                directory
                        + ": an access to the mapped files failed: the file system could not"
                        + " provide a page (disk full while writing, or a device error)",
                error);
    }

    /**
     * Checks the structure of the committed state (storage-format.md, section 11 and the invariants
     * of sections 6-8) and returns the problems found, empty when sound. O(N). A reader checks its
     * committed snapshot; the writer checks its current state and must not insert meanwhile.
     */
    public List<String> verify() {
        CommitState c =
                writable() ? liveState(committed.defaultEf(), committed.capacity()) : committed;
        return new IndexVerifier(
                        config,
                        c,
                        files.level0().segment(),
                        files.upper().segment(),
                        files.nodes().segment(),
                        files.labels().segment(),
                        vectors,
                        writable(),
                        writable() || meta.readLatestCommit().generation() == c.generation())
                .run();
    }

    /** Sum of the apparent sizes of the index files, in bytes. */
    public long fileBytes() {
        long total = CommitSlotDescriptor.META_FILE_LENGTH;
        for (MappedFile f : files.all()) {
            total += f.sizeBytes();
        }
        return total;
    }

    /** Apparent size of each index file in bytes, by file name, meta file first. */
    public java.util.Map<String, Long> fileSizes() {
        java.util.Map<String, Long> sizes = new java.util.LinkedHashMap<>();
        sizes.put(IndexFileNames.META, (long) CommitSlotDescriptor.META_FILE_LENGTH);
        for (MappedFile f : files.all()) {
            sizes.put(f.path().getFileName().toString(), f.sizeBytes());
        }
        return sizes;
    }

    /** The on-disk format version this code writes and reads, e.g. {@code "1.0"}. */
    public static String formatVersion() {
        return FileHeaderDescriptor.FORMAT_MAJOR + "." + FileHeaderDescriptor.FORMAT_MINOR;
    }

    /**
     * Writer, {@code resize_index}: grows the capacity to {@code newCapacity} and commits. The
     * vector, level-0 and record files are extended in place (sparse); existing vectors and lists
     * are not rewritten. When the label table's slot count changes, a new table file is filled from
     * the node records (O(N)) before the commit that names it; the old file is removed after it
     * (readers that mapped it keep their mapping). Inserts must not be in flight.
     */
    public CommitState resize(long newCapacity, int defaultEf) {
        CommitState c = committed;
        int slots = LabelTableDescriptor.slotCountFor(newCapacity);
        files.vectors().growTo(VectorsDescriptor.fileLength(newCapacity, config.vectorStride()));
        if (files.codes() != null) {
            files.codes().growTo(DataFiles.codesLength(config, newCapacity));
        }
        files.level0()
                .growTo(AdjacencyDescriptor.level0FileLength(newCapacity, config.level0Stride()));
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
            DirectorySync.sync(
                    directory); // the new table's name is durable before a commit names it
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

    /** Writer open: label tables other than the committed one are leftovers of a resize. */
    private void removeStaleLabelTables(int slots) {
        String current = IndexFileNames.labels(slots);
        try (var entries = Files.list(directory)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(IndexFileNames.LABELS_PREFIX)
                        && name.endsWith(IndexFileNames.LABELS_SUFFIX)
                        && !name.equals(current)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new IndexIOException("cannot list " + directory + ": " + e, e);
        }
    }

    /** Writer open: forgets inserts that were never committed (an unclean stop). O(N). */
    private void discardUncommitted() {
        CommitState c = committed;
        removeStaleLabelTables(c.labelSlotCount());
        replayMarksJournal(c);
        LabelTable.dropUncommitted(
                files.labels().segment(), c.labelSlotCount(), (int) c.nodeCount());
        graph.dropUncommittedLists((int) c.nodeCount(), c.generation());
        restoreCommittedLabels(c);
    }

    /**
     * Writer open, after the links (which restored the committed marks): a slot reused by an
     * uncommitted replace stays deleted and becomes retired (its new label is never found; the
     * deleted element it held loses its label), free slots are collected, and every committed node
     * whose record's label has no slot pointing at it gets one back. O(N).
     */
    private void restoreCommittedLabels(CommitState c) {
        MemorySegment table = files.labels().segment();
        int count = (int) c.nodeCount();
        for (int node = 0; node < count; node++) {
            // Every committed node holds one slot under its record's label. A kill inside a reuse
            // (between removing the old label's slot and publishing the new one) or an
            // uncommitted update (which tombstoned a live node's slot) leaves a node without one.
            graph.checkCommittedRecord(node, c.generation());
            int self = node;
            long label = graph.labelOf(node);
            if (LabelTable.find(
                            table,
                            c.labelSlotCount(),
                            graph.nodeRecords(),
                            label,
                            count,
                            n -> n == self)
                    != node) {
                LabelTable.insert(table, c.labelSlotCount(), graph.nodeRecords(), node);
            }
            if (graph.bornGeneration(node) > c.generation()) {
                sealNode(node); // the reuse may have stopped between its label, vector and seal
                if (!graph.isRetired(node, false)) { // a retired slot reused: already counted
                    graph.retire(node);
                    retiredCount++;
                }
                deleteChanges.set(node);
                if (allowsReplaceDeleted()) {
                    reusable.set(node);
                    reusableRetired.set(node);
                }
            } else if (graph.isDeleted(node, true) && allowsReplaceDeleted()) {
                markReusable(node);
            }
        }
    }

    @Override
    public void close() {
        for (MappedFile f : files.all()) {
            closeQuietly(f);
        }
        for (MappedFile f : replacedTables) {
            closeQuietly(f);
        }
        closeQuietly(meta);
        if (writerLock != null) {
            writerLock.close();
        }
    }

    private static long packEntry(int entryPoint, int maxLevel) {
        return ((long) maxLevel << 32) | (entryPoint & 0xffffffffL);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure: the first error is the one to report
        }
    }

    /** The writer's live graph, as the builder sees it. */
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
