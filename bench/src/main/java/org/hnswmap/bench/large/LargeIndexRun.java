package org.hnswmap.bench.large;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.hnswmap.index.BatchSearchResult;
import org.hnswmap.index.BruteForceIndex;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.Space;
import org.hnswmap.tools.VectorFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * An index larger than the memory its searcher may use (issue 21). {@code build} writes a clustered
 * index generated row by row ({@link ClusteredRows}), reporting inserts per second as it grows;
 * {@code truth} computes the exact top 10 of its queries by streaming the rows again; {@code
 * search} is the searching process: recall@10, single-query QPS and p50/p99 latency per ef,
 * throughput with concurrent queries, disk bytes read per query ({@code /proc/self/io}) and each
 * file's resident bytes ({@code mincore}); {@code run} starts {@code search} in fresh JVMs, first
 * with all the memory (the index cached), then with a process holding all but a budget of the
 * memory ({@code memory/lockmem.c}, mlock), and always stops that process.
 *
 * <p>The ef is chosen on the first half of the queries (the smallest reaching the target recall)
 * and reported on the second half.
 */
@Command(
        name = "large-index",
        mixinStandardHelpOptions = true,
        subcommands = {
            LargeIndexRun.Build.class,
            LargeIndexRun.Truth.class,
            LargeIndexRun.Search.class,
            LargeIndexRun.Run.class
        },
        description = "an index larger than the memory its searcher may use")
public final class LargeIndexRun {

