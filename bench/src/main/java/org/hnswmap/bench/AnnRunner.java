package org.hnswmap.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.hnswmap.bench.peers.AnnSystem;
import org.hnswmap.bench.peers.HnswmapSystem;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.tools.SyntheticData;
import org.hnswmap.tools.VectorFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * ann-benchmarks-style runner, one protocol for every system: M 16, efConstruction 200, k 10; build
 * with each thread count the system supports (after an uncounted 5,000-row build that warms the
 * JIT); exact ground truth; for each ef, a warm-up pass then single-threaded sequential queries
 * timed one by one: recall@10, QPS, mean/p50/p99 latency; index size; for hnswmap also the open
 * time in this process and from a fresh process to its first answer (cold, and after a {@link
 * org.hnswmap.index.WarmUp} before the open). Then QPS ratios hnswmap / peer at the first ef
 * reaching recall 0.95 and 0.99. Writes one CSV per data set.
 *
 * <p>Usage: {@code AnnRunner --help}.
 */
public final class AnnRunner {

    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int K = 10;
    private static final int WARM_UP_ROWS = 5_000;

    /** Warm-up budget of the second fresh-process probe ({@link org.hnswmap.index.WarmUp}). */
    private static final long FRESH_WARM_UP_MS = 1_500;

    private static final double[] TARGET_RECALLS = {0.95, 0.99};
    private static final int SLICES = 10;

    private AnnRunner() {}

    /** One measured ef of one system. */
    record Point(int ef, double recall, double qps, double meanUs, double p50Us, double p99Us) {}

    /** The options, parsed by picocli. */
    @Command(
            name = "ann-runner",
            mixinStandardHelpOptions = true,
            description =
                    "ann-benchmarks-style runner with the peers inside this JVM (a convenience;"
                            + " compare.Compare is the instrument: each system in its own process)")
    static final class Options implements Callable<Integer> {

        @Option(names = "--data", description = "fashion or uniform:N (${DEFAULT-VALUE})")
        String data = "fashion";

        @Option(
                names = "--systems",
                split = ",",
                description =
                        "hnswmap, hnswmap-int8, hnswmap-int4, hnswmap-b1, lucene, jvector,"
                                + " hnswlib-java,"
                                + " hnswlib (${DEFAULT-VALUE})")
        String[] systems = {"hnswmap"};

        @Option(names = "--build-threads", split = ",", description = "${DEFAULT-VALUE}")
        int[] buildThreads = {1, 2};

        @Option(names = "--efs", split = ",", description = "${DEFAULT-VALUE}")
        int[] efs = {10, 20, 40, 80, 120, 200, 400, 800};

        @Option(names = "--queries", description = "at most this many queries")
        int queryLimit = Integer.MAX_VALUE;

        @Option(
                names = "--capacity",
                description = "hnswmap's maxElements, for scale runs (0: the data's size)")
        long capacity = 0;

        @Option(names = "--out", description = "${DEFAULT-VALUE}")
        Path out = Path.of("bench/out");

        @Override
        public Integer call() throws Exception {
            run(this);
            return 0;
        }
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // the plot is drawn off screen
        System.exit(new CommandLine(new Options()).execute(args));
    }

