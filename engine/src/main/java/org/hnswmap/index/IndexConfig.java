package org.hnswmap.index;

import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.storage.TraversalRegionsDescriptor;

/**
 * Parameters of a new index, hnswlib's {@code Index(space, dim)} plus {@code
 * init_index(max_elements, M, ef_construction, random_seed)}. Build with {@link #builder(Space,
 * int)}.
 *
 * @param maxElements capacity: how many elements the index can hold
 * @param m neighbours selected per level on insert (level 0 keeps up to {@code 2m})
 * @param efConstruction beam width while inserting
 * @param randomSeed seed of the level generator; a single-threaded build is reproducible
 * @param defaultEf beam width of searches that do not give one ({@code setEf})
 * @param allowReplaceDeleted whether inserts may reuse slots of deleted elements
 * @param int8Traversal whether the index keeps an int8 copy of the vectors that searches walk the
 *     graph with, re-ranking their {@code ef} best by float32 distance (faster searches, a quarter
 *     more disk)
 * @param binaryTraversal whether the index keeps a one-bit copy of the vectors (RaBitQ codes) that
 *     searches walk the graph with, re-ranking the {@code 2 ef} best by estimate of the nodes they
 *     scored by float32 distance (faster searches on high-dimensional data, about 1/28 more disk);
 *     not together with {@code int8Traversal}
 * @param int4Traversal whether the index keeps a 4-bit copy of the vectors (16 levels per
 *     component, each row scaled on its own) that searches walk the graph with, re-ranking their
 *     {@code ef} best by float32 distance (an eighth more disk; on data whose neighbours differ by
 *     less than a row's sixteenth of its range, as inside tight clusters, the codes lose recall);
 *     not together with the other two
 * @param traversalRegions 0, or the number of centroids (k-means on the first insert) whose
 *     residuals the int8 or 4-bit rows encode instead of the vectors themselves (see {@link
 *     Builder#traversalRegions})
 */
