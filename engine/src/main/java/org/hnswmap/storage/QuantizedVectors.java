package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.graph.BoundedScorer;
import org.hnswmap.graph.NodeScorer;

/**
 * A scalar-quantized traversal copy of the vectors: int8 ({@code vectors.i8}, {@link
 * QuantizedVectorsDescriptor}) or 4-bit ({@code vectors.i4}, {@link Int4VectorsDescriptor}). Each
 * row is scaled on its own, {@code bias + scale * code} with 256 or 16 levels from the row's
 * minimum to its maximum, so nothing needs training and an insert never changes another row. An
 * int8 row is a quarter of the float32 row, a 4-bit row an eighth, so a traversal touches that much
 * of the memory; searches re-rank what it finds with the float32 vectors. The two widths share the
 * row header and every formula; only the packing of the codes and the kernel that reads them
 * differ.
 *
 * <p>Encoding is plain Java arithmetic in double precision, the same in every JVM, so {@link
 * #mismatch} can recompute a row to verify it. Thread-safe: rows are written by the single writer
 * before the node becomes visible; scorers capture the mapping current at their creation.
 */
final class QuantizedVectors implements TraversalCodes {

    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    private final MappedFile file;
    private final int dimension;
    private final int rowStride;
    private final boolean innerProduct;

    private final Width width;

    /** What differs between the two files: the code range and how codes are packed. */
    private record Width(boolean nibbles, int codeMin, int codeMax) {

        static final Width INT8 =
                new Width(
                        false,
                        QuantizedVectorsDescriptor.CODE_MIN,
                        QuantizedVectorsDescriptor.CODE_MAX);
        static final Width INT4 =
                new Width(true, Int4VectorsDescriptor.CODE_MIN, Int4VectorsDescriptor.CODE_MAX);

        /**
         * {@link #componentError}'s {@code errorPerScale}: {@code 2^-20} times the largest code.
         */
        double errorPerScale() {
            return 0x1p-20 * Math.max(-codeMin, codeMax);
        }
    }

    QuantizedVectors(MappedFile file, StoreConfig config) {
        this.file = file;
        this.dimension = config.dimension();
        this.rowStride = config.codesStride();
        this.innerProduct = config.space() != MetaHeaderDescriptor.SPACE_L2;
        this.width = config.int4Traversal() ? Width.INT4 : Width.INT8;
    }

    @Override
    public NodeScorer queryScorer(float[] query) {
        return innerProduct
                ? new DotScorer(query, width, file.segment(), rowStride)
                : new L2Scorer(query, width, file.segment(), rowStride);
    }

    /** The current mapping of the codes file (for verification and tests). */
    MemorySegment segment() {
        return file.segment();
    }

    /** Writer: stores the codes of {@code vector} as the row of {@code node}. */
    @Override
    public void write(int node, float[] vector) {
        byte[] row = encode(vector);
        MemorySegment.copy(
                row, 0, file.segment(), ValueLayout.JAVA_BYTE, rowOffset(node), row.length);
    }

    /**
     * Null when the stored row of {@code node} is the encoding of {@code vector}, else what differs
     * (for verification).
     */
    @Override
    public String mismatch(int node, float[] vector) {
        byte[] expected = encode(vector);
        long at = rowOffset(node);
        for (int i = 0; i < expected.length; i++) {
            byte stored = file.segment().get(ValueLayout.JAVA_BYTE, at + i);
            if (stored != expected[i]) {
                int codeByte = i - QuantizedVectorsDescriptor.CODES_OFFSET;
                return codeByte < 0
                        ? "bias, scale or code sums differ from the encoding of the float32 row"
                        : (width.nibbles() ? "code byte " : "code ")
                                + codeByte
                                + " is "
                                + stored
                                + ", the float32 row encodes to "
                                + expected[i];
            }
        }
        return null;
    }

    private long rowOffset(int node) {
        // both descriptors: rows from the end of the preamble, at the same stride
        return QuantizedVectorsDescriptor.DATA_OFFSET + (long) node * rowStride;
    }

