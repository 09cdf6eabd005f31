package org.hnswmap.bench.large;

import io.github.jbellis.jvector.disk.ReaderSupplier;
import io.github.jbellis.jvector.disk.ReaderSupplierFactory;
import io.github.jbellis.jvector.disk.SimpleWriter;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.quantization.PQVectors;
import io.github.jbellis.jvector.quantization.ProductQuantization;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * jvector 4.0.2 in its on-disk mode on a {@link LargeIndexRun} data set (issue 21's peer): the
 * graph written with the full vectors inline ({@code OnDiskGraphIndex}, searched through mapped
 * memory), product-quantized codes (96 bytes a row at 768 dimensions, against hnswmap's 104-byte
 * one-bit codes) held in the heap for traversal, and the best {@code ef} candidates re-ranked by
 * the full vectors read from the graph file: what jvector's users run for an index larger than
 * memory. The same queries, split, warm-up and throughput protocol as {@code LargeIndexRun search},
 * and the same memory held away as {@code LargeIndexRun run} holds for hnswmap.
 */
@Command(
        name = "jvector-on-disk",
        mixinStandardHelpOptions = true,
        subcommands = {
            JvectorOnDisk.Build.class,
            JvectorOnDisk.Search.class,
            JvectorOnDisk.Run.class
        },
        description = "jvector's on-disk mode on the large-index data set")
public final class JvectorOnDisk {
    static final String GRAPH = "jvector/graph.bin";
    static final String CODES = "jvector/pq.bin";
    static final int K = LargeIndexRun.K;
    private static final VectorTypeSupport VECTORS =
            VectorizationProvider.getInstance().getVectorTypeSupport();

    /** Rows are normalized: the dot product orders as cosine does. */
    private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

    public static void main(String[] args) {
        System.exit(new CommandLine(new JvectorOnDisk()).execute(args));
    }

    @Command(name = "build", description = "graph (M 16 as degrees 32/16, beam 200), PQ codes")
    static final class Build implements Callable<Integer> {
        @Option(names = "--dir", required = true)
        Path dir;

        @Option(names = "--threads", defaultValue = "2")
        int threads;

        @Option(names = "--subspaces", defaultValue = "96")
        int subspaces;

        @Override
        public Integer call() throws Exception {
            LargeIndexRun.Dataset data = LargeIndexRun.Dataset.read(dir);
            ClusteredRows gen = data.generator();
            List<VectorFloat<?>> rows = new ArrayList<>((int) data.rows());
            for (long first = 0; first < data.rows(); first += 100_000) {
                for (float[] v : gen.rows(first, (int) Math.min(100_000, data.rows() - first))) {
                    rows.add(VECTORS.createFloatVector(v));
                }
            }
            var values = new ListRandomAccessVectorValues(rows, data.dimension());
            ForkJoinPool pool = new ForkJoinPool(threads);
            long t0 = System.nanoTime();
            ImmutableGraphIndex graph;
            try (GraphIndexBuilder builder =
                    new GraphIndexBuilder(
                            BuildScoreProvider.randomAccessScoreProvider(values, SIMILARITY),
                            data.dimension(),
                            List.of(32, 16),
                            200,
                            1.2f,
                            1.2f,
                            true,
                            true,
                            pool,
                            pool)) {
                graph = builder.build(values);
            }
            double build = (System.nanoTime() - t0) / 1e9;
            Files.createDirectories(dir.resolve("jvector"));
            long t1 = System.nanoTime();
            OnDiskGraphIndex.write(graph, values, dir.resolve(GRAPH));
            double write = (System.nanoTime() - t1) / 1e9;
            long t2 = System.nanoTime();
            ProductQuantization pq = ProductQuantization.compute(values, subspaces, 256, false);
            PQVectors codes = (PQVectors) pq.encodeAll(values, pool);
            try (SimpleWriter out = new SimpleWriter(dir.resolve(CODES))) {
                codes.write(out, OnDiskGraphIndex.CURRENT_VERSION);
            }
            pool.shutdown();
            System.out.printf(
                    Locale.ROOT,
                    "BUILD jvector graph %.1f s (%.0f rows/s on %d threads), written in %.1f s; PQ %d"
                            + " subspaces in %.1f s; files %s %d, %s %d%n",
                    build,
                    data.rows() / build,
                    threads,
                    write,
                    subspaces,
                    (System.nanoTime() - t2) / 1e9,
                    GRAPH,
                    Files.size(dir.resolve(GRAPH)),
                    CODES,
                    Files.size(dir.resolve(CODES)));
            return 0;
        }
    }

    @Command(
            name = "search",
            description = "the searching process: LargeIndexRun search's protocol")
    static final class Search implements Callable<Integer> {
        @Mixin QueryProtocol protocol;

        private OnDiskGraphIndex graph;
        private PQVectors codes;
        private final ThreadLocal<GraphSearcher> searchers = new ThreadLocal<>();

        @Override
        public Integer call() throws Exception {
            LargeIndexRun.Dataset data = LargeIndexRun.Dataset.read(protocol.dir);
            try (ReaderSupplier graphFile =
                            ReaderSupplierFactory.open(protocol.dir.resolve(GRAPH));
                    ReaderSupplier codeFile =
                            ReaderSupplierFactory.open(protocol.dir.resolve(CODES))) {
                graph = OnDiskGraphIndex.load(graphFile);
                try (var reader = codeFile.get()) {
                    codes = PQVectors.load(reader);
                }
                System.out.println("searcher after load " + QueryProtocol.anonymousMemory());
                protocol.run(data, this::search);
                System.out.println("searcher " + QueryProtocol.anonymousMemory());
            }
            return 0;
        }

        private long[] search(float[] query, int ef) {
            GraphSearcher searcher = searchers.get();
            if (searcher == null) {
                searcher = new GraphSearcher(graph);
                searchers.set(searcher);
            }
            VectorFloat<?> q = VECTORS.createFloatVector(query);
            var view = (ImmutableGraphIndex.ScoringView) searcher.getView();
            SearchResult result =
                    searcher.search(
                            new DefaultSearchScoreProvider(
                                    codes.precomputedScoreFunctionFor(q, SIMILARITY),
                                    view.rerankerFor(q, SIMILARITY)),
                            K,
                            Math.max(ef, K),
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
    }

    @Command(
            name = "run",
            description =
                    "cached, then limited to the memory LargeIndexRun run leaves hnswmap: ef chosen"
                            + " on the tune half, reported on the other")
    static final class Run implements Callable<Integer> {
        @Mixin PhaseOptions phases;

        @Option(names = "--efs", split = ",", defaultValue = "20,40,80,160,320,640")
        int[] efs;

        @Override
        public Integer call() throws Exception {
            Path dir = phases.dir;
            long hnswmapBytes = phases.hnswmapFilesBytes();
            long budget = phases.budget(hnswmapBytes);
            long jvectorBytes = Files.size(dir.resolve(GRAPH)) + Files.size(dir.resolve(CODES));
            System.out.printf(
                    Locale.ROOT,
                    "jvector files %.2f GiB; memory left while searching %d MiB, as for hnswmap (its"
                            + " files %.2f GiB)%n",
                    jvectorBytes / (double) (1L << 30),
                    budget,
                    hnswmapBytes / (double) (1L << 30));
            phases.cachedThenLimited(dir.resolve("jvector"), budget, this::searchBoth);
            return 0;
        }

        private void searchBoth() throws Exception {
            SearchChild.Choice choice = new SearchChild.Choice(null, efs[efs.length - 1]);
            choice.consider(
                    child("--split", "tune", "--efs", SearchChild.join(efs)), null, phases.target);
            System.out.println("chosen on the tune half: " + choice);
            child(
                    "--split",
                    "report",
                    "--efs",
                    Integer.toString(choice.ef),
                    "--concurrency",
                    Integer.toString(phases.concurrency));
        }

        private List<String> child(String... args) throws Exception {
            return SearchChild.run(JvectorOnDisk.class, phases.dir, List.of("-Xmx768m"), args);
        }
    }

    private JvectorOnDisk() {}
}
