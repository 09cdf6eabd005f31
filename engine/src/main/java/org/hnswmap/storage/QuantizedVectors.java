package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
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
final class QuantizedVectors {

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

    NodeScorer queryScorer(float[] query) {
        return innerProduct
                ? new DotScorer(query, file.segment(), rowStride)
                : new L2Scorer(query, file.segment(), rowStride);
    }

    /** The current mapping of {@code vectors.i8} (for verification and tests). */
    MemorySegment segment() {
        return file.segment();
    }

    /** Writer: stores the codes of {@code vector} as the row of {@code node}. */
    void write(int node, float[] vector) {
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
    String mismatch(int node, float[] vector) {
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

    /** A query against int8 rows: reads each row's bias and scale, the subclass scores codes. */
    private abstract static class CodeScorer extends PrefetchingScorer {
        final float[] query;
        final double querySum;

        CodeScorer(float[] query, MemorySegment rows, int stride) {
            super(rows, stride, QuantizedVectorsDescriptor.DATA_OFFSET, ALL_LINES);
            this.query = query;
            double sum = 0;
            for (float x : query) {
                sum += x;
            }
            this.querySum = sum;
        }

        @Override
        public final float distance(int node) {
            long at = rowOffset(node);
            float bias = rows.get(FilePreamble.FLOAT, at + QuantizedVectorsDescriptor.BIAS_OFFSET);
            float scale =
                    rows.get(FilePreamble.FLOAT, at + QuantizedVectorsDescriptor.SCALE_OFFSET);
            float codeDot =
                    KERNELS.dotCodes(query, rows, at + QuantizedVectorsDescriptor.CODES_OFFSET);
            return score(at, bias, scale, codeDot);
        }

        /** The distance from the row at {@code rowAt}, given {@code dot(query, codes)}. */
        abstract float score(long rowAt, double bias, double scale, double codeDot);
    }

    /**
     * Approximate squared L2 from one dot product: {@code sum((q - bias - scale * code)^2) =
     * sum(q^2) - 2 bias sum(q) + dim bias^2 - 2 scale (dot(q, code) - bias sum(code)) + scale^2
     * sum(code^2)}, the code sums read from the row. Clamped at 0 (the expansion can round below).
     */
    private static final class L2Scorer extends CodeScorer {
        private final double querySquares;

        L2Scorer(float[] query, MemorySegment rows, int stride) {
            super(query, rows, stride);
            double squares = 0;
            for (float x : query) {
                squares += (double) x * x;
            }
            this.querySquares = squares;
        }

        @Override
        float score(long rowAt, double bias, double scale, double codeDot) {
            int codeSum =
                    rows.get(FilePreamble.INT, rowAt + QuantizedVectorsDescriptor.CODE_SUM_OFFSET);
            int codeSquares =
                    rows.get(
                            FilePreamble.INT,
                            rowAt + QuantizedVectorsDescriptor.CODE_SQUARES_OFFSET);
            double distance =
                    querySquares
                            + bias * (query.length * bias - 2 * querySum)
                            - 2 * scale * (codeDot - bias * codeSum)
                            + scale * scale * codeSquares;
            return (float) Math.max(0, distance);
        }
    }

    /** Approximate {@code 1 - dot}: {@code dot = bias * sum(query) + scale * dot(query, code)}. */
    private static final class DotScorer extends CodeScorer {

        DotScorer(float[] query, MemorySegment rows, int stride) {
            super(query, rows, stride);
        }

        @Override
        float score(long rowAt, double bias, double scale, double codeDot) {
            return (float) (1 - (bias * querySum + scale * codeDot));
        }
    }
}
