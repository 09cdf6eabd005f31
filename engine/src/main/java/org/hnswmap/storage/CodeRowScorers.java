package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.graph.BoundedScorer;
import org.hnswmap.storage.QuantizedVectors.Width;

/**
 * The readers of int8 and 4-bit code rows ({@link QuantizedVectors} writes them): a query's
 * approximate distances to rows, and the bounds of each row's exact distance that let a re-rank
 * skip rows. {@link L2Scorer} and {@link DotScorer} read rows that encode vectors, {@link
 * RegionScorer} rows that encode residuals to the traversal regions' centroids. Not thread-safe:
 * one scorer per query.
 */
final class CodeRowScorers {

    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    private CodeRowScorers() {}

    /**
     * A query against code rows: reads each row's bias and scale, the subclass scores codes. It
     * also bounds the exact distance of a row from its approximate one ({@link BoundedScorer}): a
     * component of the float32 row is at most {@link #componentError} from its decoded value, so
     * the float32 row lies within {@code sqrt(dimension) * componentError} of the decoded row; the
     * bounds widen that by the rounding of the code dot product (float sums over at most {@code
     * dimension} terms) and of the exact kernel.
     */
    abstract static class CodeScorer extends PrefetchingScorer implements BoundedScorer {
        final float[] query;

        /**
         * What the kernel reads: the query itself for int8 codes, padded with zeros to whole groups
         * for 4-bit ones (see {@link DistanceKernels#dotNibbles}).
         */
        private final float[] kernelQuery;

        private final boolean nibbles;

        final Width width;

        /** {@link #componentError}'s allowance for the float rounding of bias and scale. */
        private final double errorPerScale;

        final double querySum;
        final double querySquares;
        final double queryNorm;

        /** Relative rounding error allowed to a float sum of {@code dimension} products. */
        final double sumRounding;

