package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.hnswmap.graph.NodeScorer;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The int8 scorers: their distances equal those to the decoded rows ({@code bias + scale * code},
 * computed here from the stored bytes), batch equals one by one, and rows whose components are all
 * equal (scale 0) or negative are handled.
 */
class QuantizedVectorsTest {

    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"0, 3", "0, 784", "1, 128", "2, 97", "0, 16"})
    void shouldScoreTheDecodedRowWhenTraversingInt8(int space, int dimension) {
        StoreConfig config =
                new StoreConfig(
                        space,
                        dimension,
                        8,
                        16,
                        50,
                        MetaHeaderDescriptor.FLAG_INT8_TRAVERSAL,
                        1,
                        0);
        int n = 50;
        try (IndexStore store = IndexStore.create(dir.resolve("s"), config, n, 10)) {
            MappedVectors vectors = (MappedVectors) store.vectors();
            float[][] rows = RandomVectors.uniform(n, dimension, 3);
            for (int i = 0; i < dimension; i++) {
                rows[1][i] = 0.75f; // all equal: scale 0
                rows[2][i] = rows[2][i] * 400f - 300f; // negative and large
            }
            for (int node = 0; node < n; node++) {
                vectors.write(node, rows[node]);
            }
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
            assertTrue(Math.abs(scorer.distance(0) - exact) < 0.05 * Math.max(1, exact));
        }
    }

    /** The distance from {@code query} to {@code bias + scale * code}, in double. */
    private static double decodedDistance(
            int space, float[] query, IndexStore store, StoreConfig config, int node) {
        MemorySegment rows = ((MappedVectors) store.vectors()).quantized().segment();
        long at = QuantizedVectorsDescriptor.rowOffset(node, config.quantizedStride());
        double bias = rows.get(FilePreamble.FLOAT, at + QuantizedVectorsDescriptor.BIAS_OFFSET);
        double scale = rows.get(FilePreamble.FLOAT, at + QuantizedVectorsDescriptor.SCALE_OFFSET);
        double l2 = 0;
        double dot = 0;
        for (int i = 0; i < query.length; i++) {
            byte code =
                    rows.get(
                            ValueLayout.JAVA_BYTE,
                            at + QuantizedVectorsDescriptor.CODES_OFFSET + i);
            double x = bias + scale * code;
            l2 += (query[i] - x) * (query[i] - x);
            dot += query[i] * x;
        }
        return space == MetaHeaderDescriptor.SPACE_L2 ? l2 : 1 - dot;
    }
}
