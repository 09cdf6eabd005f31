package org.hnswmap.index;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.hnswmap.error.DuplicateLabelException;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.error.IndexClosedException;
import org.hnswmap.error.ReadOnlyIndexException;
import org.hnswmap.error.UnknownLabelException;
import org.hnswmap.graph.GraphView;
import org.hnswmap.storage.CommitState;
import org.hnswmap.storage.IndexStore;
import org.hnswmap.storage.MetaHeaderDescriptor;
import org.hnswmap.storage.StoreConfig;
import org.hnswmap.storage.StoreWriter;

/**
 * An HNSW index over memory-mapped files: hnswlib's {@code Index} with {@code save_index} replaced
 * by {@link #commit()} and {@code load_index} by an instant {@link #open(Path)}.
 *
 * <p>A writer ({@link #create} or {@link #openForWrite}; one per index across all processes)
 * inserts and commits. Readers ({@link #open}, any number, in any JVM) map the files read-only,
 * with no work proportional to the index size, and see the last commit they opened or {@link
 * #refresh refreshed}. The writer's own searches see every insert at once.
 *
 * <p>Thread-safety: every method may be called from many threads at once, including searches during
 * inserts, except {@link #close()}, which must not overlap other calls. {@link #commit()} waits for
 * inserts in flight. The index owns its mappings; {@link #close()} releases them.
 */
public final class HnswIndex implements AutoCloseable {

    /** Most rows of the first insert whose mean becomes the centroid of one-bit codes. */
    public static final int CENTROID_SAMPLE = Inserter.CENTROID_SAMPLE;

    private final IndexStore store;

    /** The same store as its writer, or null for a reader. */
    private final StoreWriter writer;

    private final Space space;
    private final int dimension;

    /** The writer's inserts and marks, or null for a reader. */
    private final Inserter inserter;

    private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();

    private final QueryEngine queryEngine;
    private volatile int defaultEf;
    private volatile int defaultThreads = ParallelFor.everyCore();
    private volatile boolean efSetByUser;
    private volatile boolean closed;

    /** The store behind this index, for format converters of this package. */
    IndexStore store() {
        return store;
    }

    /**
     * For the copiers of this package, which write one element per label: throws when slots of
     * {@code view} hold elements replaced by updates (their old vectors have no label of their
     * own).
     *
     * @param why why the copy cannot keep them
     * @param copy the copy's verb, for the advice to do it before updating
     */
    void requireNoReplacedSlots(GraphView view, String why, String copy) {
        int replaced = view.nodeBound() - store.elementCount();
        if (replaced != 0) {
            throw new IllegalParameterException(
                    directory()
                            + ": "
                            + replaced
                            + " slots hold elements replaced by updates; "
                            + why
                            + " (rebuild the index, or "
                            + copy
                            + " before updating)");
        }
    }

    /** The store as its writer (null for a reader), for the importer of this package. */
    StoreWriter writer() {
        return writer;
    }

    private HnswIndex(IndexStore store) {
        this.store = store;
        this.writer = store instanceof StoreWriter w ? w : null;
        StoreConfig c = store.config();
        this.space = toSpace(c.space());
        this.dimension = c.dimension();
        this.defaultEf = store.committed().defaultEf();
        this.queryEngine = new QueryEngine(store);
        this.inserter = writer == null ? null : new Inserter(writer, commitLock, this::requireOpen);
    }

    /**
     * Creates an empty index in {@code directory} (created if missing) and opens it for writing.
     */
    public static HnswIndex create(Path directory, IndexConfig config) {
        EnumSet<StoreConfig.Option> options = EnumSet.noneOf(StoreConfig.Option.class);
        if (config.allowReplaceDeleted()) {
            options.add(StoreConfig.Option.ALLOW_REPLACE_DELETED);
        }
        if (config.int8Traversal()) {
            options.add(StoreConfig.Option.INT8_TRAVERSAL);
        }
        if (config.binaryTraversal()) {
            options.add(StoreConfig.Option.BINARY_TRAVERSAL);
        }
        if (config.int4Traversal()) {
            options.add(StoreConfig.Option.INT4_TRAVERSAL);
        }
        StoreConfig stored =
                StoreConfig.forNewIndex(
                        toCode(config.space()),
                        config.dimension(),
                        config.m(),
                        config.efConstruction(),
                        config.randomSeed(),
                        options,
                        config.traversalRegions());
        return new HnswIndex(
                IndexStore.create(directory, stored, config.maxElements(), config.defaultEf()));
    }

