package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.LongSupplier;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.graph.GraphVectors;
import org.hnswmap.graph.NodeScorer;

/**
 * Distances straight from the mapped vectors file, zero-copy: the kernels read each row where it is
 * mapped. L2 spaces score squared Euclidean distance; inner-product spaces score {@code 1 - dot}
 * (cosine vectors are normalized before they are stored or queried). When the index has traversal
 * codes (int8 or one-bit), {@link #traversalScorer} scores that {@link TraversalCodes} copy
 * instead, and {@link #write} keeps it in step.
 *
 * <p>Thread-safe. Scorers capture the mapping current at their creation, which covers every node
 * they can meet (the file only grows).
 */
final class MappedVectors implements GraphVectors {

    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    /** Cache lines of a float32 row a query's batch touches before scoring it (first, middle). */
    private static final int ROW_TOUCHES = 2;

    /**
     * Above this many bytes of rows in use a query touches rows before scoring them (4x the 32 MiB
     * L3 of the machines measured): below it the rows stay cached and the touches only cost
     * instructions; above it they put the misses in flight together (bench/RESULTS.md, 2026-11-29).
     */
    static final long TOUCH_ABOVE_BYTES = 128L << 20;

    /**
     * Above this many bytes of rows in use a batch is scored four rows at a time, whose loads
     * interleave; at or below it one row at a time, which is cheaper when the rows are cached (half
     * the 32 MiB L3 of the machines measured; bench/RESULTS.md, 2026-12-05 (stop 27)).
     */
    static final long INTERLEAVE_ABOVE_BYTES = 16L << 20;

    private final MappedFile file;
    private final int dimension;
    private final int rowStride;
    private final boolean innerProduct;
    private final TraversalCodes codes;

    /** Whether the float32 rows are read as cold (larger than memory): see {@link #coldRows}. */
    private final boolean cold;

    /**
     * @param codesFile the traversal codes file, or null when the index has none
     */
    MappedVectors(MappedFile file, MappedFile codesFile, StoreConfig config) {
        this.file = file;
        this.codes =
                codesFile == null
                        ? null
                        : config.binaryTraversal()
                                ? new BinaryVectors(codesFile, config)
                                : new QuantizedVectors(codesFile, config);
        this.dimension = config.dimension();
        this.rowStride = config.vectorStride();
        this.innerProduct = config.space() != MetaHeaderDescriptor.SPACE_L2;
        this.cold =
                coldRows(
                        coldSetting(),
                        codes != null,
                        file.sizeBytes(),
                        MemoryAdvice::memAvailableBytes);
        if (cold) {
            file.adviseRandomAccess();
        }
    }

    /**
     * System property: {@code auto} (default), {@code true} or {@code false}; see {@link
     * #coldRows}.
     */
    static final String COLD_PROPERTY = "hnswmap.vectors.cold";

    /**
     * Whether the float32 rows are cold: read at random ({@code MADV_RANDOM}: a fault reads the
     * row's page, not the 128 KiB around it, which would push hot pages out of a small page cache),
     * and requested a batch at a time before they are scored. {@code auto}: when the index has
     * traversal codes (the rows are read only for the re-rank) and the rows file is larger than
     * half the memory available now. The hot files (nodes, lists, codes) are left to the OS's
     * defaults.
     */
    static boolean coldRows(
            String setting, boolean hasCodes, long rowsBytes, LongSupplier availableBytes) {
        return switch (setting.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            case "auto" -> hasCodes && rowsBytes > halfOrUnknown(availableBytes.getAsLong());
            default ->
                    throw new org.hnswmap.error.IllegalParameterException(
                            COLD_PROPERTY + " must be auto, true or false, not '" + setting + "'");
        };
    }

    /**
     * The {@link #COLD_PROPERTY} setting, checked: called before an index opens any file, so a bad
     * value fails the open before it holds anything.
     */
    static String coldSetting() {
        String setting = System.getProperty(COLD_PROPERTY, "auto");
        coldRows(setting, false, 0, () -> 0);
        return setting;
    }

    /**
     * Half of {@code availableBytes}, or {@link Long#MAX_VALUE} when unknown (-1), so that an
     * unknown amount of memory never makes rows cold.
     */
    private static long halfOrUnknown(long availableBytes) {
        return availableBytes > 0 ? availableBytes / 2 : Long.MAX_VALUE;
    }

    /** Whether the float32 rows are read as cold. */
    boolean coldRows() {
        return cold;
    }

    static String kernelName() {
        return KERNELS.name();
    }

    @Override
    public NodeScorer queryScorer(float[] query) {
        return new RowScorer(
                query, file.segment(), rowStride, innerProduct, ROW_TOUCHES, true, false);
    }

    /**
     * Touches rows before scoring them only when the rows in use exceed {@link #TOUCH_ABOVE_BYTES},
     * and scores four at a time only above {@link #INTERLEAVE_ABOVE_BYTES}: when the rows sit in
     * the caches the touch pass is pure cost, and one row at a time is cheaper.
     */
    @Override
    public NodeScorer queryScorer(float[] query, int nodeBound) {
        if (cold) {
            // Touching rows would fault them in one at a time: ask for them together instead.
            return new RowScorer(query, file.segment(), rowStride, innerProduct, 0, true, true);
        }
        return cachedOrNot(query, nodeBound);
    }

