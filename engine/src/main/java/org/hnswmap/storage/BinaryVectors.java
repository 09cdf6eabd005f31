package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.FastRotation;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.graph.NodeScorer;

/**
 * The one-bit traversal copy of the vectors ({@code vectors.b1}, {@link BinaryVectorsDescriptor}):
 * RaBitQ codes (Gao and Long, SIGMOD 2024). A row keeps the sign of every component of {@code
 * rotate(vector - centroid)} and two factors; a query is rotated the same way and split into 4 bit
 * planes, so an approximate distance costs five popcounts per 64 components. For 784-d rows that is
 * 112 bytes a node (3.6 % of the float32 row), small enough for a traversal's rows to stay in the
 * CPU caches; searches re-rank what it finds with the float32 vectors.
 *
 * <p>The estimate: with {@code r = rotate(o - c)} for stored vector {@code o}, bits {@code b_i =
 * r_i >= 0} and {@code v = rotate(q - c)}, {@code <o - c, q - c> ~ |r|^2 / |r|_1 * S} where {@code
 * S = sum_i (2 b_i - 1) v_i}. L2 rows store {@code offsetFactor = |r|^2}, {@code dotFactor = 2
 * |r|^2 / |r|_1} and score {@code |q - c|^2 + offsetFactor - dotFactor * S}; inner-product rows
 * store {@code offsetFactor = -<o - c, c>}, {@code dotFactor = |r|^2 / |r|_1} and score {@code 1 -
 * <c, q> + offsetFactor - dotFactor * S}. The query's {@code v} is rounded to 16 levels between its
 * minimum and maximum for the popcounts.
 *
 * <p>The centroid is fixed by the first insert (the mean of that call's vectors, see {@link
 * #prepare}) and never changes: codes of old rows stay valid, and a row depends only on its own
 * vector, so {@link #mismatch} can recompute it. Encoding is Java float and double arithmetic whose
 * result does not depend on the kernels in use (the SIMD and scalar Hadamard transforms are
 * bit-identical), the same in every JVM. Thread-safe: the centroid is published with a release
 * store before any row that uses it; rows are written by the single writer before their node
 * becomes visible; scorers capture the mapping current at their creation.
 */
final class BinaryVectors implements TraversalCodes {

    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    /** Highest level of a query component in the bit planes (4 bits: levels 0 to 15). */
    private static final int QUERY_LEVELS = 15;

    private static final int QUERY_PLANES = 4;

    /**
     * A search re-ranks this many times its beam width. One bit a component ranks the true nearest
     * within about the best 60 by estimate, and a beam of width 20 to 40 scores them long before
     * their estimates rank them in its best 20 to 40: re-ranking the best 2 x ef of all it scored
     * beats widening the beam for the same recall (bench/RESULTS.md).
     */
    static final int RERANK_POOL_FACTOR = 2;

    private final MappedFile file;
    private final int dimension;
    private final int words;
    private final int rowStride;
    private final long rowsOffset;
    private final boolean innerProduct;
    private final FastRotation rotation;

    /** The centroid once read or fixed; it never changes after that. */
    private volatile float[] centroid;

    /** How the centroid is published in the file's header. */
    private final SealedBlock centroidBlock;

    BinaryVectors(MappedFile file, StoreConfig config) {
        this.file = file;
        this.dimension = config.dimension();
        this.words = BinaryVectorsDescriptor.codeWords(dimension);
        this.rowStride = BinaryVectorsDescriptor.rowStride(dimension);
        this.rowsOffset = BinaryVectorsDescriptor.rowsOffset(dimension);
        this.innerProduct = config.space() != MetaHeaderDescriptor.SPACE_L2;
        long seed =
                file.segment()
                        .get(
                                FilePreamble.LONG,
                                BinaryVectorsDescriptor.DATA_OFFSET
                                        + BinaryVectorsDescriptor.ROTATION_SEED_OFFSET);
        this.rotation = new FastRotation(dimension, seed);
        this.centroidBlock =
                new SealedBlock(
                        BinaryVectorsDescriptor.DATA_OFFSET
                                + BinaryVectorsDescriptor.CENTROID_STATE_OFFSET,
                        BinaryVectorsDescriptor.DATA_OFFSET
                                + BinaryVectorsDescriptor.CENTROID_CRC_OFFSET,
                        BinaryVectorsDescriptor.DATA_OFFSET
                                + BinaryVectorsDescriptor.CENTROID_OFFSET,
                        (long) dimension * Float.BYTES,
                        "centroid state",
                        "the centroid does not match its CRC-32C");
    }

