package org.hnswmap.bench.peers;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * jvector 4 (io.github.jbellis), on-heap graph with hierarchy: maximum degree 32 on the base layer
 * and 16 above (hnswlib's M 16), beam width 200 at build, jvector's default neighbour overflow and
 * alpha (1.2, 1.2), exact float32 scoring (no quantization). A query searches with {@code rerankK =
 * ef}, jvector's beam width, and keeps the top {@code k}. Vectors and graph live in the heap.
 */
final class JvectorSystem implements AnnSystem {

    private static final VectorTypeSupport VECTORS =
            VectorizationProvider.getInstance().getVectorTypeSupport();

    private ListRandomAccessVectorValues values;
    private ImmutableGraphIndex graph;
    private GraphSearcher searcher;

    @Override
    public String name() {
        return "jvector";
    }

    @Override
    public int[] buildThreads(int[] requested) {
        return requested;
    }

    @Override
    public double build(float[][] base, int threads, Path dir) throws Exception {
        close();
        List<VectorFloat<?>> rows = new ArrayList<>(base.length);
        for (float[] row : base) {
            rows.add(VECTORS.createFloatVector(row.clone()));
        }
        values = new ListRandomAccessVectorValues(rows, base[0].length);
        BuildScoreProvider scores =
                BuildScoreProvider.randomAccessScoreProvider(
                        values, VectorSimilarityFunction.EUCLIDEAN);
        ForkJoinPool pool = new ForkJoinPool(threads);
        long start = System.nanoTime();
        try (GraphIndexBuilder builder =
                new GraphIndexBuilder(
                        scores,
                        base[0].length,
                        List.of(32, 16),
                        200,
                        1.2f,
                        1.2f,
                        true,
                        true,
                        pool,
                        pool)) {
            graph = builder.build(values);
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        searcher = new GraphSearcher(graph);
        return seconds;
    }

    @Override
    public long[] search(float[] query, int k, int ef) {
        VectorFloat<?> q = VECTORS.createFloatVector(query);
        SearchResult result =
                searcher.search(
                        DefaultSearchScoreProvider.exact(
                                q, VectorSimilarityFunction.EUCLIDEAN, values),
                        k,
                        Math.max(ef, k),
                        0f,
                        0f,
                        Bits.ALL);
        SearchResult.NodeScore[] nodes = result.getNodes();
        long[] out = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            out[i] = nodes[i].node;
        }
        return out;
    }

    @Override
    public long indexBytes() {
        return -1;
    }

    @Override
    public void close() throws Exception {
        if (searcher != null) {
            searcher.close();
            searcher = null;
        }
        graph = null;
        values = null;
    }
}
