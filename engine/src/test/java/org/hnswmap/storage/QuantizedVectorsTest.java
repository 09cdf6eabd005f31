package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.hnswmap.graph.BoundedScorer;
import org.hnswmap.graph.NodeScorer;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The int8 and 4-bit scorers: their distances equal those to the decoded rows ({@code bias + scale
 * * code}, computed here from the stored bytes), batch equals one by one, rows whose components are
 * all equal (scale 0) or negative are handled, and the error bounds hold the exact distance.
 */
class QuantizedVectorsTest {

    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({
        "0, 3, 8, 0",
        "0, 784, 8, 0",
        "1, 128, 8, 0",
        "2, 97, 8, 0",
        "0, 16, 8, 0",
        "0, 3, 4, 0",
        "0, 784, 4, 0",
        "1, 128, 4, 0",
        "2, 97, 4, 0",
        "0, 16, 4, 0",
        "0, 33, 4, 0",
        "0, 97, 8, 7",
        "2, 97, 8, 7",
        "0, 33, 4, 7",
        "1, 128, 4, 7",
        "2, 97, 4, 50"
    })
    void shouldScoreTheDecodedRowWhenTraversingCodes(
            int space, int dimension, int bits, int regions) {
        StoreConfig config = codesConfig(space, dimension, bits, regions);
        int n = 50;
        try (StoreWriter store = IndexStore.create(dir.resolve("s"), config, n, 10)) {
            float[][] rows = RandomVectors.uniform(n, dimension, 3);
            for (int i = 0; i < dimension; i++) {
                rows[1][i] = 0.75f; // all equal: scale 0
                rows[2][i] = rows[2][i] * 400f - 300f; // negative and large
            }
            MappedVectors vectors = storeRows(store, rows, false, regions > 0);
            float[] query = RandomVectors.uniform(1, dimension, 4)[0];
            NodeScorer scorer = vectors.traversalScorer(query);
            int[] nodes = {0, 1, 2, 49, 17};
            float[] batch = new float[nodes.length];
            scorer.distances(nodes, nodes.length, batch);
            for (int i = 0; i < nodes.length; i++) {
                double expected = decodedDistance(space, query, store, config, nodes[i]);
                float single = scorer.distance(nodes[i]);
                assertEquals(
                        expected,
                        single,
                        1e-5 * Math.max(1, Math.abs(expected)) + 1e-4 * dimension,
                        "node " + nodes[i]);
                assertEquals(
                        Float.floatToRawIntBits(single),
                        Float.floatToRawIntBits(batch[i]),
                        "batch, node " + nodes[i]);
            }
            double exact = vectors.queryScorer(query).distance(0);
            assertTrue(
                    Math.abs(scorer.distance(0) - exact)
                            < (bits == 8 ? 0.05 : 0.3) * Math.max(1, exact));
        }
    }

    /**
     * The scorers' bounds hold the float32 distance, as the exact kernel computes it, for rows that
     * stress them: spiky (one large component), offset far from zero with a tiny range, constant,
     * huge, and plain random; and are narrow enough to be useful on plain rows.
     */
    @ParameterizedTest
    @CsvSource({
        "0, 784, 8, 0.5, 0",
        "0, 97, 8, 0.5, 0",
        "1, 128, 8, 0.5, 0",
        "2, 16, 8, 0.5, 0",
        "1, 3, 8, 0.5, 0",
        "0, 784, 4, 1, 0",
        "0, 97, 4, 1, 0",
        "1, 128, 4, 1, 0",
        "2, 16, 4, 1, 0",
        "1, 3, 4, 2, 0",
        "0, 97, 8, 0.5, 6",
        "2, 97, 8, 0.5, 6",
        "1, 128, 4, 1, 6",
        "0, 97, 4, 1, 6",
        "2, 16, 4, 1.5, 60",
        "1, 3, 4, 2, 6"
    })
    void shouldBoundTheExactDistanceByTheApproximateOne(
            int space, int dimension, int bits, double widthLimit, int regions) {
        StoreConfig config = codesConfig(space, dimension, bits, regions);
        int n = 60;
        try (StoreWriter store = IndexStore.create(dir.resolve("b"), config, n, 10)) {
            float[][] rows = RandomVectors.uniform(n, dimension, 5);
            for (int i = 0; i < dimension; i++) {
                rows[0][i] = i == 0 ? 255f : 0f;
                rows[1][i] = 1000f + rows[1][i] * 1e-3f;
                rows[2][i] = -3.5f;
                rows[3][i] = rows[3][i] * 3e15f - 1e15f;
                rows[4][i] = Math.round(rows[4][i] * 255f);
            }
            MappedVectors vectors =
                    storeRows(store, rows, space != MetaHeaderDescriptor.SPACE_L2, regions > 0);
            double widthSum = 0;
            for (int q = 0; q < 8; q++) {
                float[] query = RandomVectors.uniform(1, dimension, 100 + q)[0];
                if (q == 1) {
                    query = rows[1].clone();
                }
                if (space != MetaHeaderDescriptor.SPACE_L2) {
                    query = normalized(query);
                }
                BoundedScorer approximate = (BoundedScorer) vectors.traversalScorer(query);
                NodeScorer exact = vectors.queryScorer(query);
                for (int node = 0; node < n; node++) {
                    float estimate = approximate.distance(node);
                    float lower = approximate.lowerBound(node, estimate);
                    float upper = approximate.upperBound(node, estimate);
                    float distance = exact.distance(node);
                    String what = "query " + q + ", node " + node + ": " + lower + " <= ";
                    assertTrue(lower <= distance, what + distance);
                    assertTrue(distance <= upper, what + distance + " <= " + upper);
                    if (node >= 5) {
                        widthSum += (upper - lower) / Math.max(1e-3, distance);
                    }
                }
            }
            double meanRelativeWidth = widthSum / (8 * (n - 5));
            assertTrue(meanRelativeWidth < widthLimit, "relative width " + meanRelativeWidth);
        }
    }