    /** Writer, on a new file: stores the rotation seed; the centroid is unset. */
    static void initializeHeader(MemorySegment segment, long rotationSeed) {
        segment.set(
                FilePreamble.LONG,
                BinaryVectorsDescriptor.DATA_OFFSET + BinaryVectorsDescriptor.ROTATION_SEED_OFFSET,
                rotationSeed);
    }

    @Override
    public int rerankPoolSize(int beamWidth) {
        return RERANK_POOL_FACTOR * beamWidth;
    }

    @Override
    public NodeScorer queryScorer(float[] query) {
        float[] c = centroid();
        return new CodeScorer(query, c == null ? new float[dimension] : c, this);
    }

    /**
     * Writer: fixes the centroid as the mean of up to {@link
     * BinaryVectorsDescriptor#CENTROID_SAMPLE} evenly spaced {@code rows} (stored form: normalized
     * for cosine) unless it is already set. Called before the first row is written.
     */
    @Override
    public synchronized void prepare(List<float[]> rows) {
        if (centroid() != null || rows.isEmpty()) {
            return;
        }
        List<float[]> sample =
                TraversalCodes.evenlySpaced(rows, BinaryVectorsDescriptor.CENTROID_SAMPLE);
        double[] sum = new double[dimension];
        for (float[] vector : sample) {
            for (int i = 0; i < dimension; i++) {
                sum[i] += vector[i];
            }
        }
        float[] mean = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            mean[i] = (float) (sum[i] / sample.size());
        }
        MemorySegment segment = file.segment();
        MemorySegment.copy(
                mean,
                0,
                segment,
                FilePreamble.FLOAT,
                BinaryVectorsDescriptor.DATA_OFFSET + BinaryVectorsDescriptor.CENTROID_OFFSET,
                dimension);
        centroidBlock.seal(segment);
        centroid = mean;
    }

    @Override
    public void write(int node, float[] vector) {
        if (centroid() == null) {
            prepare(List.of(vector));
        }
        MemorySegment.copy(
                encode(vector),
                0,
                file.segment(),
                FilePreamble.LONG,
                BinaryVectorsDescriptor.rowOffset(node, dimension),
                rowStride / Long.BYTES);
    }

    @Override
    public String mismatch(int node, float[] vector) {
        if (centroid() == null) {
            return "the index has rows but " + IndexFileNames.BINARY + " has no centroid";
        }
        long[] expected = encode(vector);
        long at = BinaryVectorsDescriptor.rowOffset(node, dimension);
        for (int i = 0; i < expected.length; i++) {
            long stored = file.segment().get(FilePreamble.LONG, at + (long) i * Long.BYTES);
            if (stored != expected[i]) {
                return i == 0
                        ? "its factors differ from the encoding of the float32 row"
                        : "code word " + (i - 1) + " differs from the encoding of the float32 row";
            }
        }
        return null;
    }

    /** Null when the centroid is unset or matches its checksum, else what is wrong. */
    @Override
    public String headerProblem() {
        return centroidBlock.problem(file.segment());
    }

    @Override
    public float[][] centroids() {
        float[] c = centroid();
        return c == null ? null : new float[][] {c};
    }

    /** Takes {@code centroids[0]} as the centroid: the mean of one vector is that vector. */
    @Override
    public void adoptCentroids(float[][] centroids) {
        if (centroids.length != 1 || centroids[0].length != dimension) {
            throw new IllegalArgumentException(
                    "one-bit codes take one centroid of " + dimension + " components");
        }
        prepare(List.of(centroids[0]));
    }

    /**
     * The centroid, or null while the index has never held a vector. Callers must not change it.
     */
    public float[] centroid() {
        float[] known = centroid;
        if (known != null) {
            return known;
        }
        MemorySegment segment = file.segment();
        if (!centroidBlock.isSet(segment)) {
            return null;
        }
        float[] read = new float[dimension];
        MemorySegment.copy(
                segment,
                FilePreamble.FLOAT,
                BinaryVectorsDescriptor.DATA_OFFSET + BinaryVectorsDescriptor.CENTROID_OFFSET,
                read,
                0,
                dimension);
        centroid = read;
        return read;
    }

    /** The row of {@code vector} as longs: the two factors, then the code words. */
    private long[] encode(float[] vector) {
        float[] c = centroid;
        float[] residual = new float[dimension];
        double towardCentroid = 0;
        for (int i = 0; i < dimension; i++) {
            residual[i] = vector[i] - c[i];
            towardCentroid += (double) residual[i] * c[i];
        }
        float[] rotated = new float[rotation.paddedDimension()];
        rotation.apply(residual, rotated);
        long[] row = new long[1 + words];
        double squares = 0;
        double absoluteSum = 0;
        for (int i = 0; i < rotated.length; i++) {
            double x = rotated[i];
            squares += x * x;
            absoluteSum += Math.abs(x);
            if (x >= 0) {
                row[1 + i / Long.SIZE] |= 1L << (i % Long.SIZE);
            }
        }
        double ratio = absoluteSum == 0 ? 0 : squares / absoluteSum;
        float offsetFactor = (float) (innerProduct ? -towardCentroid : squares);
        float dotFactor = (float) (innerProduct ? ratio : 2 * ratio);
        row[0] =
                (Float.floatToRawIntBits(offsetFactor) & 0xFFFFFFFFL)
                        | ((long) Float.floatToRawIntBits(dotFactor) << 32);
        return row;
    }

    /** A query against one-bit rows. Immutable, so thread-safe. */
    private static final class CodeScorer extends PrefetchingScorer {
        private final long[] planes;
        private final int words;
        private final double constant;
        private final double low;
        private final double step;
        private final double levelSum;

        CodeScorer(float[] query, float[] centroid, BinaryVectors codes) {
            super(
                    codes.file.segment(),
                    codes.rowStride,
                    codes.rowsOffset,
                    PrefetchingScorer.ALL_LINES);
            this.words = codes.words;
            int dimension = query.length;
            float[] residual = new float[dimension];
            double residualSquares = 0;
            double towardCentroid = 0;
            for (int i = 0; i < dimension; i++) {
                residual[i] = query[i] - centroid[i];
                residualSquares += (double) residual[i] * residual[i];
                towardCentroid += (double) query[i] * centroid[i];
            }
            this.constant = codes.innerProduct ? 1 - towardCentroid : residualSquares;
            float[] rotated = new float[codes.rotation.paddedDimension()];
            codes.rotation.apply(residual, rotated);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float x : rotated) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            this.low = min;
            this.step = ((double) max - min) / QUERY_LEVELS;
            this.planes = new long[QUERY_PLANES * words];
            float scaleToLevel = step == 0 ? 0f : (float) (1 / step);
            long levels = 0;
            for (int word = 0; word < words; word++) {
                long plane0 = 0;
                long plane1 = 0;
                long plane2 = 0;
                long plane3 = 0;
                for (int bit = 0; bit < Long.SIZE; bit++) {
                    float x = rotated[word * Long.SIZE + bit];
                    int level = Math.min(QUERY_LEVELS, (int) ((x - min) * scaleToLevel + 0.5f));
                    levels += level;
                    plane0 |= (long) (level & 1) << bit;
                    plane1 |= (long) (level >>> 1 & 1) << bit;
                    plane2 |= (long) (level >>> 2 & 1) << bit;
                    plane3 |= (long) (level >>> 3 & 1) << bit;
                }
                planes[word] = plane0;
                planes[words + word] = plane1;
                planes[2 * words + word] = plane2;
                planes[3 * words + word] = plane3;
            }
            this.levelSum = rotated.length * low + step * levels;
        }

        @Override
        public float distance(int node) {
            long at = rowOffset(node);
            long counts =
                    KERNELS.binaryCodeDot(
                            planes, words, rows, at + BinaryVectorsDescriptor.CODES_OFFSET);
            double ones = counts >>> 32;
            double weighted = counts & 0xFFFFFFFFL;
            double signedSum = 2 * (low * ones + step * weighted) - levelSum;
            float offsetFactor =
                    rows.get(FilePreamble.FLOAT, at + BinaryVectorsDescriptor.OFFSET_FACTOR_OFFSET);
            float dotFactor =
                    rows.get(FilePreamble.FLOAT, at + BinaryVectorsDescriptor.DOT_FACTOR_OFFSET);
            return (float) (constant + offsetFactor - dotFactor * signedSum);
        }
    }
}
