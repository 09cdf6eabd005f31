package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.graph.BoundedScorer;
import org.hnswmap.graph.NodeScorer;

/**
 * The int8 traversal copy of the vectors ({@code vectors.i8}, {@link QuantizedVectorsDescriptor}):
 * each row is scaled on its own, {@code bias + scale * code} with 256 levels from the row's minimum
 * to its maximum, so nothing needs training and an insert never changes another row. A row is a
 * quarter of the float32 row, so a traversal touches a quarter of the memory; searches re-rank what
 * it finds with the float32 vectors.
 *
 * <p>Encoding is plain Java arithmetic in double precision, the same in every JVM, so {@link
 * #mismatch} can recompute a row to verify it. Thread-safe: rows are written by the single writer
 * before the node becomes visible; scorers capture the mapping current at their creation.
 */
final class QuantizedVectors implements TraversalCodes {

    private static final DistanceKernels KERNELS = KernelProvider.kernels();
    private static final int LEVELS_ABOVE_MIN =
            QuantizedVectorsDescriptor.CODE_MAX - QuantizedVectorsDescriptor.CODE_MIN;

    private final MappedFile file;
    private final int dimension;
    private final int rowStride;
    private final boolean innerProduct;

    QuantizedVectors(MappedFile file, StoreConfig config) {
        this.file = file;
        this.dimension = config.dimension();
        this.rowStride = config.quantizedStride();
        this.innerProduct = config.space() != MetaHeaderDescriptor.SPACE_L2;
    }

    @Override
    public NodeScorer queryScorer(float[] query) {
        return innerProduct
                ? new DotScorer(query, file.segment(), rowStride)
                : new L2Scorer(query, file.segment(), rowStride);
    }

    /** The current mapping of {@code vectors.i8} (for verification and tests). */
    MemorySegment segment() {
        return file.segment();
    }

    /** Writer: stores the codes of {@code vector} as the row of {@code node}. */
    @Override
    public void write(int node, float[] vector) {
        byte[] row = encode(vector);
        MemorySegment.copy(
                row,
                0,
                file.segment(),
                ValueLayout.JAVA_BYTE,
                QuantizedVectorsDescriptor.rowOffset(node, rowStride),
                row.length);
    }

    /**
     * Null when the stored row of {@code node} is the encoding of {@code vector}, else what differs
     * (for verification).
     */
    @Override
    public String mismatch(int node, float[] vector) {
        byte[] expected = encode(vector);
        long at = QuantizedVectorsDescriptor.rowOffset(node, rowStride);
        for (int i = 0; i < expected.length; i++) {
            byte stored = file.segment().get(ValueLayout.JAVA_BYTE, at + i);
            if (stored != expected[i]) {
                return i < QuantizedVectorsDescriptor.CODES_OFFSET
                        ? "bias, scale or code sums differ from the encoding of the float32 row"
                        : "code "
                                + (i - QuantizedVectorsDescriptor.CODES_OFFSET)
                                + " is "
                                + stored
                                + ", the float32 row encodes to "
                                + expected[i];
            }
        }
        return null;
    }