        CodeScorer(float[] query, Width width, MemorySegment rows, int stride, long rowsOffset) {
            super(rows, stride, rowsOffset, ALL_LINES);
            this.query = query;
            this.nibbles = width.nibbles();
            this.width = width;
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

        /**
         * Lower bound of a squared L2 distance whose decoded value is at least {@code decoded}, the
         * float32 row lying within {@code radius} of the decoded one.
         */
        final float l2LowerBound(double decoded, double radius) {
            double root = Math.sqrt(Math.max(0, decoded)) - radius;
            double bound = root <= 0 ? 0 : root * root * (1 - sumRounding);
            return Math.nextDown((float) bound);
        }

        /** Upper bound of the same, the decoded value being at most {@code decoded}. */
        final float l2UpperBound(double decoded, double radius) {
            double root = Math.sqrt(decoded) + radius;
            return Math.nextUp((float) (root * root * (1 + sumRounding)));
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
    static final class L2Scorer extends CodeScorer {

        L2Scorer(float[] query, Width width, MemorySegment rows, int stride, long rowsOffset) {
            super(query, width, rows, stride, rowsOffset);
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
            return l2LowerBound(
                    approximateDistance - roundingSlack(at, approximateDistance),
                    rowErrorRadius(at));
        }

        @Override
        public float upperBound(int node, float approximateDistance) {
            long at = rowOffset(node);
            return l2UpperBound(
                    approximateDistance + roundingSlack(at, approximateDistance),
                    rowErrorRadius(at));
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
    static final class DotScorer extends CodeScorer {

        DotScorer(float[] query, Width width, MemorySegment rows, int stride, long rowsOffset) {
            super(query, width, rows, stride, rowsOffset);
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

    /**
     * Scores rows that encode residuals to the regions' centroids (storage-format.md, section 5e):
     * with {@code <q, r> = bias * sum(query) + scale * dot(query, code)}, squared L2 is {@code |q -
     * c|^2 + rowTerm - 2 <q, r>} and {@code 1 - dot} is {@code 1 - <q, c> - <q, r>}, the centroid's
     * term computed the first time the query meets it. Bounds: the decoded row is {@code c + r},
     * within the row's error radius of the float32 row as without regions; the rounding allowed is
     * that of the centroid term, the stored row term and the code dot product (taken with the
     * largest possible codes, since the row keeps no code sums).
     */
    static final class RegionScorer extends CodeScorer {

        private final boolean innerProduct;
        private final float[][] centroids;

        /** The codes file's name, for errors. */
        private final String fileName;

        /** {@code |c|} per centroid (shared, never changed). */
        private final double[] centroidNorms;

        /** The query's term per centroid; NaN until first needed. */
        private final float[] terms;

        /**
         * Largest {@code |code|} times {@code sqrt(dimension)}: bounds the norm of a row's codes.
         */
        private final double codeNormBound;

        RegionScorer(
                float[] query,
                Width width,
                MemorySegment rows,
                int stride,
                long rowsOffset,
                boolean innerProduct,
                float[][] centroids,
                double[] centroidNorms,
                String fileName) {
            super(query, width, rows, stride, rowsOffset);
            this.innerProduct = innerProduct;
            this.fileName = fileName;
            this.centroids = centroids;
            this.terms = new float[centroids.length];
            this.centroidNorms = centroidNorms;
            Arrays.fill(terms, Float.NaN);
            this.codeNormBound = width.largestCode() * Math.sqrt(query.length);
        }

        @Override
        float score(long rowAt, double bias, double scale, double codeDot) {
            double toResidual = bias * querySum + scale * codeDot;
            double term = term(region(rowAt));
            if (innerProduct) {
                return (float) (1 - term - toResidual);
            }
            return (float) Math.max(0, term + rowTerm(rowAt) - 2 * toResidual);
        }

        /** The row's region; a damaged one fails the search instead of indexing past the terms. */
        private int region(long rowAt) {
            int region =
                    rows.get(FilePreamble.INT, rowAt + TraversalRegionsDescriptor.REGION_OFFSET);
            if (Integer.compareUnsigned(region, terms.length) >= 0) {
                throw new CorruptIndexException(
                        fileName
                                + ": a row names region "
                                + Integer.toUnsignedString(region)
                                + ", the file has "
                                + terms.length
                                + " (field region)");
            }
            return region;
        }

        private double rowTerm(long rowAt) {
            return rows.get(FilePreamble.FLOAT, rowAt + TraversalRegionsDescriptor.ROW_TERM_OFFSET);
        }

        /** {@code |q - c|^2} (L2) or {@code <q, c>} (inner product) of centroid {@code region}. */
        private double term(int region) {
            float known = terms[region];
            if (!Float.isNaN(known)) {
                return known;
            }
            float[] c = centroids[region];
            float term = innerProduct ? KERNELS.dot(query, c) : KERNELS.squaredL2(query, c);
            terms[region] = term;
            return term;
        }

        /** Rounding of {@code scale * dot(query, codes)}, at most. */
        private double codeDotRounding(double scale) {
            return sumRounding * scale * queryNorm * codeNormBound;
        }

        @Override
        public float lowerBound(int node, float approximateDistance) {
            long at = rowOffset(node);
            if (innerProduct) {
                return Math.nextDown(
                        (float) (approximateDistance - dotMargin(at, approximateDistance)));
            }
            return l2LowerBound(
                    approximateDistance - l2Slack(at, approximateDistance), rowErrorRadius(at));
        }

        @Override
        public float upperBound(int node, float approximateDistance) {
            long at = rowOffset(node);
            if (innerProduct) {
                return Math.nextUp(
                        (float) (approximateDistance + dotMargin(at, approximateDistance)));
            }
            return l2UpperBound(
                    approximateDistance + l2Slack(at, approximateDistance), rowErrorRadius(at));
        }

        /**
         * The squared distance to the decoded row differs from the approximate one by less: the
         * rounding of the centroid term (a float kernel sum), of the stored row term (a float, from
         * a double sum) and of twice the code dot product.
         */
        private double l2Slack(long rowAt, float approximateDistance) {
            double term = term(region(rowAt));
            return sumRounding * term
                    + 0x1p-22 * Math.abs(rowTerm(rowAt))
                    + 2 * codeDotRounding(scale(rowAt))
                    + sumRounding * approximateDistance;
        }

        /**
         * The exact dot product is within {@code |query|} times the row's error radius of the
         * decoded one, {@code <q, c> + <q, r>}, whose two parts are rounded as float sums.
         */
        private double dotMargin(long rowAt, float approximateDistance) {
            double c = centroidNorms[region(rowAt)];
            double radius = rowErrorRadius(rowAt);
            // |c + r|^2 = |c|^2 + rowTerm: the decoded row's norm
            double rowNorm = Math.sqrt(Math.max(0, c * c + rowTerm(rowAt))) + radius;
            return queryNorm * radius
                    + codeDotRounding(scale(rowAt))
                    + sumRounding * (queryNorm * (rowNorm + c) + Math.abs(approximateDistance) + 1);
        }
    }
}
