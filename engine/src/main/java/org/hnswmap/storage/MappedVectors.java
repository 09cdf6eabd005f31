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
        MemorySegment rows = file.segment();
        int stride = rowStride;
        if (innerProduct) {
            return node -> 1f - KERNELS.dot(query, rows, VectorsDescriptor.rowOffset(node, stride));
        }
        return node -> KERNELS.squaredL2(query, rows, VectorsDescriptor.rowOffset(node, stride));
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
}