    /** Opens a committed index read-only: O(1), no data is read until searched. */
    public static HnswIndex open(Path directory) {
        return new HnswIndex(IndexStore.open(directory, false));
    }

    /**
     * Opens a committed index as its single writer; uncommitted inserts of a dead writer are
     * dropped.
     */
    public static HnswIndex openForWrite(Path directory) {
        return new HnswIndex(IndexStore.open(directory, true));
    }

    /**
     * Inserts one vector under a user label, or, when the label is present, replaces its vector
     * (hnswlib's {@code add_items} with one row).
     */
    public void addItem(float[] vector, long label) {
        addItem(vector, label, false);
    }

    /**
     * As {@link #addItem(float[], long)}; with {@code replaceDeleted}, the slot of an element
     * deleted in an earlier commit is reused when one is free (the index must allow it).
     */
    public void addItem(float[] vector, long label, boolean replaceDeleted) {
        addItems(new float[][] {vector}, new long[] {label}, 1, replaceDeleted);
    }

    /** Inserts or updates rows on {@link #getNumThreads()} threads. */
    public void addItems(float[][] vectors, long[] labels) {
        addItems(vectors, labels, -1);
    }

    /** Inserts or updates rows on {@code numThreads} threads (-1: {@link #getNumThreads()}). */
    public void addItems(float[][] vectors, long[] labels, int numThreads) {
        addItems(vectors, labels, numThreads, false);
    }

    /**
     * hnswlib's {@code add_items(data, ids, num_threads, replace_deleted)}: inserts {@code
     * vectors[i]} under {@code labels[i]}. A label already present gets the new vector: the element
     * moves to a fresh slot (copy on write, so readers of earlier commits keep the old vector
     * whole) and its old slot counts as deleted. With {@code replaceDeleted}, slots of elements
     * deleted in an earlier commit are reused first, with hnswlib's neighbourhood repair.
     *
     * <p>Every row is checked first, so a bad row, a label twice in the batch or too little
     * capacity fails the call before anything is inserted. With one thread the build is
     * reproducible.
     */
    public void addItems(float[][] vectors, long[] labels, int numThreads, boolean replaceDeleted) {
        add(vectors, labels, threads(numThreads), replaceDeleted, true);
    }

    /**
     * As {@link #addItems(float[][], long[], int)}, with the inserts running as tasks of {@code
     * executor} (the application's pool, or virtual threads) instead of threads of the index's own.
     */
    public void addItems(float[][] vectors, long[] labels, ExecutorService executor) {
        add(vectors, labels, ParallelFor.on(executor), false, true);
    }

    /**
     * As {@link #addItems(float[][], long[], int)}, but refuses the batch with {@link
     * DuplicateLabelException} when a label is already present (no update).
     */
    public void addNewItems(float[][] vectors, long[] labels, int numThreads) {
        add(vectors, labels, threads(numThreads), false, false);
    }

    /**
     * Fixes what the traversal codes are taken relative to from {@code sample} instead of from the
     * first insert: the centroids of traversal regions (k-means on up to 32 rows per centroid,
     * evenly spaced; see {@link IndexConfig.Builder#traversalRegions}) or the one-bit codes'
     * centroid (the mean of up to {@value #CENTROID_SAMPLE} rows). Call it before the first insert
     * when the data arrive in batches that do not look like the whole (a small first batch, rows
     * sorted by class or source), with all the rows or a random sample of them. Does nothing when
     * the index has no such codes or they are fixed already: they never change once rows use them.
     *
     * @return whether this call fixed them
     * @throws org.hnswmap.error.DimensionMismatchException when a row has the wrong dimension
     * @throws org.hnswmap.error.InvalidVectorException when a row has a non-finite component
     */
    public boolean trainTraversalCodes(float[][] sample) {
        requireWritable();
        if (sample == null || sample.length == 0) {
            throw new IllegalParameterException("the sample must hold at least one row");
        }
        float[][] prepared = new float[sample.length][];
        for (int i = 0; i < sample.length; i++) {
            prepared[i] = VectorChecks.prepare(sample[i], dimension, space, "sample row " + i);
        }
        return mapped(() -> writer.prepareTraversalCodes(java.util.Arrays.asList(prepared)));
    }

