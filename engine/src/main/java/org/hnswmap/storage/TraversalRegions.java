package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.hnswmap.error.CorruptIndexException;

/**
 * The centroids at the head of an int8 or 4-bit codes file with traversal regions
 * (storage-format.md, section 5e, {@link TraversalRegionsDescriptor}): fixed by k-means on the
 * first insert, never changed after, published with a release store of their state after the
 * centroids and their CRC, so a reader that sees them set sees them whole.
 *
 * <p>Thread-safe: one writer fixes them once; any thread reads them.
 */
final class TraversalRegions {

    /** Rows k-means is trained on at most, per centroid, evenly spaced through the first insert. */
    static final int SAMPLE_PER_REGION = 32;

    private final MappedFile file;
    private final int count;
    private final int dimension;
    private final long seed;

    /** The centroids once read or fixed; they never change after that. */
    private volatile float[][] centroids;

    /** Their Euclidean norms (for scorers' error bounds), computed once. */
    private volatile double[] norms;

    TraversalRegions(MappedFile file, StoreConfig config) {
        this.file = file;
        this.count = config.regionCount();
        this.dimension = config.dimension();
        this.seed = config.randomSeed();
    }

    int count() {
        return count;
    }

    /**
     * The centroids, or null while the index has never held a vector. Callers must not change them.
     */
    float[][] centroids() {
        float[][] known = centroids;
        if (known != null) {
            return known;
        }
        MemorySegment segment = file.segment();
        int state =
                (int)
                        FilePreamble.ATOMIC_INT.getAcquire(
                                segment,
                                TraversalRegionsDescriptor.DATA_OFFSET
                                        + TraversalRegionsDescriptor.REGION_STATE_OFFSET);
        if (state != TraversalRegionsDescriptor.REGIONS_SET) {
            return null;
        }
        String problem = headerProblem();
        if (problem != null) { // never encode or score against damaged centroids
            throw new CorruptIndexException(file.path() + ": " + problem);
        }
        float[][] read = new float[count][dimension];
        for (int c = 0; c < count; c++) {
            MemorySegment.copy(
                    segment,
                    FilePreamble.FLOAT,
                    TraversalRegionsDescriptor.centroidOffset(c, dimension),
                    read[c],
                    0,
                    dimension);
        }
        centroids = read;
        return read;
    }

    /**
     * Writer: fixes the centroids by k-means on up to {@link #SAMPLE_PER_REGION} times their count
     * of evenly spaced {@code rows} (stored form), unless they are set already.
     */
    synchronized void train(List<float[]> rows) {
        if (centroids() != null || rows.isEmpty()) {
            return;
        }
        int sampled = (int) Math.min(rows.size(), (long) SAMPLE_PER_REGION * count);
        List<float[]> sample = new ArrayList<>(sampled);
        for (int i = 0; i < sampled; i++) {
            sample.add(rows.get((int) ((long) i * rows.size() / sampled)));
        }
        store(KMeans.centroids(sample, count, seed));
    }

    /**
     * Writer: takes {@code given} as the centroids (a copy of another index's), unless they are set
     * already.
     */
    synchronized void adopt(float[][] given) {
        if (centroids() != null) {
            return;
        }
        if (given.length != count) {
            throw new IllegalArgumentException(
                    given.length + " centroids given, the index has " + count + " regions");
        }
        float[][] copy = new float[count][];
        for (int c = 0; c < count; c++) {
            if (given[c].length != dimension) {
                throw new IllegalArgumentException(
                        "centroid "
                                + c
                                + " has "
                                + given[c].length
                                + " components, not "
                                + dimension);
            }
            copy[c] = given[c].clone();
        }
        store(copy);
    }

    private void store(float[][] values) {
        MemorySegment segment = file.segment();
        for (int c = 0; c < count; c++) {
            MemorySegment.copy(
                    values[c],
                    0,
                    segment,
                    FilePreamble.FLOAT,
                    TraversalRegionsDescriptor.centroidOffset(c, dimension),
                    dimension);
        }
        segment.set(
                FilePreamble.INT,
                TraversalRegionsDescriptor.DATA_OFFSET
                        + TraversalRegionsDescriptor.REGION_CRC_OFFSET,
                crc(segment));
        FilePreamble.ATOMIC_INT.setRelease(
                segment,
                TraversalRegionsDescriptor.DATA_OFFSET
                        + TraversalRegionsDescriptor.REGION_STATE_OFFSET,
                TraversalRegionsDescriptor.REGIONS_SET);
        centroids = values;
    }

    /** The centroids' Euclidean norms, or null while there are no centroids. */
    double[] norms() {
        double[] known = norms;
        if (known != null) {
            return known;
        }
        float[][] c = centroids();
        if (c == null) {
            return null;
        }
        double[] computed = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            double squares = 0;
            for (float x : c[i]) {
                squares += (double) x * x;
            }
            computed[i] = Math.sqrt(squares);
        }
        norms = computed;
        return computed;
    }

    /** Null when the centroids are unset or match their checksum, else what is wrong. */
    String headerProblem() {
        MemorySegment segment = file.segment();
        long at = TraversalRegionsDescriptor.DATA_OFFSET;
        int state =
                segment.get(FilePreamble.INT, at + TraversalRegionsDescriptor.REGION_STATE_OFFSET);
        if (state == TraversalRegionsDescriptor.REGIONS_UNSET) {
            return null;
        }
        if (state != TraversalRegionsDescriptor.REGIONS_SET) {
            return "region state is " + state + " (0 or 1 expected)";
        }
        int stored =
                segment.get(FilePreamble.INT, at + TraversalRegionsDescriptor.REGION_CRC_OFFSET);
        return stored == crc(segment) ? null : "the regions' centroids do not match their CRC-32C";
    }

    private int crc(MemorySegment segment) {
        return Checksums.crc32c(
                segment,
                TraversalRegionsDescriptor.centroidOffset(0, dimension),
                4L * count * dimension);
    }
}