    /**
     * Bias, scale, code sums and codes of one row (the bytes before the padding), in the layout of
     * the file's descriptor.
     */
    private byte[] encode(float[] vector) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : vector) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        int codeMin = width.codeMin();
        int codeMax = width.codeMax();
        float scale = (float) ((max - min) / (codeMax - codeMin));
        float bias = scale == 0f ? (float) min : (float) (min - (double) codeMin * scale);
        byte[] row =
                new byte
                        [QuantizedVectorsDescriptor.CODES_OFFSET
                                + (width.nibbles()
                                        ? Int4VectorsDescriptor.paddedDimension(dimension) / 2
                                        : dimension)];
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
                                    codeMin,
                                    codeMax);
            if (width.nibbles()) {
                row[QuantizedVectorsDescriptor.CODES_OFFSET + Int4VectorsDescriptor.codeByte(i)] |=
                        (byte) (code << Int4VectorsDescriptor.codeShift(i));
            } else {
                row[QuantizedVectorsDescriptor.CODES_OFFSET + i] = (byte) code;
            }
            codeSum += code;
            codeSquares += code * code;
        }
        header.set(FilePreamble.INT, QuantizedVectorsDescriptor.CODE_SUM_OFFSET, codeSum);
        header.set(FilePreamble.INT, QuantizedVectorsDescriptor.CODE_SQUARES_OFFSET, codeSquares);
        return row;
    }

    /**
     * A query against code rows: reads each row's bias and scale, the subclass scores codes. It
     * also bounds the exact distance of a row from its approximate one ({@link BoundedScorer}): a
     * component of the float32 row is at most {@link #componentError} from its decoded value, so
     * the float32 row lies within {@code sqrt(dimension) * componentError} of the decoded row; the
     * bounds widen that by the rounding of the code dot product (float sums over at most {@code
     * dimension} terms) and of the exact kernel.
     */
    private abstract static class CodeScorer extends PrefetchingScorer implements BoundedScorer {
        final float[] query;

        /**
         * What the kernel reads: the query itself for int8 codes, padded with zeros to whole groups
         * for 4-bit ones (see {@link DistanceKernels#dotNibbles}).
         */
        private final float[] kernelQuery;

        private final boolean nibbles;

        /** {@link #componentError}'s allowance for the float rounding of bias and scale. */
        private final double errorPerScale;

        final double querySum;
        final double querySquares;
        final double queryNorm;

        /** Relative rounding error allowed to a float sum of {@code dimension} products. */
        final double sumRounding;

        CodeScorer(float[] query, Width width, MemorySegment rows, int stride) {
            super(rows, stride, QuantizedVectorsDescriptor.DATA_OFFSET, ALL_LINES);
            this.query = query;
            this.nibbles = width.nibbles();
            this.kernelQuery =
                    nibbles
                            ? Arrays.copyOf(
                                    query, Int4VectorsDescriptor.paddedDimension(query.length))
                            : query;
            this.errorPerScale = width.errorPerScale();
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
            long codesAt = at + QuantizedVectorsDescriptor.CODES_OFFSET;
            float codeDot =
                    nibbles
                            ? KERNELS.dotNibbles(kernelQuery, rows, codesAt)
                            : KERNELS.dotCodes(kernelQuery, rows, codesAt);
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
            return Math.sqrt(query.length)
                    * componentError(bias(rowAt), scale(rowAt), errorPerScale);
        }

        /** Rounding of {@code scale * dot(query, codes)} in the approximate distance, at most. */
        final double codeDotRounding(long rowAt) {
            return sumRounding * scale(rowAt) * queryNorm * Math.sqrt(codeSquares(rowAt));
        }
    }

    /**
     * How far a component can be from its decoded value {@code bias + scale * code}: half a level,
     * plus the float rounding of bias and scale (which can also push a code into the clamp), taken
     * with a wide margin: {@code 2^-20 (|bias| + c scale)} with {@code c} the largest code
     * magnitude (int8: 128, 4-bit: 15), passed as {@code errorPerScale = 2^-20 c}.
     */
    static double componentError(double bias, double scale, double errorPerScale) {
        return 0.5 * scale + 0x1p-20 * Math.abs(bias) + errorPerScale * scale;
    }

    /**
     * Approximate squared L2 from one dot product: {@code sum((q - bias - scale * code)^2) =
     * sum(q^2) - 2 bias sum(q) + dim bias^2 - 2 scale (dot(q, code) - bias sum(code)) + scale^2
     * sum(code^2)}, the code sums read from the row. Clamped at 0 (the expansion can round below).
     * Bounds: the exact Euclidean distance is within the row's error radius of the approximate one.
     */
    private static final class L2Scorer extends CodeScorer {

        L2Scorer(float[] query, Width width, MemorySegment rows, int stride) {
            super(query, width, rows, stride);
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

        DotScorer(float[] query, Width width, MemorySegment rows, int stride) {
            super(query, width, rows, stride);
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
