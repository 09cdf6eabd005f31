package org.hnswmap.storage;

/**
 * The fixed configuration of an index as the meta file holds it (storage-format.md, "Meta file").
 *
 * @param space one of {@code MetaHeaderDescriptor.SPACE_*}
 * @param maxDegree0 neighbour cap on level 0 ({@code 2m})
 * @param flags {@code MetaHeaderDescriptor.FLAG_*} bits
 */
public record StoreConfig(
        int space,
        int dimension,
        int m,
        int maxDegree0,
        int efConstruction,
        int flags,
        long randomSeed,
        long createdEpochMillis) {

    /** Whether the index keeps the int8 traversal copy ({@code vectors.i8}). */
    public boolean int8Traversal() {
        return (flags & MetaHeaderDescriptor.FLAG_INT8_TRAVERSAL) != 0;
    }

    /** Whether the index keeps the one-bit traversal copy ({@code vectors.b1}). */
    public boolean binaryTraversal() {
        return (flags & MetaHeaderDescriptor.FLAG_BINARY_TRAVERSAL) != 0;
    }

    /** Whether the index keeps a traversal copy of either kind. */
    public boolean traversalCodes() {
        return int8Traversal() || binaryTraversal();
    }

    /** Row stride of the traversal codes file (meaningful when {@link #traversalCodes}). */
    public int codesStride() {
        return binaryTraversal()
                ? BinaryVectorsDescriptor.rowStride(dimension)
                : QuantizedVectorsDescriptor.rowStride(dimension);
    }

    public int quantizedStride() {
        return QuantizedVectorsDescriptor.rowStride(dimension);
    }

    public int vectorStride() {
        return VectorsDescriptor.rowStride(dimension);
    }

    public int level0Stride() {
        return AdjacencyDescriptor.recordStride(maxDegree0);
    }

    public int upperStride() {
        return AdjacencyDescriptor.recordStride(m);
    }
}
