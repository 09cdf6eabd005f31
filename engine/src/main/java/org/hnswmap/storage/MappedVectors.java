package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.graph.GraphVectors;
import org.hnswmap.graph.NodeScorer;

/**
 * Distances straight from the mapped vectors file, zero-copy: the kernels read each row where it is
 * mapped. L2 spaces score squared Euclidean distance; inner-product spaces score {@code 1 - dot}
 * (cosine vectors are normalized before they are stored or queried).
 *
 * <p>Thread-safe. Scorers capture the mapping current at their creation, which covers every node
 * they can meet (the file only grows).
 */
final class MappedVectors implements GraphVectors {

    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    private final MappedFile file;
    private final int dimension;
    private final int rowStride;
    private final boolean innerProduct;

    MappedVectors(MappedFile file, StoreConfig config) {
        this.file = file;
        this.dimension = config.dimension();
        this.rowStride = config.vectorStride();
        this.innerProduct = config.space() != MetaHeaderDescriptor.SPACE_L2;
    }

    static String kernelName() {
        return KERNELS.name();
    }

    @Override
    public NodeScorer queryScorer(float[] query) {
        return new RowScorer(query, file.segment(), rowStride, innerProduct);
    }

    @Override
    public NodeScorer nodeScorer(int node) {
        return queryScorer(read(node));
    }

    @Override
    public float distanceBetween(int a, int b) {
        MemorySegment rows = file.segment();
        long offsetA = VectorsDescriptor.rowOffset(a, rowStride);
        long offsetB = VectorsDescriptor.rowOffset(b, rowStride);
        return innerProduct
                ? 1f - KERNELS.dot(rows, offsetA, offsetB, dimension)
                : KERNELS.squaredL2(rows, offsetA, offsetB, dimension);
    }

    /** A copy of the stored vector of {@code node}. */
    float[] read(int node) {
        float[] out = new float[dimension];
        MemorySegment.copy(
                file.segment(),
                FilePreamble.FLOAT,
                VectorsDescriptor.rowOffset(node, rowStride),
                out,
                0,
                dimension);
        return out;
    }

    /** The mapped rows as of now (the mapping is replaced when the file grows). */
    MemorySegment rows() {
        return file.segment();
    }

    long rowOffset(int node) {
        return VectorsDescriptor.rowOffset(node, rowStride);
    }

    /** Bytes of a row in use: {@code dimension * 4}, padding excluded. */
    long rowBytes() {
        return (long) dimension * Float.BYTES;
    }

    /** Stores {@code vector} as the row of {@code node}. */
    void write(int node, float[] vector) {
        MemorySegment.copy(
                vector,
                0,
                file.segment(),
                FilePreamble.FLOAT,
                VectorsDescriptor.rowOffset(node, rowStride),
                dimension);
    }

    /**
     * Distances from one query to mapped rows. {@link #distances} first loads two cache lines of
     * every row it will score (the first and the middle one), then scores them: Java has no
     * prefetch instruction, and these plain loads put the rows' cache misses in flight together
     * instead of one row at a time (1.25x single-thread QPS on Fashion-MNIST, bench/RESULTS.md).
     * The loaded values enter the result only as {@code (float) bits * 0f}, which is zero, so the
     * distances are bit-identical to {@link #distance}. Immutable, so thread-safe.
     */
    private static final class RowScorer implements NodeScorer {

        private static final int TOUCHED_LINES = 2;
        private static final int CACHE_LINE_BYTES = 64;

        private final float[] query;
        private final MemorySegment rows;
        private final int stride;
        private final long touchStep;
        private final boolean innerProduct;

        RowScorer(float[] query, MemorySegment rows, int stride, boolean innerProduct) {
            this.query = query;
            this.rows = rows;
            this.stride = stride;
            this.touchStep = (long) (stride / CACHE_LINE_BYTES / TOUCHED_LINES) * CACHE_LINE_BYTES;
            this.innerProduct = innerProduct;
        }

        @Override
        public float distance(int node) {
            long at = VectorsDescriptor.rowOffset(node, stride);
            return innerProduct
                    ? 1f - KERNELS.dot(query, rows, at)
                    : KERNELS.squaredL2(query, rows, at);
        }

        @Override
        public void distances(int[] nodes, int count, float[] out) {
            int touched = 0;
            for (int i = 0; i < count; i++) {
                long at = VectorsDescriptor.rowOffset(nodes[i], stride);
                touched ^= rows.get(FilePreamble.INT, at);
                touched ^= rows.get(FilePreamble.INT, at + touchStep);
            }
            float zero = (float) touched * 0f; // keeps the loads; finite, so 0 or -0
            for (int i = 0; i < count; i++) {
                out[i] = distance(nodes[i]) + zero;
            }
        }
    }
}