    static final String DATASET_FILE = "dataset.properties";
    static final String TRUTH_FILE = "truth.ivecs";
    static final int K = 10;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LargeIndexRun()).execute(args));
    }

    /** The data set an index directory was built from, written beside it. */
    record Dataset(long rows, int dimension, int clusters, double spread, long seed, int queries) {

        ClusteredRows generator() {
            return new ClusteredRows(dimension, clusters, spread, seed);
        }

        void write(Path dir) throws IOException {
            Properties p = new Properties();
            p.setProperty("rows", Long.toString(rows));
            p.setProperty("dimension", Integer.toString(dimension));
            p.setProperty("clusters", Integer.toString(clusters));
            p.setProperty("spread", Double.toString(spread));
            p.setProperty("seed", Long.toString(seed));
            p.setProperty("queries", Integer.toString(queries));
            try (var out = Files.newBufferedWriter(dir.resolve(DATASET_FILE))) {
                p.store(out, "LargeIndexRun data set");
            }
        }

        static Dataset read(Path dir) throws IOException {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(dir.resolve(DATASET_FILE))) {
                p.load(in);
            }
            return new Dataset(
                    Long.parseLong(p.getProperty("rows")),
                    Integer.parseInt(p.getProperty("dimension")),
                    Integer.parseInt(p.getProperty("clusters")),
                    Double.parseDouble(p.getProperty("spread")),
                    Long.parseLong(p.getProperty("seed")),
                    Integer.parseInt(p.getProperty("queries")));
        }

        float[][] queryVectors() {
            return generator().queries(0, queries);
        }
    }

    @Command(name = "build", description = "builds the index, reporting inserts/s as it grows")
    static final class Build implements Callable<Integer> {
        @Option(names = "--dir", required = true)
        Path dir;

        @Option(names = "--rows", defaultValue = "2000000")
        long rows;

        @Option(names = "--dim", defaultValue = "768")
        int dimension;

        @Option(names = "--clusters", defaultValue = "1000")
        int clusters;

        @Option(names = "--spread", defaultValue = "0.15")
        double spread;

        @Option(names = "--seed", defaultValue = "7")
        long seed;

        @Option(names = "--queries", defaultValue = "1000")
        int queries;

        @Option(
                names = "--traversal",
                defaultValue = "b1",
                description = "b1, int8, int4 or float32")
        String traversal;

        @Option(names = "--m", defaultValue = "16")
        int m;

        @Option(names = "--ef-construction", defaultValue = "100")
        int efConstruction;

        @Option(names = "--batch", defaultValue = "20000")
        int batch;

        @Option(names = "--threads", defaultValue = "2")
        int threads;

        @Override
        public Integer call() throws IOException {
            Dataset data = new Dataset(rows, dimension, clusters, spread, seed, queries);
            ClusteredRows g = data.generator();
            Files.createDirectories(dir);
            IndexConfig.Builder config =
                    IndexConfig.builder(Space.COSINE, dimension)
                            .maxElements(rows)
                            .m(m)
                            .efConstruction(efConstruction);
            switch (traversal) {
                case "b1" -> config.binaryTraversal(true);
                case "int8" -> config.int8Traversal(true);
                case "int4" -> config.int4Traversal(true);
                case "float32" -> {}
                default ->
                        throw new CommandLine.ParameterException(
                                new CommandLine(this), "--traversal is b1, int8, int4 or float32");
            }
            long start = System.nanoTime();
            try (HnswIndex index = HnswIndex.create(dir.resolve("index"), config.build())) {
                for (long first = 0; first < rows; first += batch) {
                    int n = (int) Math.min(batch, rows - first);
                    float[][] vectors = g.rows(first, n);
                    long[] labels = new long[n];
                    for (int i = 0; i < n; i++) {
                        labels[i] = first + i;
                    }
                    long t0 = System.nanoTime();
                    index.addItems(vectors, labels, threads);
                    long t1 = System.nanoTime();
                    if ((first / batch) % 10 == 9) {
                        index.commit();
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "build %,d rows, %.0f inserts/s in this batch, %.0f s elapsed,"
                                    + " files %.2f GiB%n",
                            first + n,
                            n / ((t1 - t0) / 1e9),
                            (System.nanoTime() - start) / 1e9,
                            index.fileSizeBytes() / (double) (1L << 30));
                }
                index.commit();
                System.out.printf(
                        Locale.ROOT,
                        "built %,d rows in %.0f s (%.0f inserts/s); files %s%n",
                        rows,
                        (System.nanoTime() - start) / 1e9,
                        rows / ((System.nanoTime() - start) / 1e9),
                        index.fileSizes());
            }
            data.write(dir);
            return 0;
        }
    }

    @Command(name = "truth", description = "exact top 10 of every query, streaming the rows")
    static final class Truth implements Callable<Integer> {
        @Option(names = "--dir", required = true)
        Path dir;

        @Option(names = "--chunk", defaultValue = "100000")
        int chunk;

        @Override
        public Integer call() throws IOException {
            Dataset data = Dataset.read(dir);
            ClusteredRows g = data.generator();
            float[][] queries = data.queryVectors();
            long[][] bestLabels = new long[queries.length][0];
            float[][] bestDistances = new float[queries.length][0];
            long start = System.nanoTime();
            for (long first = 0; first < data.rows(); first += chunk) {
                int n = (int) Math.min(chunk, data.rows() - first);
                float[][] rows = g.rows(first, n);
                long[] labels = new long[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = first + i;
                }
                BatchSearchResult r =
                        BruteForceIndex.of(Space.COSINE, rows, labels)
                                .knnQuery(queries, Math.min(K, n), 2);
                for (int q = 0; q < queries.length; q++) {
                    merge(bestLabels, bestDistances, q, r.labels()[q], r.distances()[q]);
                }
                if ((first / chunk) % 5 == 4) {
                    System.out.printf(
                            Locale.ROOT,
                            "truth %,d rows, %.0f s%n",
                            first + n,
                            (System.nanoTime() - start) / 1e9);
                }
            }
            int[][] truth = new int[queries.length][];
            for (int q = 0; q < queries.length; q++) {
                truth[q] = Arrays.stream(bestLabels[q]).mapToInt(l -> (int) l).toArray();
            }
            VectorFiles.writeIvecs(dir.resolve(TRUTH_FILE), truth);
            System.out.printf(Locale.ROOT, "truth in %.0f s%n", (System.nanoTime() - start) / 1e9);
            return 0;
        }

        private static void merge(
                long[][] labels, float[][] distances, int q, long[] newLabels, float[] newDist) {
            int total = labels[q].length + newLabels.length;
            long[] l = new long[total];
            float[] d = new float[total];
            Integer[] order = new Integer[total];
            for (int i = 0; i < total; i++) {
                boolean old = i < labels[q].length;
                l[i] = old ? labels[q][i] : newLabels[i - labels[q].length];
                d[i] = old ? distances[q][i] : newDist[i - labels[q].length];
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(d[a], d[b]));
            int keep = Math.min(K, total);
            labels[q] = new long[keep];
            distances[q] = new float[keep];
            for (int i = 0; i < keep; i++) {
                labels[q][i] = l[order[i]];
                distances[q][i] = d[order[i]];
            }
        }
    }

    @Command(name = "search", description = "the searching process (run by `run`, or by hand)")
    static final class Search implements Callable<Integer> {
        @Mixin QueryProtocol protocol;

        @Option(
                names = "--rerank-pool",
                defaultValue = "0",
                description = "HnswIndex.setRerankPool (0: the codes' own)")
        double rerankPool;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Dataset data = Dataset.read(protocol.dir);
            try (HnswIndex index = HnswIndex.open(protocol.dir.resolve("index"))) {
                System.out.println("files " + index.fileSizes());
                System.out.println("cold rows " + index.coldRows());
                if (rerankPool > 0) {
                    index.setRerankPool(rerankPool);
                }
                System.out.println("rerank pool " + index.getRerankPool());
                System.out.println("resident before " + index.residentFileBytes());
                protocol.run(data, (q, ef) -> index.knnQuery(q, K, ef).labels());
                System.out.println("resident after " + index.residentFileBytes());
                System.out.println("searcher " + QueryProtocol.anonymousMemory());
            }
            return 0;
        }
    }

    @Command(
            name = "run",
            description =
                    "search cached, then with all but --budget-mib of memory held by another"
                            + " process")
    static final class Run implements Callable<Integer> {
        @Mixin PhaseOptions phases;

        @Option(names = "--efs", split = ",", defaultValue = "10,20,40,80,160")
        int[] efs;

        @Option(
                names = "--pools",
                split = ",",
                defaultValue = "1,2",
                description = "re-rank pools tried on the tune half (HnswIndex.setRerankPool)")
        double[] pools;

        @Option(
                names = "--cold",
                defaultValue = "auto",
                description = "the searcher's hnswmap.vectors.cold: auto, true or false")
        String cold;

        @Override
        public Integer call() throws Exception {
            long indexBytes = phases.hnswmapFilesBytes();
            long budget = phases.budget(indexBytes);
            System.out.printf(
                    Locale.ROOT,
                    "index files %.2f GiB; memory budget while searching %d MiB (%d MiB of it for"
                            + " the page cache: %.1fx oversubscribed)%n",
                    indexBytes / (double) (1L << 30),
                    budget,
                    budget - phases.jvmMib,
                    indexBytes / (double) ((budget - phases.jvmMib) << 20));
            phases.cachedThenLimited(phases.dir.resolve("index"), budget, this::searchBoth);
            return 0;
        }

        /**
         * Sweeps each pool over the efs on the tune half; reports the second half at the (pool, ef)
         * with the most QPS among those reaching the target (else the highest recall).
         */
        private void searchBoth() throws Exception {
            SearchChild.Choice choice =
                    new SearchChild.Choice(Double.toString(pools[0]), efs[efs.length - 1]);
            for (double pool : pools) {
                choice.consider(
                        child(
                                "--split",
                                "tune",
                                "--efs",
                                SearchChild.join(efs),
                                "--rerank-pool",
                                Double.toString(pool)),
                        Double.toString(pool),
                        phases.target);
            }
            System.out.println("chosen on the tune half: pool " + choice);
            child(
                    "--split",
                    "report",
                    "--efs",
                    Integer.toString(choice.ef),
                    "--rerank-pool",
                    choice.setting,
                    "--concurrency",
                    Integer.toString(phases.concurrency));
        }

        private List<String> child(String... args) throws Exception {
            return SearchChild.run(
                    LargeIndexRun.class,
                    phases.dir,
                    List.of("-Xmx768m", "-Dhnswmap.vectors.cold=" + cold),
                    args);
        }
    }

    private LargeIndexRun() {}
}
