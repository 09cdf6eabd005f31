package org.hnswmap.storage;

/**
 * The fixed configuration of an index as the meta file holds it (storage-format.md, "Meta file").
 *
 * @param space one of {@code MetaHeaderDescriptor.SPACE_*}
 * @param maxDegree0 neighbour cap on level 0 ({@code 2m})
 * @param flags {@code MetaHeaderDescriptor.FLAG_*} bits
 * @param regionCount centroids of the traversal regions (storage-format.md, section 5e), 0 without
 */
public record StoreConfig(
        int space,
        int dimension,
        int m,
        int maxDegree0,
        int efConstruction,
        int flags,
        long randomSeed,
        long createdEpochMillis,
        int regionCount) {

    /** A configuration without traversal regions. */
    public StoreConfig(
            int space,
            int dimension,
            int m,
            int maxDegree0,
            int efConstruction,
            int flags,
            long randomSeed,
            long createdEpochMillis) {
        this(
                space,
                dimension,
                m,
                maxDegree0,
                efConstruction,
                flags,
                randomSeed,
                createdEpochMillis,
                0);
    }

    /** What a new index may keep besides its vectors and graph: the meta file's flag bits. */
    public enum Option {
        ALLOW_REPLACE_DELETED(MetaHeaderDescriptor.FLAG_ALLOW_REPLACE_DELETED),
        INT8_TRAVERSAL(MetaHeaderDescriptor.FLAG_INT8_TRAVERSAL),
        BINARY_TRAVERSAL(MetaHeaderDescriptor.FLAG_BINARY_TRAVERSAL),
        INT4_TRAVERSAL(MetaHeaderDescriptor.FLAG_INT4_TRAVERSAL);

        private final int flag;

        Option(int flag) {
            this.flag = flag;
        }
    }

    /**
     * The configuration of a new index, created now: level 0 keeps {@code 2m} neighbours, the
     * options become flag bits.
     */
    public static StoreConfig forNewIndex(
            int space,
            int dimension,
            int m,
            int efConstruction,
            long randomSeed,
            java.util.Set<Option> options,
            int regionCount) {
        int flags = MetaHeaderDescriptor.FLAG_LEVEL0_COPIES_APART;
        for (Option o : options) {
            flags |= o.flag;
        }
        if (regionCount > 0) {
            flags |= MetaHeaderDescriptor.FLAG_TRAVERSAL_REGIONS;
        }
        return new StoreConfig(
                space,
                dimension,
                m,
                2 * m,
                efConstruction,
                flags,
                randomSeed,
                System.currentTimeMillis(),
                regionCount);
    }

    /** Whether the index keeps the int8 traversal copy ({@code vectors.i8}). */
    public boolean int8Traversal() {
        return (flags & MetaHeaderDescriptor.FLAG_INT8_TRAVERSAL) != 0;
    }

    /** Whether the index keeps the one-bit traversal copy ({@code vectors.b1}). */
    public boolean binaryTraversal() {
        return (flags & MetaHeaderDescriptor.FLAG_BINARY_TRAVERSAL) != 0;
    }

    /** Whether the index keeps the 4-bit traversal copy ({@code vectors.i4}). */
    public boolean int4Traversal() {
        return (flags & MetaHeaderDescriptor.FLAG_INT4_TRAVERSAL) != 0;
    }

    /**
     * Whether the int8 or 4-bit rows encode residuals to the nearest of {@link #regionCount}
     * centroids (storage-format.md, section 5e).
     */
    public boolean traversalRegions() {
        return (flags & MetaHeaderDescriptor.FLAG_TRAVERSAL_REGIONS) != 0;
    }

    /** Whether the index keeps a traversal copy of any kind. */
    public boolean traversalCodes() {
        return (flags & MetaHeaderDescriptor.TRAVERSAL_FLAGS) != 0;
    }

    /** Row stride of the traversal codes file (meaningful when {@link #traversalCodes}). */
    public int codesStride() {
        return CodesFile.of(this).rowStride(dimension);
    }

    /**
     * Offset of the first row of the traversal codes file: after its regions' centroids when it has
     * them (meaningful when {@link #traversalCodes}).
     */
    public long codesRowsOffset() {
        return traversalRegions()
                ? TraversalRegionsDescriptor.rowsOffset(regionCount, dimension)
                : CodesFile.of(this).rowsOffset(dimension);
    }

    public int vectorStride() {
        return VectorsDescriptor.rowStride(dimension);
    }

    /**
     * Whether the second copy of each level-0 list lives in {@code level0.alt} (storage-format.md,
     * section 6) rather than in its {@code level0.adj} record.
     */
    public boolean level0CopiesApart() {
        return (flags & MetaHeaderDescriptor.FLAG_LEVEL0_COPIES_APART) != 0;
    }

    public int level0Stride() {
        return level0CopiesApart()
                ? AdjacencyDescriptor.singleCopyRecordStride(maxDegree0)
                : AdjacencyDescriptor.recordStride(maxDegree0);
    }

    /** Bytes of one list copy on level 0 (the stride of {@code level0.alt}). */
    public int level0CopyStride() {
        return AdjacencyDescriptor.copyStride(maxDegree0);
    }

    public int upperStride() {
        return AdjacencyDescriptor.recordStride(m);
    }
}