    /**
     * hnswlib's {@code set_num_threads}: the threads of batch calls that give none or give -1.
     * Every core until set.
     */
    public void setNumThreads(int numThreads) {
        defaultThreads = ParallelFor.checkThreads(numThreads);
    }

    public int getNumThreads() {
        return defaultThreads;
    }

    /**
     * Whether batches of {@value ClusteredInsertOrder#MIN_ROWS} rows or more are inserted grouped
     * by region instead of in the order given: a random tenth first, then the rest grouped by the
     * nearest of about {@code sqrt(n)} of the rows. Consecutive inserts then search the same part
     * of the graph, which stays in the CPU caches, and neighbouring elements get neighbouring node
     * ids, which searches read together. On data with structure (clusters, classes, real
     * embeddings) builds are much faster; on data without any (uniform random) nothing is gained,
     * and recall at a given ef moves by about 1 % either way; bench/RESULTS.md has the figures.
     * Labels are kept as given. Off until set; per handle (not stored). Single-threaded builds stay
     * reproducible: the grouping is seeded by the index's random seed.
     *
     * @throws ReadOnlyIndexException on a reader
     */
    public void setClusteredInserts(boolean on) {
        requireWritable();
        inserter.setClusteredInserts(on);
    }

    /** See {@link #setClusteredInserts}; false on a reader. */
    public boolean getClusteredInserts() {
        return inserter != null && inserter.clusteredInserts();
    }

    private ParallelFor.Workers threads(int numThreads) {
        return ParallelFor.threads(ParallelFor.resolveThreads(numThreads, defaultThreads));
    }

