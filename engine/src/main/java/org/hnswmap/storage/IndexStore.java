package org.hnswmap.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntPredicate;
import org.hnswmap.error.IndexFileChangedException;
import org.hnswmap.error.NotAnIndexException;
import org.hnswmap.graph.GraphVectors;
import org.hnswmap.graph.GraphView;

/**
 * The files of one index directory, mapped: the entry point to the storage layer. Two roles share
 * it: a {@link CommittedSnapshot} (a reader: every file mapped read-only, the state of the commit
 * it opened or last refreshed) and the {@link StoreWriter} (one per index, see {@link WriterLock}:
 * sees its own inserts at once and publishes them with a commit). This class holds what both read:
 * the configuration, the mapped files, vectors and graph, and the view a search or a lookup gets.
 *
 * <p>Opening is O(1) in the number of elements for a reader: validate the meta file and the
 * preambles, pick the newest valid commit slot, check file lengths, map. (The writer's open adds an
 * O(N) recovery pass, {@link WriterRecovery}.)
 *
 * <p>Thread-safety: every method may be called concurrently, except where a subclass says so. This
 * object owns every mapping and closes them in {@link #close}; nothing it returns may be used after
 * that.
 */
public abstract sealed class IndexStore implements AutoCloseable
        permits CommittedSnapshot, StoreWriter {

    final Path directory;
    final MetaFile meta;
    final StoreConfig config;

    /** The data files; replaced as a whole when a resize brings a new label table. */
    volatile DataFiles files;

    /** Label tables replaced by a resize, kept mapped for searches in flight until close. */
    final List<MappedFile> replacedTables = new CopyOnWriteArrayList<>();

    final MappedVectors vectors;
    final GraphData graph;

    IndexStore(
            Path directory, MetaFile meta, DataFiles files, boolean liveWriter, CommitState state) {
        this.directory = directory;
        this.meta = meta;
        this.config = meta.config();
        this.files = files;
        this.vectors = new MappedVectors(files.vectors(), files.codes(), config);
        this.graph =
                new GraphData(
                        files.level0(),
                        files.level0Copies(),
                        files.upper(),
                        files.nodes(),
                        config,
                        liveWriter);
        graph.setUpperLimit(AdjacencyDescriptor.UPPER_DATA_OFFSET + state.upperBytesUsed());
        graph.setCommitted(state.generation());
    }

    /** Creates a new index in {@code directory} (created if missing, must not hold an index). */
    public static StoreWriter create(
            Path directory, StoreConfig config, long capacity, int defaultEf) {
        MappedVectors.coldSetting();
        return StoreWriter.createIndex(directory, config, capacity, defaultEf);
    }

    /**
     * Opens the index in {@code directory}, read-only ({@link CommittedSnapshot}) or as its single
     * writer ({@link StoreWriter}).
     *
     * @throws NotAnIndexException when the directory holds no index
     */
    public static IndexStore open(Path directory, boolean writable) {
        MappedVectors.coldSetting();
        return writable ? StoreWriter.open(directory) : CommittedSnapshot.open(directory);
    }

    /**
     * The configuration of the index in {@code directory}, read from its meta file alone (no data
     * file is mapped; the meta file's mapping is released before returning).
     *
     * @throws NotAnIndexException when the directory holds no index
     */
    public static StoreConfig readConfig(Path directory) {
        try (MetaFile meta = MetaFile.open(metaFileOf(directory), false)) {
            return meta.config();
        }
    }

    /** Builds a store from the files {@link #openMapped} mapped. */
    interface Assembler<T extends IndexStore> {
        /**
         * @param opened what was opened so far, closed by the caller if this throws; add what this
         *     opens
         */
        T assemble(MetaFile meta, DataFiles files, CommitState state, List<AutoCloseable> opened);
    }

    /**
     * Opens and validates the meta file, picks the newest valid commit, maps the data files, and
     * hands them to {@code assembler}; closes everything opened when any step fails.
     */
    static <T extends IndexStore> T openMapped(
            Path directory, boolean writable, Assembler<T> assembler) {
        Path metaPath = metaFileOf(directory);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            MetaFile meta = MetaFile.open(metaPath, writable);
            opened.add(meta);
            CommitState state = meta.readLatestCommit();
            DataFiles files = DataFiles.open(directory, meta, state, writable, opened);
            return assembler.assemble(meta, files, state, opened);
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                closeQuietly(c);
            }
            throw e;
        }
    }

    /** The meta file of the index in {@code directory}; NotAnIndexException when it is missing. */
    static Path metaFileOf(Path directory) {
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

    /** The last commit this store holds: the one a reader sees, the one the writer builds on. */
    public abstract CommitState committed();

    /** Whether this is the writer. */
    public abstract boolean writable();

    public long capacity() {
        return committed().capacity();
    }

    /** Nodes a search may return: all inserted (writer) or all committed (reader). */
    public abstract int visibleCount();

    /** A fixed view for one search: committed state (reader) or current state (writer). */
    public abstract GraphView searchView();

    /** Whether {@code node}'s current label and vector belong to the state this store sees. */
    public abstract boolean isVisible(int node);

    /** Whether {@code node} is deleted: in the writer's state (writer) or as committed (reader). */
    public boolean isDeleted(int node) {
        return graph.isDeleted(node, !writable());
    }

    /** Whether {@code node}'s label moved to another node by an update (writer or committed). */
    public boolean isRetired(int node) {
        return graph.isRetired(node, !writable());
    }

    /** Deleted slots (retired included): the writer's current count, or the committed count. */
    public abstract long deletedCount();

    /**
     * Deleted elements a user sees (hnswlib's {@code num_deleted}): deleted slots minus those
     * retired by updates.
     */
    public abstract long userDeletedCount();

    /**
     * Elements holding a label, deleted ones included (hnswlib's {@code get_current_count}):
     * visible nodes minus those retired by updates.
     */
    public abstract int elementCount();

    /**
     * The filter every search result must pass, or null when all nodes qualify: not deleted, and
     * for a reader of a replace-deleted index, not reused after its commit.
     */
    public IntPredicate resultFilter() {
        return deletedCount() > 0 ? node -> !isDeleted(node) : null;
    }

    /** Reader: adopts the newest commit if newer (O(1)); the writer always has it. */
    public abstract boolean refresh();

    /**
     * Checks the structure of this store's state (storage-format.md, section 11 and the invariants
     * of sections 6-8) and returns the problems found, empty when sound. O(N).
     */
    public abstract List<String> verify();

    List<String> verify(CommitState state, boolean live, boolean countsExact) {
        return new IndexVerifier(
                        config,
                        state,
                        graph.level0Lists(),
                        files.upper().segment(),
                        files.nodes().segment(),
                        files.labels().segment(),
                        vectors,
                        live,
                        countsExact)
                .run();
    }

    public String kernelName() {
        return MappedVectors.kernelName();
    }

    /**
     * {@code "native"} when searches prefetch through {@link NativePrefetch}, else {@code "touch"}.
     */
    public String prefetchName() {
        return NativePrefetch.available() ? "native" : "touch";
    }

    public GraphVectors vectors() {
        return vectors;
    }

    /** The node of {@code label} among the visible nodes, or -1. */
    public int findNode(long label) {
        return findNode(label, visibleCount());
    }

    /** Skips nodes whose label an update moved on, and (readers) slots reused after the commit. */
    int findNode(long label, int bound) {
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

    /** Whether the index was created with replace-deleted (slots of deleted nodes are reused). */
    public boolean allowsReplaceDeleted() {
        return (config.flags() & MetaHeaderDescriptor.FLAG_ALLOW_REPLACE_DELETED) != 0;
    }

    /** Top level of {@code node}. */
    public int levelOf(int node) {
        return graph.levelOf(node);
    }

    public long labelOf(int node) {
        return graph.labelOf(node);
    }

    public float[] vectorOf(int node) {
        return vectors.read(node);
    }

    /**
     * The centroids of the traversal codes (a copy): one for one-bit codes, one per region for
     * codes with traversal regions; null when they have none (float32 traversal, int8 or 4-bit
     * without regions, or an index that never held a vector).
     */
    public float[][] traversalCentroids() {
        TraversalCodes codes = vectors.codes();
        float[][] centroids = codes == null ? null : codes.centroids();
        if (centroids == null) {
            return null;
        }
        float[][] copy = new float[centroids.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = centroids[i].clone();
        }
        return copy;
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

    /** Sum of the apparent sizes of the index files, in bytes. */
    public long fileBytes() {
        long total = CommitSlotDescriptor.META_FILE_LENGTH;
        for (MappedFile f : files.all()) {
            total += f.sizeBytes();
        }
        return total;
    }

    /** Apparent size of each index file in bytes, by file name, meta file first. */
    public Map<String, Long> fileSizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        sizes.put(IndexFileNames.META, (long) CommitSlotDescriptor.META_FILE_LENGTH);
        for (MappedFile f : files.all()) {
            sizes.put(f.path().getFileName().toString(), f.sizeBytes());
        }
        return sizes;
    }

    /**
     * Bytes of each index file in memory now ({@code mincore}), by file name; -1 where unknown (not
     * Linux, or no native access). The meta file is left out: one page, always read.
     */
    public Map<String, Long> residentBytes() {
        Map<String, Long> resident = new LinkedHashMap<>();
        for (MappedFile f : files.all()) {
            resident.put(f.path().getFileName().toString(), f.residentBytes());
        }
        return resident;
    }

    /** Whether the float32 rows are read as cold (see storage-format.md, "Hot and cold files"). */
    public boolean coldRows() {
        return vectors.coldRows();
    }

    /** The on-disk format version this code writes and reads, e.g. {@code "2.0"}. */
    public static String formatVersion() {
        return FileHeaderDescriptor.FORMAT_MAJOR + "." + FileHeaderDescriptor.FORMAT_MINOR;
    }

    @Override
    public void close() {
        files.closeAll();
        for (MappedFile f : replacedTables) {
            closeQuietly(f);
        }
        closeQuietly(meta);
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure: the first error is the one to report
        }
    }
}
