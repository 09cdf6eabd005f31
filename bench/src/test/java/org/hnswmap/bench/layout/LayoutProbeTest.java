package org.hnswmap.bench.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.HnswlibFiles;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutProbeTest {

    private static final int N = 3000;
    private static final int DIM = 24;
    private static final int K = 10;

    @TempDir Path dir;

    @Test
    void shouldReadTheExportedGraphAndAnswerAlikeInBothLayouts() throws Exception {
        float[][] rows = randomRows(N, DIM, 1);
        long[] labels = new long[N];
        for (int i = 0; i < N; i++) {
            labels[i] = 1000L + 7L * i; // labels that are not node ids
        }
        Path file = dir.resolve("graph.bin");
        try (HnswIndex index =
                HnswIndex.create(
                        dir.resolve("index"),
                        IndexConfig.builder(Space.L2, DIM).maxElements(N).m(8).build())) {
            index.addItems(rows, labels, 1);
            index.commit();
            HnswlibFiles.exportIndex(index, file);
        }

        HnswlibGraph graph = HnswlibGraph.read(file);

        assertEquals(N, graph.size);
        assertEquals(DIM, graph.dimension);
        assertEquals(16, graph.maxDegree0);
        for (int node = 0; node < N; node++) {
            int row = (int) ((graph.labels[node] - 1000L) / 7L);
            float[] stored = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                stored[i] = graph.rows.get(HnswlibGraph.FLOAT, graph.rowOffset(node) + 4L * i);
            }
            assertArrayEquals(rows[row], stored, "row of label " + graph.labels[node]);
            assertTrue(graph.count0[node] > 0, "node " + node + " has level-0 neighbours");
        }
        float[][] queries = randomRows(200, DIM, 2);
        double recall =
                recallOfBothLayouts(
                        new SeparateRows(graph, false, new Int8Codes()),
                        new CodesNextToLists(graph, false, new Int8Codes()),
                        queries,
                        rows,
                        labels);
        assertTrue(recall > 0.95, "recall@10 at ef 64 is " + recall);

        // 4-bit codes: 24 components, so the last 16-byte group is partly padding
        double fourBitRecall =
                recallOfBothLayouts(
                        new SeparateRows(graph, false, new FourBitCodes(DIM)),
                        new CodesNextToLists(graph, false, new FourBitCodes(DIM)),
                        queries,
                        rows,
                        labels);
        assertTrue(fourBitRecall > 0.9, "4-bit recall@10 at ef 64 is " + fourBitRecall);

        // each node's code row beside its own list (hnswlib's block per node): the same answers
        assertEquals(
                recall,
                recallOfBothLayouts(
                        new SeparateRows(graph, false, new Int8Codes()),
                        new CodeWithOwnList(graph, false, new Int8Codes()),
                        queries,
                        rows,
                        labels));
        assertEquals(
                fourBitRecall,
                recallOfBothLayouts(
                        new SeparateRows(graph, false, new FourBitCodes(DIM)),
                        new CodeWithOwnList(graph, false, new FourBitCodes(DIM)),
                        queries,
                        rows,
                        labels));
    }

    /** Recall@K at ef 64 of {@code separate}, asserting that {@code other} answers alike. */
    private static double recallOfBothLayouts(
            ProbeSearcher separate,
            ProbeSearcher other,
            float[][] queries,
            float[][] rows,
            long[] labels) {
        int hits = 0;
        for (float[] q : queries) {
            long[] answer = separate.search(q, K, 64);
            assertArrayEquals(answer, other.search(q, K, 64));
            long[] exact = bruteForce(rows, labels, q);
            hits +=
                    (int)
                            Arrays.stream(answer)
                                    .filter(l -> Arrays.stream(exact).anyMatch(e -> e == l))
                                    .count();
        }
        return hits / (double) (K * queries.length);
    }

    private static long[] bruteForce(float[][] rows, long[] labels, float[] q) {
        return IntStream.range(0, rows.length)
                .boxed()
                .sorted(Comparator.comparingDouble(i -> squaredL2(rows[i], q)))
                .limit(K)
                .mapToLong(i -> labels[i])
                .toArray();
    }

    private static double squaredL2(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    private static float[][] randomRows(int n, int dim, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][dim];
        for (float[] row : rows) {
            for (int i = 0; i < dim; i++) {
                row[i] = random.nextFloat();
            }
        }
        return rows;
    }
}