    private static void run(Options options) throws Exception {
        String data = options.data;
        String[] systems = options.systems;
        int[] buildThreads = options.buildThreads;
        int[] efs = options.efs;
        int queryLimit = options.queryLimit;
        long capacity = options.capacity;
        Path out = options.out;
        float[][][] sets = load(data);
        float[][] base = sets[0];
        float[][] queries = Arrays.copyOf(sets[1], Math.min(queryLimit, sets[1].length));
        System.out.printf(
                "data %s: %,d x %d base, %,d queries; kernels %s%n",
                data, base.length, base[0].length, queries.length, KernelProvider.kernels().name());
        long t0 = System.nanoTime();
        int[][] truth = groundTruth(base, queries);
        System.out.printf("ground truth in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        Files.createDirectories(out);
        List<String> rows = new ArrayList<>();
        rows.add("system,ef,recall_at_10,qps,mean_us,p50_us,p99_us,index_bytes");
        Map<String, List<Point>> curves = new LinkedHashMap<>();
        List<AnnSystem> opened = new ArrayList<>();
        try {
            for (String name : systems) {
                AnnSystem system = AnnSystem.named(name);
                opened.add(system);
                if (system instanceof HnswmapSystem hnswmap) {
                    hnswmap.capacity(capacity);
                }
                System.out.println("== " + name);
                buildAll(system, base, buildThreads, out);
                if (system instanceof HnswmapSystem hnswmap) {
                    reportOpen(hnswmap, queries[0]);
                }
                long bytes = system.indexBytes();
                System.out.printf(
                        Locale.ROOT,
                        "index size: %s%n",
                        bytes < 0 ? "in the heap only" : String.format("%,d bytes", bytes));
            }
            Map<String, List<Point>> measured = sweep(opened, queries, truth, efs);
            for (AnnSystem system : opened) {
                if (system instanceof HnswmapSystem hnswmap) {
                    System.out.println(
                            "memory after the sweep (this JVM; the index is mapped read-only): "
                                    + Smaps.summary(hnswmap.directory()));
                }
            }
            for (AnnSystem system : opened) {
                List<Point> curve = measured.get(system.name());
                curves.put(system.name(), curve);
                for (Point p : curve) {
                    rows.add(
                            String.format(
                                    Locale.ROOT,
                                    "%s,%d,%.4f,%.0f,%.1f,%.1f,%.1f,%d",
                                    system.name(),
                                    p.ef(),
                                    p.recall(),
                                    p.qps(),
                                    p.meanUs(),
                                    p.p50Us(),
                                    p.p99Us(),
                                    system.indexBytes()));
                }
            }
        } finally {
            for (AnnSystem system : opened) {
                system.close();
            }
        }
        Path csv = out.resolve("results-" + data.replace(':', '-') + ".csv");
        Files.write(csv, rows, StandardCharsets.UTF_8);
        System.out.println("wrote " + csv);
        Path png = out.resolve("results-" + data.replace(':', '-') + ".png");
        AnnPlot.write(curves, data, queries.length, png);
        System.out.println("wrote " + png);
        reportRatios(curves);
    }

    private static void buildAll(AnnSystem system, float[][] base, int[] threads, Path out)
            throws Exception {
        float[][] warmRows = Arrays.copyOf(base, Math.min(WARM_UP_ROWS, base.length));
        double warm =
                system.build(warmRows, 2, Files.createTempDirectory(out, "warmup-").resolve("i"));
        System.out.printf(
                Locale.ROOT,
                "JIT warm-up build of %,d rows: %.2f s (not counted)%n",
                warmRows.length,
                warm);
        for (int t : system.buildThreads(threads)) {
            Path dir = Files.createTempDirectory(out, "index-").resolve("i");
            double seconds = system.build(base, t, dir);
            System.out.printf(
                    Locale.ROOT,
                    "build with %d thread(s): %.2f s (%,.0f inserts/s)%n",
                    t,
                    seconds,
                    base.length / seconds);
        }
    }

    private static void reportOpen(HnswmapSystem system, float[] query) throws Exception {
        System.out.printf(Locale.ROOT, "opened read-only in %.2f ms%n", system.open());
        System.out.printf(
                "fresh process, open to first answer: %s%n",
                OpenProbe.runInChild(system.directory(), query, 0));
        System.out.printf(
                "fresh process after a %d ms WarmUp, open to first answer: %s%n",
                FRESH_WARM_UP_MS,
                OpenProbe.runInChild(system.directory(), query, FRESH_WARM_UP_MS));
    }

    /**
     * hnswmap's QPS over each peer's at equal recall: each curve is read at the target recall by
     * interpolating log(QPS) linearly in recall between the two measured efs around it (a curve
     * whose first ef already exceeds the target is read at that ef: its QPS is a lower bound).
     */
    private static void reportRatios(Map<String, List<Point>> curves) {
        for (Map.Entry<String, List<Point>> own : curves.entrySet()) {
            if (own.getKey().startsWith("hnswmap")) {
                reportRatios(own.getKey(), own.getValue(), curves);
            }
        }
    }

    private static void reportRatios(
            String ownName, List<Point> own, Map<String, List<Point>> curves) {
        for (double target : TARGET_RECALLS) {
            double mine = qpsAtRecall(own, target);
            for (Map.Entry<String, List<Point>> peer : curves.entrySet()) {
                if (peer.getKey().equals(ownName)
                        || (peer.getKey().startsWith("hnswmap") && ownName.equals("hnswmap"))) {
                    continue;
                }
                double theirs = qpsAtRecall(peer.getValue(), target);
                if (Double.isNaN(mine) || Double.isNaN(theirs)) {
                    System.out.printf(
                            Locale.ROOT,
                            "recall %.2f: not reached by %s%n",
                            target,
                            Double.isNaN(mine) ? ownName : peer.getKey());
                    continue;
                }
                System.out.printf(
                        Locale.ROOT,
                        "recall %.2f: %s %,.0f QPS, %s %,.0f QPS: ratio %.2fx%n",
                        target,
                        ownName,
                        mine,
                        peer.getKey(),
                        theirs,
                        mine / theirs);
            }
        }
    }

    /** QPS at {@code target} recall, interpolated; NaN when no measured ef reaches it. */
    static double qpsAtRecall(List<Point> curve, double target) {
        return RecallCurves.qpsAtRecall(
                curve.stream().mapToDouble(Point::recall).toArray(),
                curve.stream().mapToDouble(Point::qps).toArray(),
                target);
    }

    static float[][][] load(String data) throws IOException {
        if (data.equals("fashion")) {
            if (!Files.isDirectory(FASHION)) {
                throw new IllegalArgumentException(
                        "Fashion-MNIST not found at "
                                + FASHION
                                + ": install Debian's package (apt-get install"
                                + " dataset-fashion-mnist)");
            }
            return new float[][][] {
                VectorFiles.readIdxImages(FASHION.resolve("train-images-idx3-ubyte.gz")),
                VectorFiles.readIdxImages(FASHION.resolve("t10k-images-idx3-ubyte.gz"))
            };
        }
        if (data.startsWith("uniform:")) {
            int n = Integer.parseInt(data.substring("uniform:".length()));
            return new float[][][] {
                SyntheticData.uniform(n, 128, 1), SyntheticData.uniform(1_000, 128, 2)
            };
        }
        throw new IllegalArgumentException("--data must be fashion or uniform:N, not " + data);
    }

    /**
     * For each ef: an untimed warm-up pass of every system, then {@link #SLICES} rounds; round
     * {@code r} times query slice {@code r} on every system, starting with a different system each
     * round. Every system thus meets the same machine conditions (this machine's speed drifts by
     * tens of percent within minutes) and answers each query once timed.
     */
    static Map<String, List<Point>> sweep(
            List<AnnSystem> systems, float[][] queries, int[][] truth, int[] efs) throws Exception {
        Map<String, List<Point>> curves = new LinkedHashMap<>();
        int n = systems.size();
        for (AnnSystem system : systems) {
            curves.put(system.name(), new ArrayList<>());
        }
        for (int ef : efs) {
            long[][] nanos = new long[n][queries.length];
            long[][][] found = new long[n][queries.length][];
            for (AnnSystem system : systems) {
                runQueries(
                        system,
                        queries,
                        0,
                        queries.length,
                        ef,
                        new long[queries.length],
                        new long[queries.length][]);
            }
            for (int round = 0; round < SLICES; round++) {
                int from = (int) ((long) queries.length * round / SLICES);
                int to = (int) ((long) queries.length * (round + 1) / SLICES);
                for (int j = 0; j < n; j++) {
                    int s = (round + j) % n;
                    runQueries(systems.get(s), queries, from, to, ef, nanos[s], found[s]);
                }
            }
            System.out.printf("ef %d%n", ef);
            System.out.println(
                    "  system          recall@10        QPS   mean us    p50 us    p99 us");
            for (int s = 0; s < n; s++) {
                Point p = point(ef, recall(truth, found[s]), nanos[s]);
                curves.get(systems.get(s).name()).add(p);
                System.out.printf(
                        Locale.ROOT,
                        "  %-14s  %9.4f  %9.0f  %8.1f  %8.1f  %8.1f%n",
                        systems.get(s).name(),
                        p.recall(),
                        p.qps(),
                        p.meanUs(),
                        p.p50Us(),
                        p.p99Us());
            }
        }
        return curves;
    }

    private static Point point(int ef, double recall, long[] nanos) {
        long total = Arrays.stream(nanos).sum();
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Point(
                ef,
                recall,
                nanos.length / (total / 1e9),
                total / 1e3 / nanos.length,
                sorted[sorted.length / 2] / 1e3,
                sorted[(int) (sorted.length * 0.99)] / 1e3);
    }

    private static void runQueries(
            AnnSystem system,
            float[][] queries,
            int from,
            int to,
            int ef,
            long[] nanos,
            long[][] found)
            throws Exception {
        for (int q = from; q < to; q++) {
            long start = System.nanoTime();
            found[q] = system.search(queries[q], K, ef);
            nanos[q] = System.nanoTime() - start;
        }
    }

    static int[][] groundTruth(float[][] base, float[][] queries) {
        DistanceKernels kernels = KernelProvider.kernels();
        return IntStream.range(0, queries.length)
                .parallel()
                .mapToObj(q -> nearest(kernels, base, queries[q]))
                .toArray(int[][]::new);
    }

    /** Exact top-K by a bounded max-heap of (distance, index) packed in longs. */
    private static int[] nearest(DistanceKernels kernels, float[][] base, float[] query) {
        java.util.PriorityQueue<long[]> heap =
                new java.util.PriorityQueue<>((a, b) -> Long.compare(b[0], a[0]));
        for (int i = 0; i < base.length; i++) {
            float d = kernels.squaredL2(query, base[i]);
            long key = ((long) Float.floatToIntBits(d) << 32) | i; // d >= 0: bits sort as floats
            if (heap.size() < K) {
                heap.add(new long[] {key});
            } else if (key < heap.peek()[0]) {
                heap.poll();
                heap.add(new long[] {key});
            }
        }
        int[] out = new int[heap.size()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = (int) heap.poll()[0];
        }
        return out;
    }

    static double recall(int[][] truth, long[][] found) {
        long hits = 0;
        for (int q = 0; q < truth.length; q++) {
            for (int t : truth[q]) {
                for (long f : found[q]) {
                    if (f == t) {
                        hits++;
                        break;
                    }
                }
            }
        }
        return hits / (double) (truth.length * (long) K);
    }
}
