package org.hnswmap.storage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.hnswmap.graph.NodeScorer;

/**
 * A scalar-quantized traversal copy of the vectors: int8 ({@code vectors.i8}, {@link
 * QuantizedVectorsDescriptor}) or 4-bit ({@code vectors.i4}, {@link Int4VectorsDescriptor}). Each
 * row is scaled on its own, {@code bias + scale * code} with 256 or 16 levels from the row's
 * minimum to its maximum, so nothing needs training and an insert never changes another row. An
 * int8 row is a quarter of the float32 row, a 4-bit row an eighth, so a traversal touches that much
 * of the memory; searches re-rank what it finds with the float32 vectors. The two widths share the
 * row header and every formula; only the packing of the codes and the kernel that reads them
 * differ. This class encodes, writes and verifies rows; {@link CodeRowScorers} reads them.
 *
 * <p>With traversal regions ({@link TraversalRegions}, storage-format.md section 5e) a row encodes
 * its vector minus the nearest of the regions' centroids: where the data has clusters, a residual
 * spans a fraction of the vector's range, so the same levels tell neighbours within a cluster
 * apart. The row keeps the centroid's index and {@code 2 <c, r> + |r|^2} of its decoded residual
 * {@code r} in place of the code sums, so an estimate is still one code dot product plus a term per
 * centroid, which a scorer computes the first time a search meets that centroid.
 *
 * <p>Encoding is plain Java arithmetic in double precision, the same in every JVM, so {@link
 * #mismatch} can recompute a row to verify it. Thread-safe: rows are written by the single writer
 * before the node becomes visible; scorers capture the mapping current at their creation.
 */
final class QuantizedVectors implements TraversalCodes {

    private final MappedFile file;
    private final int dimension;
    private final int rowStride;
    private final boolean innerProduct;

    private final Width width;

    /** Offset of the first row: after the regions' centroids when there are regions. */
    private final long rowsOffset;

    /** The regions the rows are residuals to, or null when rows encode vectors themselves. */
    private final TraversalRegions regions;

    /** The file's path, for errors a scorer reports. */
    private final String fileName;

    /** What differs between the two files: the code range and how codes are packed. */
    record Width(boolean nibbles, int codeMin, int codeMax) {

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
            return 0x1p-20 * largestCode();
        }