public record IndexConfig(
        Space space,
        int dimension,
        long maxElements,
        int m,
        int efConstruction,
        long randomSeed,
        int defaultEf,
        boolean allowReplaceDeleted,
        boolean int8Traversal,
        boolean binaryTraversal,
        boolean int4Traversal,
        int traversalRegions) {

    public static final int DEFAULT_M = 16;

    /** Most centroids {@link Builder#traversalRegions} accepts. */
    public static final int MAX_TRAVERSAL_REGIONS = 4_096;

    /**
     * The centroids of {@link Builder#traversalRegions} are learnt from at most this many rows per
     * centroid of the first insert (or of {@link HnswIndex#trainTraversalCodes}'s rows): a first
     * insert with fewer trains them on fewer.
     */
    public static final int TRAVERSAL_REGION_SAMPLE_ROWS =
            TraversalRegionsDescriptor.SAMPLE_ROWS_PER_REGION;

    public static final int DEFAULT_EF_CONSTRUCTION = 200;
    public static final long DEFAULT_RANDOM_SEED = 100;
    public static final int DEFAULT_EF = 10;

    public IndexConfig {
        if (space == null) {
            throw new IllegalParameterException("space must be given (L2, IP or COSINE)");
        }
        check(
                dimension >= 1 && dimension <= 65_536,
                "dimension must be in [1, 65536], not " + dimension);
        check(
                maxElements >= 1 && maxElements <= (1L << 29),
                "maxElements must be in [1, 2^29], not " + maxElements);
        check(m >= 2 && m <= 1024, "M must be in [2, 1024], not " + m);
        check(
                efConstruction >= 1 && efConstruction <= (1 << 20),
                "efConstruction must be in [1, 2^20], not " + efConstruction);
        check(defaultEf >= 1, "ef must be at least 1, not " + defaultEf);
        check(
                (int8Traversal ? 1 : 0) + (binaryTraversal ? 1 : 0) + (int4Traversal ? 1 : 0) <= 1,
                "int8Traversal, int4Traversal and binaryTraversal exclude each other: choose one");
        check(
                traversalRegions >= 0 && traversalRegions <= MAX_TRAVERSAL_REGIONS,
                "traversalRegions must be in [0, "
                        + MAX_TRAVERSAL_REGIONS
                        + "], not "
                        + traversalRegions);
        check(
                traversalRegions == 0 || int8Traversal || int4Traversal,
                "traversalRegions needs int8Traversal or int4Traversal (its rows encode residuals"
                        + " to the regions' centroids)");
    }

    /** The configuration without traversal regions (the constructor before they existed). */
    public IndexConfig(
            Space space,
            int dimension,
            long maxElements,
            int m,
            int efConstruction,
            long randomSeed,
            int defaultEf,
            boolean allowReplaceDeleted,
            boolean int8Traversal,
            boolean binaryTraversal,
            boolean int4Traversal) {
        this(
                space,
                dimension,
                maxElements,
                m,
                efConstruction,
                randomSeed,
                defaultEf,
                allowReplaceDeleted,
                int8Traversal,
                binaryTraversal,
                int4Traversal,
                0);
    }

    /** The configuration without 4-bit traversal (the constructor before it existed). */
    public IndexConfig(
            Space space,
            int dimension,
            long maxElements,
            int m,
            int efConstruction,
            long randomSeed,
            int defaultEf,
            boolean allowReplaceDeleted,
            boolean int8Traversal,
            boolean binaryTraversal) {
        this(
                space,
                dimension,
                maxElements,
                m,
                efConstruction,
                randomSeed,
                defaultEf,
                allowReplaceDeleted,
                int8Traversal,
                binaryTraversal,
                false,
                0);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalParameterException(message);
        }
    }

    public static Builder builder(Space space, int dimension) {
        return new Builder(space, dimension);
    }

    /** Builder with hnswlib's defaults: M 16, efConstruction 200, seed 100, ef 10. */
    public static final class Builder {
        private final Space space;
        private final int dimension;
        private long maxElements = 1_000;
        private int m = DEFAULT_M;
        private int efConstruction = DEFAULT_EF_CONSTRUCTION;
        private long randomSeed = DEFAULT_RANDOM_SEED;
        private int defaultEf = DEFAULT_EF;
        private boolean allowReplaceDeleted;
        private boolean int8Traversal;
        private boolean binaryTraversal;
        private boolean int4Traversal;
        private int traversalRegions;

        private Builder(Space space, int dimension) {
            this.space = space;
            this.dimension = dimension;
        }

        public Builder maxElements(long maxElements) {
            this.maxElements = maxElements;
            return this;
        }

        public Builder m(int m) {
            this.m = m;
            return this;
        }

        public Builder efConstruction(int efConstruction) {
            this.efConstruction = efConstruction;
            return this;
        }

        public Builder randomSeed(long randomSeed) {
            this.randomSeed = randomSeed;
            return this;
        }

        public Builder ef(int defaultEf) {
            this.defaultEf = defaultEf;
            return this;
        }

        /**
         * hnswlib's {@code allow_replace_deleted}: inserts with {@code replaceDeleted} may reuse
         * the slots of elements deleted in an earlier commit (default false).
         */
        public Builder allowReplaceDeleted(boolean allow) {
            this.allowReplaceDeleted = allow;
            return this;
        }

        /**
         * Keep an int8 copy of every vector ({@code vectors.i8}, a quarter of the float32 size) and
         * walk the graph with it at query time; the {@code max(ef, k)} nodes a search ends with are
         * re-ranked by exact float32 distance, so returned distances stay exact (default false).
         * Inserts walk the graph on the copy too and choose neighbours by float32 distance. Fixed
         * at creation.
         */
        public Builder int8Traversal(boolean enabled) {
            this.int8Traversal = enabled;
            return this;
        }

        /**
         * Keep a one-bit copy of every vector ({@code vectors.b1}: the sign of each component of
         * the vector's randomly rotated difference from a centroid, plus two factors; 112 bytes for
         * 784-d) and walk the graph with it at query time, estimating distances RaBitQ's way; of
         * all the nodes a search scored, the {@code 2 x max(ef, k)} nearest by estimate are
         * re-ranked by exact float32 distance, so returned distances stay exact (default false).
         * The centroid is the mean of the first {@code addItems} call's vectors (up to {@value
         * HnswIndex#CENTROID_SAMPLE} of them, evenly spaced) and never changes: the first batch
         * should look like the data. Suits high-dimensional data (hundreds of dimensions); at low
         * dimensions one bit per component says too little and {@link #int8Traversal} is the better
         * choice. Inserts walk the graph on the codes too and choose neighbours by float32
         * distance. Fixed at creation; not together with {@link #int8Traversal}.
         */
        public Builder binaryTraversal(boolean enabled) {
            this.binaryTraversal = enabled;
            return this;
        }

        /**
         * Keep a 4-bit copy of every vector ({@code vectors.i4}: 16 levels from each row's minimum
         * to its maximum, two codes a byte; 80 bytes for 128-d, an eighth of the float32 row) and
         * walk the graph with it at query time, as {@link #int8Traversal} does with its int8 copy:
         * the {@code max(ef, k)} nodes a search ends with are re-ranked by exact float32 distance
         * (default false). Each hop reads half the bytes of an int8 row, which pays where the rows
         * do not all fit the CPU caches. On data whose nearest neighbours are close compared with a
         * row's range (tight clusters) 16 levels cannot tell them apart and recall drops at a given
         * ef: run {@code hnswmap tune} across traversals, which shows the ef each needs and warns
         * where a traversal's codes lose recall. Inserts walk the graph on the codes too and choose
         * neighbours by float32 distance. Fixed at creation; not together with the other
         * traversals.
         */
        public Builder int4Traversal(boolean enabled) {
            this.int4Traversal = enabled;
            return this;
        }

        /**
         * With {@link #int8Traversal} or {@link #int4Traversal}: encode each row as its vector's
         * residual to the nearest of {@code centroids} centroids instead of the vector itself
         * (default 0: no regions). The centroids come from k-means on the first {@code addItems}
         * call's vectors (up to 32 per centroid, evenly spaced), are stored ahead of the rows
         * ({@code centroids x dimension} floats) and never change: the first batch should look like
         * the data. On clustered data a residual spans a fraction of the vector's range, so the
         * same 16 or 256 levels tell neighbours inside a cluster apart, and 4-bit rows reach the
         * recall of int8 ones (bench/RESULTS.md); on data without clusters it changes little. A
         * search computes one extra distance per centroid it meets. 256 centroids were measured on
         * 200,000 rows in 200 clusters; {@code hnswmap tune} compares on your data. Fixed at
         * creation.
         */
        public Builder traversalRegions(int centroids) {
            this.traversalRegions = centroids;
            return this;
        }

        public IndexConfig build() {
            return new IndexConfig(
                    space,
                    dimension,
                    maxElements,
                    m,
                    efConstruction,
                    randomSeed,
                    defaultEf,
                    allowReplaceDeleted,
                    int8Traversal,
                    binaryTraversal,
                    int4Traversal,
                    traversalRegions);
        }
    }
}