    /**
     * The writer's scorers follow the rule of the searches' ({@link #rowTouches}): touching the
     * rows of an insert's candidates in a graph whose rows fit the caches made a 100,000 x 128
     * build about a sixth slower (bench/RESULTS.md, 2026-12-05). Cold rows are a reader's setting.
     */
    @Override
    public NodeScorer nodeScorer(int node, int nodeBound) {
        return cachedOrNot(read(node), nodeBound);
    }

    /** A scorer reading rows by the rules for {@code nodeBound} nodes in use, not as cold rows. */
    private RowScorer cachedOrNot(float[] query, int nodeBound) {
        return new RowScorer(
                query,
                file.segment(),
                rowStride,
                innerProduct,
                rowTouches(nodeBound),
                interleaves(nodeBound),
                false);
    }

    /** Cache lines of each row a scorer over {@code nodeBound} nodes touches first: 0 or 2. */
    int rowTouches(int nodeBound) {
        return (long) nodeBound * rowStride <= TOUCH_ABOVE_BYTES ? 0 : ROW_TOUCHES;
    }

    /** Whether a scorer over {@code nodeBound} nodes scores four rows at a time. */
    boolean interleaves(int nodeBound) {
        return (long) nodeBound * rowStride > INTERLEAVE_ABOVE_BYTES;
    }

    @Override
    public NodeScorer traversalScorer(float[] query) {
        return codes == null ? queryScorer(query) : codes.queryScorer(query);
    }

    @Override
    public boolean traversalApproximate() {
        return codes != null;
    }

    @Override
    public int rerankPoolSize(int beamWidth) {
        return codes == null ? beamWidth : codes.rerankPoolSize(beamWidth);
    }

    /** The traversal codes, or null when the index has none. */
    TraversalCodes codes() {
        return codes;
    }

    /**
     * Writer: lets the traversal codes see the vectors of an insert (stored form) before their rows
     * are written (one-bit codes fix their centroid from the first insert).
     */
    void prepare(List<float[]> vectors) {
        if (codes != null) {
            codes.prepare(vectors);
        }
    }

    @Override
    public NodeScorer nodeScorer(int node) {
        return queryScorer(read(node));
    }

    @Override
    public NodeScorer nodeTraversalScorer(int node) {
        return codes == null ? nodeScorer(node) : codes.queryScorer(read(node));
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

    /** Stores {@code vector} as the row of {@code node} (and its traversal codes, if kept). */
    /** Writer: encodes the codes row of {@code node} again from its stored vector. */
    void rewriteCodes(int node) {
        if (codes != null) {
            codes.write(node, read(node));
        }
    }

    void write(int node, float[] vector) {
        if (codes != null) {
            codes.write(node, vector);
        }
        MemorySegment.copy(
                vector,
                0,
                file.segment(),
                FilePreamble.FLOAT,
                VectorsDescriptor.rowOffset(node, rowStride),
                dimension);
    }

    /** Float32 distances from one query to mapped rows. Immutable, so thread-safe. */
    private static final class RowScorer extends PrefetchingScorer {

        private final float[] query;
        private final boolean innerProduct;

        /** Whether batches are scored four rows at a time. */
        private final boolean interleave;

        RowScorer(
                float[] query,
                MemorySegment rows,
                int stride,
                boolean innerProduct,
                int touchedLines,
                boolean interleave,
                boolean requestPages) {
            super(rows, stride, VectorsDescriptor.DATA_OFFSET, touchedLines, requestPages);
            this.query = query;
            this.innerProduct = innerProduct;
            this.interleave = interleave;
        }

        @Override
        public float distance(int node) {
            long at = rowOffset(node);
            return innerProduct
                    ? 1f - KERNELS.dot(query, rows, at)
                    : KERNELS.squaredL2(query, rows, at);
        }

        /**
         * Four rows at a time when the scorer interleaves, so that their loads interleave and more
         * cache misses are in flight (bench/RESULTS.md). A batch not a multiple of four ends with
         * the last four rows, rescoring up to three that are now cached (the same distances);
         * batches under four, and every batch of a scorer that does not interleave, go one by one.
         */
        @Override
        void score(int[] nodes, int count, float[] out) {
            if (count < 4 || !interleave) {
                super.score(nodes, count, out);
                return;
            }
            for (int i = 0; i < count; i += 4) {
                scoreFour(nodes, Math.min(i, count - 4), out);
            }
        }

        private void scoreFour(int[] nodes, int from, float[] out) {
            long row0 = rowOffset(nodes[from]);
            long row1 = rowOffset(nodes[from + 1]);
            long row2 = rowOffset(nodes[from + 2]);
            long row3 = rowOffset(nodes[from + 3]);
            if (innerProduct) {
                KERNELS.dotx4(query, rows, row0, row1, row2, row3, out, from);
                for (int i = from; i < from + 4; i++) {
                    out[i] = 1f - out[i];
                }
            } else {
                KERNELS.squaredL2x4(query, rows, row0, row1, row2, row3, out, from);
            }
        }
    }
}
