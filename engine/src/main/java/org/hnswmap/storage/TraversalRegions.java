package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
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

    private final MappedFile file;
    private final int count;
    private final int dimension;
    private final long seed;

    /** The centroids once read or fixed; they never change after that. */
    private volatile float[][] centroids;

    /** How the centroids are published in the file's header. */
    private final SealedBlock block;

    /** Their Euclidean norms (for scorers' error bounds), computed once. */
    private volatile double[] norms;

    TraversalRegions(MappedFile file, StoreConfig config) {
        this.file = file;
        this.count = config.regionCount();
        this.dimension = config.dimension();
        this.seed = config.randomSeed();
        this.block =
                new SealedBlock(
                        TraversalRegionsDescriptor.DATA_OFFSET
                                + TraversalRegionsDescriptor.REGION_STATE_OFFSET,
                        TraversalRegionsDescriptor.DATA_OFFSET
                                + TraversalRegionsDescriptor.REGION_CRC_OFFSET,
                        TraversalRegionsDescriptor.centroidOffset(0, dimension),
                        4L * count * dimension,
                        "region state",
                        "the regions' centroids do not match their CRC-32C");
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
        if (!block.isSet(segment)) {
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
     * Writer: fixes the centroids by k-means on up to {@link
     * TraversalRegionsDescriptor#SAMPLE_ROWS_PER_REGION} times their count of evenly spaced {@code
     * rows} (stored form), unless they are set already.
     */
    synchronized void train(List<float[]> rows) {
        if (centroids() != null || rows.isEmpty()) {
            return;
        }
        List<float[]> sample =
                TraversalCodes.evenlySpaced(
                        rows,
                        (int)
                                Math.min(
                                        Integer.MAX_VALUE,
                                        (long) TraversalRegionsDescriptor.SAMPLE_ROWS_PER_REGION
                                                * count));
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
        block.seal(segment);
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
        return block.problem(file.segment());
    }
}