        /** The largest code magnitude. */
        int largestCode() {
            return Math.max(-codeMin, codeMax);
        }
    }

    QuantizedVectors(MappedFile file, StoreConfig config) {
        this.file = file;
        this.dimension = config.dimension();
        this.rowStride = config.codesStride();
        this.innerProduct = config.space() != MetaHeaderDescriptor.SPACE_L2;
        this.width = config.int4Traversal() ? Width.INT4 : Width.INT8;
        this.rowsOffset = config.codesRowsOffset();
        this.regions = config.traversalRegions() ? new TraversalRegions(file, config) : null;
        this.fileName = file.path().toString();
    }

    @Override
    public NodeScorer queryScorer(float[] query) {
        if (regions != null) {
            float[][] centroids = regions.centroids();
            // no centroids: the index never held a vector, so nothing will be scored
            return new CodeRowScorers.RegionScorer(
                    query,
                    width,
                    file.segment(),
                    rowStride,
                    rowsOffset,
                    innerProduct,
                    centroids == null ? new float[0][] : centroids,
                    centroids == null ? new double[0] : regions.norms(),
                    fileName);
        }
        return innerProduct
                ? new CodeRowScorers.DotScorer(query, width, file.segment(), rowStride, rowsOffset)
                : new CodeRowScorers.L2Scorer(query, width, file.segment(), rowStride, rowsOffset);
    }

    @Override
    public void prepare(List<float[]> vectors) {
        if (regions != null) {
            regions.train(vectors);
        }
    }

    @Override
    public float[][] centroids() {
        return regions == null ? null : regions.centroids();
    }

    @Override
    public void adoptCentroids(float[][] centroids) {
        if (regions == null) {
            throw new IllegalArgumentException("these codes have no regions to take centroids for");
        }
        regions.adopt(centroids);
    }

    @Override
    public String headerProblem() {
        return regions == null ? null : regions.headerProblem();
    }

    /** The current mapping of the codes file (for verification and tests). */
    MemorySegment segment() {
        return file.segment();
    }

    /** Writer: stores the codes of {@code vector} as the row of {@code node}. */
    @Override
    public void write(int node, float[] vector) {
        int region = -1;
        if (regions != null) {
            if (regions.centroids() == null) {
                regions.train(List.of(vector));
            }
            region = KMeans.nearest(regions.centroids(), vector);
        }
        byte[] row = encode(vector, region);
        MemorySegment.copy(
                row, 0, file.segment(), ValueLayout.JAVA_BYTE, rowOffset(node), row.length);
    }

    /**
     * Null when the stored row of {@code node} is the encoding of {@code vector}, else what differs
     * (for verification).
     */
    @Override
    public String mismatch(int node, float[] vector) {
        long at = rowOffset(node);
        int region = -1;
        if (regions != null) {
            if (regions.centroids() == null) {
                return "the index has rows but " + file.path().getFileName() + " has no centroids";
            }
            region =
                    file.segment()
                            .get(FilePreamble.INT, at + TraversalRegionsDescriptor.REGION_OFFSET);
            if (region < 0 || region >= regions.count()) {
                return "region " + region + " is not one of the " + regions.count() + " regions";
            }
        }
        byte[] expected = encode(vector, region);
        for (int i = 0; i < expected.length; i++) {
            byte stored = file.segment().get(ValueLayout.JAVA_BYTE, at + i);
            if (stored != expected[i]) {
                int codeByte = i - QuantizedVectorsDescriptor.CODES_OFFSET;
                return codeByte < 0
                        ? (regions == null
                                ? "bias, scale or code sums differ from the encoding of the float32"
                                        + " row"
                                : "bias, scale or row term differ from the encoding of the float32"
                                        + " row's residual to region "
                                        + region)
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
        // both descriptors: rows from rowsOffset, at the file's stride
        return rowsOffset + (long) node * rowStride;
    }

    /**
     * Bias, scale, code sums and codes of one row (the bytes before the padding), in the layout of
     * the file's descriptor; with regions, of the residual to centroid {@code region}, with the
     * region and the row term in place of the code sums.
     */
    private byte[] encode(float[] vector, int region) {
        double[] values = new double[dimension];
        float[] centroid = region < 0 ? null : regions.centroids()[region];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < dimension; i++) {
            values[i] = centroid == null ? vector[i] : (double) vector[i] - centroid[i];
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
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
        double rowTerm = 0;
        for (int i = 0; i < dimension; i++) {
            int code =
                    scale == 0f
                            ? 0
                            : (int)
                                    Math.clamp(
                                            Math.round((values[i] - bias) / scale),
                                            codeMin,
                                            codeMax);
            if (centroid != null) {
                double decoded = bias + (double) scale * code;
                rowTerm += decoded * (2.0 * centroid[i] + decoded);
            }
            if (width.nibbles()) {
                row[QuantizedVectorsDescriptor.CODES_OFFSET + Int4VectorsDescriptor.codeByte(i)] |=
                        (byte) (code << Int4VectorsDescriptor.codeShift(i));
            } else {
                row[QuantizedVectorsDescriptor.CODES_OFFSET + i] = (byte) code;
            }
            codeSum += code;
            codeSquares += code * code;
        }
        if (centroid != null) {
            header.set(FilePreamble.INT, TraversalRegionsDescriptor.REGION_OFFSET, region);
            header.set(
                    FilePreamble.FLOAT,
                    TraversalRegionsDescriptor.ROW_TERM_OFFSET,
                    (float) rowTerm);
        } else {
            header.set(FilePreamble.INT, QuantizedVectorsDescriptor.CODE_SUM_OFFSET, codeSum);
            header.set(
                    FilePreamble.INT, QuantizedVectorsDescriptor.CODE_SQUARES_OFFSET, codeSquares);
        }
        return row;
    }
}