    private void add(
            float[][] vectors,
            long[] labels,
            ParallelFor.Workers workers,
            boolean replaceDeleted,
            boolean updateExisting) {
        requireWritable();
        if (vectors == null || labels == null || vectors.length != labels.length) {
            throw new IllegalParameterException(
                    "vectors and labels must have the same length, not "
                            + (vectors == null ? "null" : vectors.length)
                            + " and "
                            + (labels == null ? "null" : labels.length));
        }
        if (replaceDeleted && !store.allowsReplaceDeleted()) {
            throw new IllegalParameterException(
                    store.directory()
                            + ": replaceDeleted needs an index created with allowReplaceDeleted");
        }
        float[][] prepared = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            prepared[i] =
                    VectorChecks.prepare(
                            vectors[i],
                            dimension,
                            space,
                            "row " + i + " (label " + labels[i] + ")");
        }
        mappedRun(
                () ->
                        inserter.insertAll(
                                prepared, labels, workers, replaceDeleted, updateExisting));
    }

    /**
     * The {@code k} nearest elements to {@code query}, searched with the default ef, or with {@code
     * k} when that is larger (hnswlib's {@code knn_query} searches with {@code max(ef, k)}).
     */
    public SearchResult knnQuery(float[] query, int k) {
        return knnQuery(query, k, Math.max(defaultEf, k));
    }

    /**
     * The {@code k} nearest elements to {@code query}, nearest first, searched with beam width
     * {@code ef} (at least {@code k}).
     */
    public SearchResult knnQuery(float[] query, int k, int ef) {
        float[] prepared = prepareQuery(query, k, ef);
        return mapped(() -> queryEngine.search(prepared, k, ef));
    }

    /**
     * The {@code k} nearest elements whose label passes {@code labelFilter} (hnswlib's {@code
     * filter}). When the filter is selective, the search falls back to exact scoring of the
     * admitted elements, so recall stays high at any selectivity.
     */
    public SearchResult knnQuery(float[] query, int k, int ef, LongPredicate labelFilter) {
        float[] prepared = prepareQuery(query, k, ef);
        requireFilter(labelFilter);
        return mapped(() -> queryEngine.search(prepared, k, ef, labelFilter));
    }

    /**
     * The {@code k} nearest elements among {@code allowedLabels}; labels not in the index are
     * ignored. Exact when the graph search would score more elements than the list holds.
     */
    public SearchResult knnQuery(float[] query, int k, int ef, long[] allowedLabels) {
        float[] prepared = prepareQuery(query, k, ef);
        if (allowedLabels == null) {
            throw new IllegalParameterException("allowedLabels is null");
        }
        return mapped(() -> queryEngine.search(prepared, k, ef, allowedLabels));
    }

    /**
     * Marks the element of {@code label} deleted: searches no longer return it, but it still guides
     * them (as in hnswlib). Readers see it at the next commit. Marking twice is harmless.
     *
     * @throws UnknownLabelException when no element has {@code label}
     */
    public void markDeleted(long label) {
        setDeleted(label, true);
    }

    /** Undoes {@link #markDeleted}; readers see it at the next commit. */
    public void unmarkDeleted(long label) {
        setDeleted(label, false);
    }

    private void setDeleted(long label, boolean deleted) {
        requireWritable();
        mappedRun(() -> inserter.setDeleted(label, deleted));
    }

    /** Elements marked deleted (the writer's current count; a reader's committed count). */
    public long getDeletedCount() {
        requireOpen();
        return store.userDeletedCount();
    }

    /** Whether the element of {@code label} is marked deleted. */
    public boolean isMarkedDeleted(long label) {
        requireOpen();
        return mapped(() -> store.isDeleted(requireNode(label)));
    }

    /**
     * hnswlib's {@code knn_query(data, k)}: one query per row, searched with {@code max(default ef,
     * k)}, on {@link #getNumThreads()} threads.
     */
    public BatchSearchResult knnQuery(float[][] queries, int k) {
        return knnQuery(queries, k, -1);
    }

    /**
     * hnswlib's {@code knn_query(data, k, num_threads)}: one query per row, searched with {@code
     * max(default ef, k)}, on {@code numThreads} threads (-1: {@link #getNumThreads()}).
     */
    public BatchSearchResult knnQuery(float[][] queries, int k, int numThreads) {
        return knnQuery(queries, k, Math.max(defaultEf, k), numThreads);
    }

    /**
     * One query per row on {@code numThreads} threads (-1: {@link #getNumThreads()}); rows nearest
     * first.
     */
    public BatchSearchResult knnQuery(float[][] queries, int k, int ef, int numThreads) {
        return batch(queries, k, ef, null, threads(numThreads));
    }

    /**
     * hnswlib's {@code knn_query(data, k, num_threads, filter)}: one query per row, each answer
     * holding only labels that pass {@code labelFilter}, as {@link #knnQuery(float[], int, int,
     * LongPredicate)}. The filter is called from several threads at once.
     */
    public BatchSearchResult knnQuery(
            float[][] queries, int k, int ef, LongPredicate labelFilter, int numThreads) {
        return batch(queries, k, ef, requireFilter(labelFilter), threads(numThreads));
    }

    /**
     * One query per row, run as tasks of {@code executor} (the application's pool, or virtual
     * threads); {@code labelFilter} may be null (no filter).
     */
    public BatchSearchResult knnQuery(
            float[][] queries, int k, int ef, LongPredicate labelFilter, ExecutorService executor) {
        return batch(queries, k, ef, labelFilter, ParallelFor.on(executor));
    }

    private BatchSearchResult batch(
            float[][] queries,
            int k,
            int ef,
            LongPredicate labelFilter,
            ParallelFor.Workers workers) {
        requireOpen();
        checkSearchParameters(k, ef);
        if (queries == null) {
            throw new IllegalParameterException("queries is null");
        }
        float[][] prepared = new float[queries.length][];
        for (int i = 0; i < queries.length; i++) {
            prepared[i] = VectorChecks.prepare(queries[i], dimension, space, "query row " + i);
        }
        long[][] labels = new long[queries.length][];
        float[][] distances = new float[queries.length][];
        mappedRun(
                () ->
                        workers.run(
                                queries.length,
                                i -> {
                                    SearchResult r =
                                            labelFilter == null
                                                    ? queryEngine.search(prepared[i], k, ef)
                                                    : queryEngine.search(
                                                            prepared[i], k, ef, labelFilter);
                                    labels[i] = r.labels();
                                    distances[i] = r.distances();
                                }));
        return new BatchSearchResult(labels, distances);
    }

    private static LongPredicate requireFilter(LongPredicate labelFilter) {
        if (labelFilter == null) {
            throw new IllegalParameterException("labelFilter is null");
        }
        return labelFilter;
    }

    /**
     * Runs {@code op}, turning a fault in a mapped-memory access (a file truncated underneath, a
     * full disk) into {@link org.hnswmap.error.IndexFileChangedException} naming the file; any
     * other internal error stays as it is. Every call that touches the mapped files goes through
     * it.
     */
    private <T> T mapped(Supplier<T> op) {
        try {
            return op.get();
        } catch (InternalError e) {
            throw mappedFault(e);
        }
    }

    private void mappedRun(Runnable op) {
        mapped(
                () -> {
                    op.run();
                    return null;
                });
    }

    private RuntimeException mappedFault(InternalError e) {
        if (IndexStore.isMappedAccessFault(e)) {
            return store.mappedAccessFault(e);
        }
        throw e;
    }

    /** Checks the index is open and the parameters sane; returns the query ready to search. */
    private float[] prepareQuery(float[] query, int k, int ef) {
        requireOpen();
        checkSearchParameters(k, ef);
        return VectorChecks.prepare(query, dimension, space, "query");
    }

    /** The node of {@code label}, which must be present. */
    private int requireNode(long label) {
        int node = store.findNode(label);
        if (node < 0) {
            throw new UnknownLabelException(store.directory() + ": no element with label " + label);
        }
        return node;
    }

    private static void checkSearchParameters(int k, int ef) {
        if (k < 1) {
            throw new IllegalParameterException("k must be at least 1, not " + k);
        }
        if (ef < k) {
            throw new IllegalParameterException("ef (" + ef + ") must be at least k (" + k + ")");
        }
        if (ef > MetaHeaderDescriptor.MAX_EF) {
            throw new IllegalParameterException(
                    "ef (" + ef + ") must be at most " + MetaHeaderDescriptor.MAX_EF);
        }
    }

    /** Sets the beam width of searches that give none; a writer stores it at the next commit. */
    public void setEf(int ef) {
        requireOpen();
        if (ef < 1 || ef > MetaHeaderDescriptor.MAX_EF) {
            throw new IllegalParameterException(
                    "ef must be 1.." + MetaHeaderDescriptor.MAX_EF + ", not " + ef);
        }
        defaultEf = ef;
        efSetByUser = true;
    }

    public int getEf() {
        return defaultEf;
    }

    /**
     * With traversal codes (int8, 4-bit or one-bit): how many candidates a search re-ranks by exact
     * distance, as a multiple of its beam width {@code max(ef, k)} (at least {@code k}). Without it
     * the codes' own (int8 and 4-bit: 1, one-bit: 2). A larger pool can raise recall at the same
     * ef; each pooled row is read, which costs little in memory and a disk read on an index larger
     * than memory, where a smaller pool and a larger ef can give the same recall for fewer reads
     * (choose both on held-out queries: bench/RESULTS.md). Applies to this handle's searches; not
     * stored.
     */
    public void setRerankPool(double ratio) {
        requireOpen();
        if (!(ratio > 0 && ratio <= 64)) {
            throw new IllegalParameterException(
                    "rerankPool must be above 0 and at most 64, not " + ratio);
        }
        queryEngine.setRerankPool(ratio);
    }

    /** The re-rank pool set by {@link #setRerankPool}, or NaN when the codes' own is used. */
    public double getRerankPool() {
        return queryEngine.rerankPool();
    }

    /**
     * The stored vector of {@code label} (normalized for cosine, as hnswlib's {@code get_items}).
     *
     * @throws UnknownLabelException when no element has {@code label}, or it is marked deleted
     *     (hnswlib 0.7 and later refuse deleted elements the same way)
     */
    public float[] getItem(long label) {
        requireOpen();
        return mapped(
                () -> {
                    int node = requireNode(label);
                    if (store.isDeleted(node)) {
                        throw new UnknownLabelException(
                                store.directory()
                                        + ": the element with label "
                                        + label
                                        + " is marked deleted");
                    }
                    return store.vectorOf(node);
                });
    }

    /**
     * The stored vectors of {@code labels}, row by row (hnswlib's {@code get_items}); refuses
     * deleted elements as {@link #getItem} does.
     */
    public float[][] getItems(long[] labels) {
        float[][] out = new float[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            out[i] = getItem(labels[i]);
        }
        return out;
    }

    /**
     * Labels of every element, deleted ones included, in insertion order (hnswlib's {@code
     * get_ids_list}).
     */
    public long[] getIdsList() {
        requireOpen();
        int count = store.visibleCount();
        long[] labels = new long[count];
        int n =
                mapped(
                        () -> {
                            int kept = 0;
                            for (int node = 0; node < count; node++) {
                                if (!store.isRetired(node) && store.isVisible(node)) {
                                    labels[kept++] = store.labelOf(node);
                                }
                            }
                            return kept;
                        });
        return n == count ? labels : java.util.Arrays.copyOf(labels, n);
    }

    public boolean contains(long label) {
        requireOpen();
        return mapped(() -> store.findNode(label) >= 0);
    }

    /**
     * Makes every insert so far durable and visible to readers that open or refresh. Waits for
     * inserts in flight; searches go on meanwhile. Atomic: a crash leaves the previous commit.
     */
    public void commit() {
        requireWritable();
        exclusive(
                () -> {
                    inserter.beforeCommit();
                    return writer.commit(defaultEf);
                });
    }

    /** Runs {@code op} with inserts paused (the commit lock held for writing), the index open. */
    private <T> T exclusive(Supplier<T> op) {
        commitLock.writeLock().lock();
        try {
            requireOpen();
            return mapped(op);
        } finally {
            commitLock.writeLock().unlock();
        }
    }

    /**
     * hnswlib's {@code resize_index}: grows the capacity to {@code newMaxElements} and commits
     * (pending inserts and marks included). Existing vectors and lists are not rewritten: the files
     * are extended in place; the label table is rebuilt into a new file when its slot count changes
     * (O(N)). Readers pick the growth up on {@code refresh()}. Capacity cannot shrink: a smaller
     * value is refused, the same value does nothing.
     */
    public void resizeIndex(long newMaxElements) {
        requireWritable();
        if (newMaxElements > (1L << 29)) {
            throw new IllegalParameterException(
                    "maxElements must be at most 2^29, not " + newMaxElements);
        }
        exclusive(
                () -> {
                    long current = store.capacity();
                    if (newMaxElements < current) {
                        throw new IllegalParameterException(
                                store.directory()
                                        + ": cannot shrink maxElements from "
                                        + current
                                        + " to "
                                        + newMaxElements
                                        + " (readers may map the whole files)");
                    }
                    if (newMaxElements == current) {
                        return null;
                    }
                    inserter.beforeCommit();
                    return writer.resize(newMaxElements, defaultEf);
                });
    }

    /**
     * Reader: adopts the newest commit, in O(1) plus the mapping of any grown file. Returns whether
     * there was a newer one. A writer always sees its own state, so this returns false.
     */
    public boolean refresh() {
        requireOpen();
        boolean changed = mapped(store::refresh);
        if (changed && !efSetByUser) {
            defaultEf = store.committed().defaultEf();
        }
        return changed;
    }

    /**
     * Checks the index's structure: levels, neighbour ids and degrees, entry point, label table,
     * deleted count, vector values. Returns the problems found (at most 100), empty when the index
     * is sound. O(N). A reader checks its committed snapshot; the writer its current state (inserts
     * wait meanwhile).
     */
    public List<String> verify() {
        requireOpen();
        return exclusive(store::verify);
    }

    /** Elements holding a label, deleted ones included (hnswlib's {@code get_current_count}). */
    public int size() {
        requireOpen();
        return store.elementCount();
    }

    public long getMaxElements() {
        return store.capacity();
    }

    public int dimension() {
        return dimension;
    }

    public Space space() {
        return space;
    }

    public int m() {
        return store.config().m();
    }

    public int efConstruction() {
        return store.config().efConstruction();
    }

    public long randomSeed() {
        return store.config().randomSeed();
    }

    public boolean isReadOnly() {
        return !store.writable();
    }

    public Path directory() {
        return store.directory();
    }

    /** Generation of the commit this index sees (a reader) or last wrote (the writer). */
    public long commitGeneration() {
        CommitState c = store.committed();
        return c.generation();
    }

    /** The distance kernels this JVM uses for every index, e.g. {@code "panama-512"}. */
    public static String kernelInUse() {
        return org.hnswmap.distance.KernelProvider.kernels().name();
    }

    /**
     * Whether searches walk the graph on an int8 copy of the vectors (see {@link
     * IndexConfig.Builder#int8Traversal}).
     */
    public boolean int8Traversal() {
        return store.config().int8Traversal();
    }

    /**
     * Whether searches walk the graph on a one-bit copy of the vectors (see {@link
     * IndexConfig.Builder#binaryTraversal}).
     */
    public boolean binaryTraversal() {
        return store.config().binaryTraversal();
    }

    /**
     * Whether searches walk the graph on a 4-bit copy of the vectors (see {@link
     * IndexConfig.Builder#int4Traversal}).
     */
    public boolean int4Traversal() {
        return store.config().int4Traversal();
    }

    /**
     * How many centroids the int8 or 4-bit rows are residuals to (see {@link
     * IndexConfig.Builder#traversalRegions}); 0 without traversal regions.
     */
    public int traversalRegions() {
        return store.config().regionCount();
    }

    /** The distance kernels in use, e.g. {@code "panama-512"} or {@code "scalar"}. */
    public String kernelName() {
        return store.kernelName();
    }

    /**
     * How searches put the cache misses of the rows they are about to score in flight: {@code
     * "native"} with prefetch instructions (the engine's prefetch helper, loaded where the build
     * had a C compiler), {@code "touch"} with plain loads in pure Java (elsewhere, or with {@code
     * -Dhnswmap.prefetch=touch}). Answers are the same either way.
     */
    public String prefetchName() {
        return store.prefetchName();
    }

    /** Apparent size of the index files in bytes (sparse regions included). */
    public long fileSizeBytes() {
        requireOpen();
        return store.fileBytes();
    }

    /** Apparent size of each index file in bytes, by file name. */
    public java.util.Map<String, Long> fileSizes() {
        requireOpen();
        return store.fileSizes();
    }

    /**
     * Bytes of each index file in memory now, by file name (Linux {@code mincore}; -1 where
     * unknown): how much of an index larger than memory the page cache holds.
     */
    public java.util.Map<String, Long> residentFileBytes() {
        requireOpen();
        return mapped(store::residentBytes);
    }

    /**
     * Whether this index reads its float32 rows as cold: at random, a query's re-rank rows
     * requested from the OS together. Decided at open by the system property {@code
     * hnswmap.vectors.cold} ({@code auto}, the default: when the index has traversal codes and its
     * rows file is larger than half the memory available; or {@code true}, {@code false}).
     */
    public boolean coldRows() {
        return store.coldRows();
    }

    /** The storage format version of the files, e.g. {@code "1.0"}. */
    public String formatVersion() {
        return IndexStore.formatVersion();
    }

    /**
     * What this index is, in one line: directory, role, space, dimension, elements (deleted ones
     * counted apart), capacity, M, efConstruction, default ef, traversal and commit; {@code closed}
     * once closed.
     */
    @Override
    public String toString() {
        if (closed) {
            return "HnswIndex[" + store.directory() + ", closed]";
        }
        String traversal =
                (int8Traversal()
                                ? "int8"
                                : int4Traversal()
                                        ? "4-bit"
                                        : binaryTraversal() ? "one-bit" : "float32")
                        + (traversalRegions() > 0 ? " (" + traversalRegions() + " regions)" : "");
        return "HnswIndex["
                + store.directory()
                + ", "
                + (writer != null ? "writer" : "reader")
                + ", "
                + space
                + ", dim "
                + dimension
                + ", "
                + size()
                + " elements ("
                + getDeletedCount()
                + " deleted), capacity "
                + getMaxElements()
                + ", M "
                + m()
                + ", efConstruction "
                + efConstruction()
                + ", ef "
                + defaultEf
                + ", "
                + traversal
                + " traversal, commit "
                + commitGeneration()
                + "]";
    }

    /** Releases the mappings and, for a writer, its lock. Uncommitted inserts are dropped. */
    @Override
    public void close() {
        commitLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            store.close();
        } finally {
            commitLock.writeLock().unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IndexClosedException(store.directory() + ": the index is closed");
        }
    }

    private void requireWritable() {
        requireOpen();
        if (!store.writable()) {
            throw new ReadOnlyIndexException(
                    store.directory() + ": opened read-only; use openForWrite to insert or commit");
        }
    }

    private static int toCode(Space space) {
        return switch (space) {
            case L2 -> MetaHeaderDescriptor.SPACE_L2;
            case IP -> MetaHeaderDescriptor.SPACE_IP;
            case COSINE -> MetaHeaderDescriptor.SPACE_COSINE;
        };
    }

    static Space toSpace(int code) {
        return switch (code) {
            case MetaHeaderDescriptor.SPACE_L2 -> Space.L2;
            case MetaHeaderDescriptor.SPACE_IP -> Space.IP;
            default -> Space.COSINE;
        };
    }
}