    /** Bias, scale, reserved zeros and codes of one row (the bytes before the padding). */
    private byte[] encode(float[] vector) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : vector) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        float scale = (float) ((max - min) / LEVELS_ABOVE_MIN);
        float bias =
                scale == 0f
                        ? (float) min
                        : (float) (min - (double) QuantizedVectorsDescriptor.CODE_MIN * scale);
        byte[] row = new byte[QuantizedVectorsDescriptor.CODES_OFFSET + dimension];
        MemorySegment header = MemorySegment.ofArray(row);
        header.set(FilePreamble.FLOAT, QuantizedVectorsDescriptor.BIAS_OFFSET, bias);
        header.set(FilePreamble.FLOAT, QuantizedVectorsDescriptor.SCALE_OFFSET, scale);
        int codeSum = 0;
        int codeSquares = 0;
        for (int i = 0; i < dimension && scale != 0f; i++) {
            int code =
                    (int)
                            Math.clamp(
                                    Math.round(((double) vector[i] - bias) / scale),
                                    QuantizedVectorsDescriptor.CODE_MIN,
                                    QuantizedVectorsDescriptor.CODE_MAX);
            row[QuantizedVectorsDescriptor.CODES_OFFSET + i] = (byte) code;
            codeSum += code;
            codeSquares += code * code;
        }
        header.set(FilePreamble.INT, QuantizedVectorsDescriptor.CODE_SUM_OFFSET, codeSum);
        header.set(FilePreamble.INT, QuantizedVectorsDescriptor.CODE_SQUARES_OFFSET, codeSquares);
        return row;
    }

    /**
     * A query against int8 rows: reads each row's bias and scale, the subclass scores codes. It
     * also bounds the exact distance of a row from its approximate one ({@link BoundedScorer}): a
     * component of the float32 row is at most {@link #componentError} from its decoded value, so
     * the float32 row lies within {@code sqrt(dimension) * componentError} of the decoded row; the
     * bounds widen that by the rounding of the int8 dot product (float sums over at most {@code
     * dimension} terms) and of the exact kernel.
     */
    private abstract static class CodeScorer extends PrefetchingScorer implements BoundedScorer {
        final float[] query;
        final double querySum;
        final double querySquares;
        final double queryNorm;

        /** Relative rounding error allowed to a float sum of {@code dimension} products. */
        final double sumRounding;

        CodeScorer(float[] query, MemorySegment rows, int stride) {
            super(rows, stride, QuantizedVectorsDescriptor.DATA_OFFSET, ALL_LINES);
            this.query = query;
            double sum = 0;
            double squares = 0;
            for (float x : query) {
                sum += x;
                squares += (double) x * x;
            }
            this.querySum = sum;
            this.querySquares = squares;
            this.queryNorm = Math.sqrt(squares);
            this.sumRounding = 0x1p-23 * (query.length + 64);
        }

        @Override
        public final float distance(int node) {
            long at = rowOffset(node);
            float codeDot =
                    KERNELS.dotCodes(query, rows, at + QuantizedVectorsDescriptor.CODES_OFFSET);
            return score(at, bias(at), scale(at), codeDot);
        }

        /** The distance from the row at {@code rowAt}, given {@code dot(query, codes)}. */
        abstract float score(long rowAt, double bias, double scale, double codeDot);

        /** The row's header fields, as stored (storage-format.md 5a). */
        final double bias(long rowAt) {
            return rows.get(FilePreamble.FLOAT, rowAt + QuantizedVectorsDescriptor.BIAS_OFFSET);
        }

        final double scale(long rowAt) {
            return rows.get(FilePreamble.FLOAT, rowAt + QuantizedVectorsDescriptor.SCALE_OFFSET);
        }

        final double codeSum(long rowAt) {
            return rows.get(FilePreamble.INT, rowAt + QuantizedVectorsDescriptor.CODE_SUM_OFFSET);
        }

        final double codeSquares(long rowAt) {
            return rows.get(
                    FilePreamble.INT, rowAt + QuantizedVectorsDescriptor.CODE_SQUARES_OFFSET);
        }

        /** Distance from the float32 row to the decoded row, at most. */
        final double rowErrorRadius(long rowAt) {
            return Math.sqrt(query.length) * componentError(bias(rowAt), scale(rowAt));
        }

        /** Rounding of {@code scale * dot(query, codes)} in the approximate distance, at most. */
        final double codeDotRounding(long rowAt) {
            return sumRounding * scale(rowAt) * queryNorm * Math.sqrt(codeSquares(rowAt));
        }
    }

    /**
     * How far a component can be from its decoded value {@code bias + scale * code}: half a level,
     * plus the float rounding of bias and scale (which can also push a code into the clamp), taken
     * with a wide margin.
     */
    static double componentError(double bias, double scale) {
        return 0.5 * scale
                + 0x1p-20 * (Math.abs(bias) - QuantizedVectorsDescriptor.CODE_MIN * scale);
    }

    /**
     * Approximate squared L2 from one dot product: {@code sum((q - bias - scale * code)^2) =
     * sum(q^2) - 2 bias sum(q) + dim bias^2 - 2 scale (dot(q, code) - bias sum(code)) + scale^2
     * sum(code^2)}, the code sums read from the row. Clamped at 0 (the expansion can round below).
     * Bounds: the exact Euclidean distance is within the row's error radius of the approximate one.
     */
    private static final class L2Scorer extends CodeScorer {

        L2Scorer(float[] query, MemorySegment rows, int stride) {
            super(query, rows, stride);
        }

        @Override
        float score(long rowAt, double bias, double scale, double codeDot) {
            double distance =
                    querySquares
                            + bias * (query.length * bias - 2 * querySum)
                            - 2 * scale * (codeDot - bias * codeSum(rowAt))
                            + scale * scale * codeSquares(rowAt);
            return (float) Math.max(0, distance);
        }

        @Override
        public float lowerBound(int node, float approximateDistance) {
            long at = rowOffset(node);
            double decoded = approximateDistance - roundingSlack(at, approximateDistance);
            double root = Math.sqrt(Math.max(0, decoded)) - rowErrorRadius(at);
            double bound = root <= 0 ? 0 : root * root * (1 - sumRounding);
            return Math.nextDown((float) bound);
        }

        @Override
        public float upperBound(int node, float approximateDistance) {
            long at = rowOffset(node);
            double decoded = approximateDistance + roundingSlack(at, approximateDistance);
            double root = Math.sqrt(decoded) + rowErrorRadius(at);
            return Math.nextUp((float) (root * root * (1 + sumRounding)));
        }

        /** The squared distance to the decoded row differs from the approximate one by less. */
        private double roundingSlack(long rowAt, float approximateDistance) {
            return 2 * codeDotRounding(rowAt) + sumRounding * approximateDistance;
        }
    }

    /**
     * Approximate {@code 1 - dot}: {@code dot = bias * sum(query) + scale * dot(query, code)}.
     * Bounds: the exact dot product is within {@code |query|} times the row's error radius of the
     * decoded one.
     */
    private static final class DotScorer extends CodeScorer {

        DotScorer(float[] query, MemorySegment rows, int stride) {
            super(query, rows, stride);
        }

        @Override
        float score(long rowAt, double bias, double scale, double codeDot) {
            return (float) (1 - (bias * querySum + scale * codeDot));
        }

        @Override
        public float lowerBound(int node, float approximateDistance) {
            return Math.nextDown((float) (approximateDistance - margin(node, approximateDistance)));
        }

        @Override
        public float upperBound(int node, float approximateDistance) {
            return Math.nextUp((float) (approximateDistance + margin(node, approximateDistance)));
        }

        private double margin(int node, float approximateDistance) {
            long at = rowOffset(node);
            double bias = bias(at);
            double scale = scale(at);
            double decodedSquares =
                    query.length * bias * bias
                            + 2 * bias * scale * codeSum(at)
                            + scale * scale * codeSquares(at);
            double radius = rowErrorRadius(at);
            double rowNorm = Math.sqrt(Math.max(0, decodedSquares)) + radius;
            return queryNorm * radius
                    + codeDotRounding(at)
                    + sumRounding * (queryNorm * rowNorm + Math.abs(approximateDistance) + 1);
        }
    }
}
