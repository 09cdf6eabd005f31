package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.hnswmap.graph.NodeScorer;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Scoring a batch of mapped rows (with its cache-line touches, four rows at a time) equals scoring
 * them one by one.
 */
class BatchScoringTest {

    @TempDir Path dir;

    /**
     * Codes: 0 float32 rows, 1 the int8 copy, 2 the one-bit copy, 3 the 4-bit copy (rows of every
     * stride, touched up to their last bytes). The store is full, so node 199's row ends where the
     * file ends.
     */
    @ParameterizedTest
    @CsvSource({
        "0, 3, 0",
        "0, 784, 0",
        "1, 128, 0",
        "2, 97, 0",
        "0, 16, 0",
        "0, 784, 1",
        "0, 97, 1",
        "0, 784, 2",
        "2, 100, 2",
        "0, 3, 2",
        "0, 784, 3",
        "2, 97, 3",
        "0, 3, 3"
    })
    void shouldScoreBatchBitIdenticalToSingleNodesWhenRowsAreMapped(
            int space, int dimension, int codes) {
        int flags =
                switch (codes) {
                    case 1 -> MetaHeaderDescriptor.FLAG_INT8_TRAVERSAL;
                    case 2 -> MetaHeaderDescriptor.FLAG_BINARY_TRAVERSAL;
                    case 3 -> MetaHeaderDescriptor.FLAG_INT4_TRAVERSAL;
                    default -> 0;
                };
        StoreConfig config = new StoreConfig(space, dimension, 8, 16, 50, flags, 1, 0);
        int n = 200;
        try (StoreWriter store = IndexStore.create(dir.resolve("s"), config, n, 10)) {
            MappedVectors vectors = (MappedVectors) store.vectors();
            float[][] rows = RandomVectors.uniform(n, dimension, 3);
            vectors.prepare(java.util.List.of(rows));
            for (int node = 0; node < n; node++) {
                vectors.write(node, rows[node]);
            }
            float[] query = RandomVectors.uniform(1, dimension, 4)[0];
            NodeScorer scorer =
                    codes == 0 ? vectors.queryScorer(query) : vectors.traversalScorer(query);
            int[] nodes = {199, 0, 57, 57, 3, 120, 8, 160, 44, 2, 1};
            // every batch length: whole groups of four, a final overlapping group, under four
            for (int length = 1; length <= nodes.length; length++) {
                float[] batch = new float[length];
                scorer.distances(nodes, length, batch);
                for (int i = 0; i < length; i++) {
                    assertEquals(
                            Float.floatToRawIntBits(scorer.distance(nodes[i])),
                            Float.floatToRawIntBits(batch[i]),
                            "node " + nodes[i] + " in a batch of " + length);
                }
            }
            scorer.distances(nodes, 0, new float[0]); // an empty batch touches nothing
        }
    }

    /**
     * An insert's scorers follow the searches' rules: rows touched first only when the rows in use
     * pass {@link MappedVectors#TOUCH_ABOVE_BYTES}, four at a time only past {@link
     * MappedVectors#INTERLEAVE_ABOVE_BYTES}; every way gives the one-row distances, bit for bit.
     */
    @ParameterizedTest
    @CsvSource({"0, 128", "0, 784", "1, 97"})
    void shouldScoreFromStoredNodesTheSameWhicheverWayRowsAreRead(int space, int dimension) {
        StoreConfig config = new StoreConfig(space, dimension, 8, 16, 50, 0, 1, 0);
        int n = 60;
        try (StoreWriter store = IndexStore.create(dir.resolve("t"), config, n, 10)) {
            MappedVectors vectors = (MappedVectors) store.vectors();
            float[][] rows = RandomVectors.uniform(n, dimension, 5);
            for (int node = 0; node < n; node++) {
                vectors.write(node, rows[node]);
            }
            int cachedBound = (int) (MappedVectors.TOUCH_ABOVE_BYTES / config.vectorStride());
            assertEquals(0, vectors.rowTouches(n));
            assertEquals(0, vectors.rowTouches(cachedBound));
            assertEquals(2, vectors.rowTouches(cachedBound + 1));
            int interleaveBound =
                    (int) (MappedVectors.INTERLEAVE_ABOVE_BYTES / config.vectorStride());
            assertEquals(false, vectors.interleaves(interleaveBound));
            assertEquals(true, vectors.interleaves(interleaveBound + 1));
            int[] nodes = {59, 0, 31, 7, 12, 3, 44};
            float[] oneByOne = new float[nodes.length];
            float[] interleaved = new float[nodes.length];
            float[] touched = new float[nodes.length];
            vectors.nodeScorer(9, n).distances(nodes, nodes.length, oneByOne);
            vectors.nodeScorer(9, interleaveBound + 1).distances(nodes, nodes.length, interleaved);
            vectors.nodeScorer(9, cachedBound + 1).distances(nodes, nodes.length, touched);
            for (int i = 0; i < nodes.length; i++) {
                int expected = Float.floatToRawIntBits(vectors.nodeScorer(9).distance(nodes[i]));
                assertEquals(expected, Float.floatToRawIntBits(oneByOne[i]));
                assertEquals(expected, Float.floatToRawIntBits(interleaved[i]));
                assertEquals(expected, Float.floatToRawIntBits(touched[i]));
            }
        }
    }
}
