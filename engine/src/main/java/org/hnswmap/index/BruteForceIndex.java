package org.hnswmap.index;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;
import org.agrona.collections.Long2LongHashMap;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.error.IndexFullException;
import org.hnswmap.error.UnknownLabelException;
import org.hnswmap.graph.NeighborQueue;

/**
 * Exact k-nearest-neighbour search by scoring every stored vector (hnswlib's {@code BFIndex}): the
 * recall oracle for tests, {@code tune} and users. Same spaces, distances and label rules as {@link
 * HnswIndex}; vectors live on the heap (this index is never mapped or persisted).
 *
 * <p>Batched queries are tiled: each thread takes a block of queries and scans the stored vectors
 * in cache-sized chunks, scoring the whole block against one chunk before moving on, so the base is
 * streamed from memory once per block instead of once per query.
 *
 * <p>Thread-safe: queries run concurrently with each other; inserts and removals take a write lock
 * and wait for running queries.
 */
public final class BruteForceIndex {

    private static final int QUERY_BLOCK = 32;
    private static final long NO_SLOT = -1;
    private static final long CHUNK_BYTES = 256 * 1024;

    private final Space space;
    private final int dimension;
    private final int maxElements;
    private final DistanceKernels kernels = KernelProvider.kernels();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Slot of each label; {@link #NO_SLOT} when absent. */
    private final Long2LongHashMap slotByLabel = new Long2LongHashMap(NO_SLOT);

    private final float[][] rows;
    private final long[] labels;
    private int count;

    public BruteForceIndex(Space space, int dimension, int maxElements) {
        if (space == null) {
            throw new IllegalParameterException("space must be given (L2, IP or COSINE)");
        }
        if (dimension < 1) {
            throw new IllegalParameterException("dimension must be at least 1, not " + dimension);
        }
        if (maxElements < 0) {
            throw new IllegalParameterException("maxElements must be >= 0, not " + maxElements);
        }
        this.space = space;
        this.dimension = dimension;
        this.maxElements = maxElements;
        this.rows = new float[maxElements][];
        this.labels = new long[maxElements];
    }

    /** An index holding {@code vectors} under {@code labels} (row {@code i} under label i). */
    public static BruteForceIndex of(Space space, float[][] vectors, long[] labels) {
        if (vectors.length == 0) {
            throw new IllegalParameterException("no vectors given");
        }
        BruteForceIndex index = new BruteForceIndex(space, vectors[0].length, vectors.length);
        index.addItems(vectors, labels);
        return index;
    }

    /**
     * Adds or, for a label already present, replaces a vector (hnswlib's BFIndex does the same).
     */
    public void addItem(float[] vector, long label) {
        float[] stored = VectorChecks.prepare(vector, dimension, space, "vector");
        lock.writeLock().lock();
        try {
            int slot = (int) slotByLabel.get(label);
            if (slot != NO_SLOT) {
                rows[slot] = stored == vector ? vector.clone() : stored;
                return;
            }
            if (count == maxElements) {
                throw new IndexFullException(
                        "the exact index holds its maximum of " + maxElements + " elements");
            }
            rows[count] = stored == vector ? vector.clone() : stored;
            labels[count] = label;
            slotByLabel.put(label, count++);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Saves the index in hnswlib's brute-force format ({@code BFIndex.save_index}): hnswlib's
     * {@code BFIndex.load_index} reads the file, and {@link #load} reads hnswlib's. The file is
     * written under a temporary name and moved into place.
     */
    public void save(Path file) {
        lock.readLock().lock();
        try {
            BruteForceFiles.save(file, maxElements, dimension, rows, labels, count);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Loads a file {@link #save} or hnswlib's {@code BFIndex.save_index} wrote. As in hnswlib, the
     * file does not say its space or dimension: the caller gives them, and a dimension that does
     * not match the file's slots fails with {@link org.hnswmap.error.DimensionMismatchException}.
     */
    public static BruteForceIndex load(Path file, Space space, int dimension) {
        return BruteForceFiles.load(file, space, dimension);
    }

    /**
     * Loader: adds a row already in stored form (normalized for cosine) under a new label; returns
     * false, adding nothing, when the label is already present.
     */
    boolean addStored(float[] row, long label) {
        if (slotByLabel.containsKey(label)) {
            return false;
        }
        rows[count] = row;
        labels[count] = label;
        slotByLabel.put(label, count++);
        return true;
    }

    /** Adds each row under the label at the same position; all rows are checked first. */
    public void addItems(float[][] vectors, long[] labels) {
        if (labels == null || vectors.length != labels.length) {
            throw new IllegalParameterException(
                    "vectors and labels differ in length: "
                            + vectors.length
                            + " vs "
                            + (labels == null ? "null" : labels.length));
        }
        for (int i = 0; i < vectors.length; i++) {
            VectorChecks.prepare(vectors[i], dimension, space, "row " + i);
        }
        for (int i = 0; i < vectors.length; i++) {
            addItem(vectors[i], labels[i]);
        }
    }

    /** Removes an element (hnswlib's {@code delete_vector}); the last one takes its slot. */
    public void removeItem(long label) {
        lock.writeLock().lock();
        try {
            int slot = (int) slotByLabel.remove(label);
            if (slot == NO_SLOT) {
                throw new UnknownLabelException("label " + label + " is not in the exact index");
            }
            int last = --count;
            if (slot != last) {
                rows[slot] = rows[last];
                labels[slot] = labels[last];
                slotByLabel.put(labels[slot], slot);
            }
            rows[last] = null;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The stored vector (normalized for cosine). */
    public float[] getItem(long label) {
        lock.readLock().lock();
        try {
            int slot = (int) slotByLabel.get(label);
            if (slot == NO_SLOT) {
                throw new UnknownLabelException("label " + label + " is not in the exact index");
            }
            return rows[slot].clone();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The exact k nearest elements, nearest first. */
    public SearchResult knnQuery(float[] query, int k) {
        return knnQuery(query, k, null);
    }

    /** The exact k nearest elements whose label passes {@code labelFilter} (null: all). */
    public SearchResult knnQuery(float[] query, int k, LongPredicate labelFilter) {
        requireK(k);
        float[] q = VectorChecks.prepare(query, dimension, space, "query");
        lock.readLock().lock();
        try {
            NeighborQueue top = new NeighborQueue(k + 1, true);
            for (int slot = 0; slot < count; slot++) {
                if (labelFilter == null || labelFilter.test(labels[slot])) {
                    offer(top, k, slot, distance(q, rows[slot]));
                }
            }
            return drain(top);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The exact k nearest elements for each query, on {@code numThreads} threads (-1: every core).
     */
    public BatchSearchResult knnQuery(float[][] queries, int k, int numThreads) {
        requireK(k);
        int threads = ParallelFor.resolveThreads(numThreads, ParallelFor.everyCore());
        float[][] prepared = new float[queries.length][];
        for (int i = 0; i < queries.length; i++) {
            prepared[i] = VectorChecks.prepare(queries[i], dimension, space, "query " + i);
        }
        long[][] outLabels = new long[queries.length][];
        float[][] outDistances = new float[queries.length][];
        int blocks = (queries.length + QUERY_BLOCK - 1) / QUERY_BLOCK;
        lock.readLock().lock();
        try {
            ParallelFor.run(
                    blocks,
                    threads,
                    block ->
                            searchBlock(prepared, block * QUERY_BLOCK, k, outLabels, outDistances));
        } finally {
            lock.readLock().unlock();
        }
        return new BatchSearchResult(outLabels, outDistances);
    }

    public int size() {
        lock.readLock().lock();
        try {
            return count;
        } finally {
            lock.readLock().unlock();
        }
    }

    public int getMaxElements() {
        return maxElements;
    }

    public int dimension() {
        return dimension;
    }

    public Space space() {
        return space;
    }

    /** The distance kernels in use, e.g. {@code "panama-512"} or {@code "scalar"}. */
    public String kernelName() {
        return kernels.name();
    }

    private void searchBlock(
            float[][] queries, int first, int k, long[][] outLabels, float[][] outDistances) {
        int end = Math.min(first + QUERY_BLOCK, queries.length);
        NeighborQueue[] tops = new NeighborQueue[end - first];
        Arrays.setAll(tops, i -> new NeighborQueue(k + 1, true));
        int chunkRows = (int) Math.max(1, CHUNK_BYTES / (4L * dimension));
        for (int chunk = 0; chunk < count; chunk += chunkRows) {
            int chunkEnd = Math.min(count, chunk + chunkRows);
            for (int q = first; q < end; q++) {
                NeighborQueue top = tops[q - first];
                for (int slot = chunk; slot < chunkEnd; slot++) {
                    offer(top, k, slot, distance(queries[q], rows[slot]));
                }
            }
        }
        for (int q = first; q < end; q++) {
            SearchResult r = drain(tops[q - first]);
            outLabels[q] = r.labels();
            outDistances[q] = r.distances();
        }
    }

    private static void offer(NeighborQueue top, int k, int slot, float distance) {
        if (top.size() < k) {
            top.push(slot, distance);
        } else if (distance < top.topDistance()) {
            top.pop();
            top.push(slot, distance);
        }
    }

    private SearchResult drain(NeighborQueue top) {
        int n = top.size();
        int[] slots = new int[n];
        float[] distances = new float[n];
        top.drainAscending(slots, distances);
        long[] found = new long[n];
        for (int i = 0; i < n; i++) {
            found[i] = labels[slots[i]];
        }
        return new SearchResult(found, distances);
    }

    private float distance(float[] query, float[] row) {
        return switch (space) {
            case L2 -> kernels.squaredL2(query, row);
            case IP, COSINE -> 1f - kernels.dot(query, row);
        };
    }

    private static void requireK(int k) {
        if (k < 1) {
            throw new IllegalParameterException("k must be at least 1, not " + k);
        }
    }
}