    /** With {@code regions > 0}, the rows are residuals to that many centroids (section 5e). */
    private static StoreConfig codesConfig(int space, int dimension, int bits, int regions) {
        int flag =
                (bits == 8
                                ? MetaHeaderDescriptor.FLAG_INT8_TRAVERSAL
                                : MetaHeaderDescriptor.FLAG_INT4_TRAVERSAL)
                        | (regions > 0 ? MetaHeaderDescriptor.FLAG_TRAVERSAL_REGIONS : 0);
        return new StoreConfig(space, dimension, 8, 16, 50, flag, 1, 0, regions);
    }

    /**
     * Writes {@code rows} (normalized first when asked) as nodes 0, 1, ...; with {@code train}, the
     * regions' centroids come from all of them first (else from the first row).
     */
    private static MappedVectors storeRows(
            StoreWriter store, float[][] rows, boolean normalize, boolean train) {
        MappedVectors vectors = (MappedVectors) store.vectors();
        if (normalize) {
            for (int node = 0; node < rows.length; node++) {
                rows[node] = normalized(rows[node]);
            }
        }
        if (train) {
            vectors.prepare(java.util.Arrays.asList(rows));
        }
        for (int node = 0; node < rows.length; node++) {
            vectors.write(node, rows[node]);
        }
        return vectors;
    }

    private static float[] normalized(float[] vector) {
        double norm = 0;
        for (float x : vector) {
            norm += (double) x * x;
        }
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / Math.sqrt(norm));
        }
        return out;
    }

    /** The distance from {@code query} to {@code bias + scale * code}, in double. */
    private static double decodedDistance(
            int space, float[] query, StoreWriter store, StoreConfig config, int node) {
        QuantizedVectors codes = (QuantizedVectors) ((MappedVectors) store.vectors()).codes();
        MemorySegment rows = codes.segment();
        long at = config.codesRowsOffset() + (long) node * config.codesStride();
        float[] centroid = new float[query.length];
        if (config.traversalRegions()) {
            int region = rows.get(FilePreamble.INT, at + TraversalRegionsDescriptor.REGION_OFFSET);
            centroid = codes.centroids()[region];
        }
        double bias = rows.get(FilePreamble.FLOAT, at + QuantizedVectorsDescriptor.BIAS_OFFSET);
        double scale = rows.get(FilePreamble.FLOAT, at + QuantizedVectorsDescriptor.SCALE_OFFSET);
        double l2 = 0;
        double dot = 0;
        for (int i = 0; i < query.length; i++) {
            int code;
            if (config.int4Traversal()) {
                byte packed =
                        rows.get(
                                ValueLayout.JAVA_BYTE,
                                at + Int4VectorsDescriptor.CODES_OFFSET + (i / 32) * 16 + i % 16);
                code = (i % 32 < 16 ? packed : packed >> 4) & 15;
            } else {
                code =
                        rows.get(
                                ValueLayout.JAVA_BYTE,
                                at + QuantizedVectorsDescriptor.CODES_OFFSET + i);
            }
            double x = centroid[i] + (bias + scale * code);
            l2 += (query[i] - x) * (query[i] - x);
            dot += query[i] * x;
        }
        return space == MetaHeaderDescriptor.SPACE_L2 ? l2 : 1 - dot;
    }
}
