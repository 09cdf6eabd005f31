package org.hnswmap.storage;

/**
 * The fixed configuration of an index as the meta file holds it (storage-format.md, "Meta file").
 *
 * @param space one of {@code MetaHeaderDescriptor.SPACE_*}
 * @param maxDegree0 neighbour cap on level 0 ({@code 2m})
 * @param flags reserved bit set, 0 in format 1.0
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
