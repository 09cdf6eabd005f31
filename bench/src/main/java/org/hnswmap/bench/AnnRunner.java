package org.hnswmap.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.SearchResult;
import org.hnswmap.index.Space;
import org.hnswmap.tools.SyntheticData;
import org.hnswmap.tools.VectorFiles;

/**
 * ann-benchmarks-style runner, one protocol: M 16, efConstruction 200, k 10; build with each thread
 * count; exact ground truth; for each ef, a warm-up pass then single-threaded sequential queries
 * timed one by one: recall@10, QPS, mean/p50/p99 latency; file size; open time in this process and
 * from a fresh process to its first answer. Writes a CSV.
 *
 * <p>Usage: {@code AnnRunner --data fashion|uniform:N [--build-threads 1,2] [--efs 10,20,...]
 * [--queries Q] [--out DIR]}
 */
public final class AnnRunner {

    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int K = 10;

    private AnnRunner() {}

    public static void main(String[] args) throws Exception {
        String data = "fashion";
        int[] buildThreads = {1, 2};
        int[] efs = {10, 20, 40, 80, 120, 200, 400, 800};
        int queryLimit = Integer.MAX_VALUE;
        Path out = Path.of("bench/out");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = args[++i];
                case "--build-threads" -> buildThreads = ints(args[++i]);
                case "--efs" -> efs = ints(args[++i]);
                case "--queries" -> queryLimit = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
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
        Path warmDir = Files.createTempDirectory(out, "warmup-");
        double warm =
                build(warmDir.resolve("idx"), Arrays.copyOf(base, Math.min(5_000, base.length)), 2);
        System.out.printf(
                Locale.ROOT,
                "JIT warm-up build of %,d elements: %.2f s (not counted)%n",
                Math.min(5_000, base.length),
                warm);
        Path indexDir = null;
        for (int threads : buildThreads) {
            indexDir = Files.createTempDirectory(out, "index-");
            double seconds = build(indexDir.resolve("idx"), base, threads);
            System.out.printf(
                    Locale.ROOT,
                    "build with %d thread(s): %.2f s (%,.0f inserts/s)%n",
                    threads,
                    seconds,
                    base.length / seconds);
        }
        Path idx = indexDir.resolve("idx");
        List<String> rows = sweep(idx, queries, truth, efs);
        Path csv = out.resolve("results-" + data.replace(':', '-') + ".csv");
        Files.write(csv, rows, StandardCharsets.UTF_8);
        System.out.println("wrote " + csv);
        System.out.printf(
                "fresh process, open to first answer: %s%n", OpenProbe.runInChild(idx, queries[0]));
    }

    static float[][][] load(String data) throws IOException {
        if (data.equals("fashion")) {
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

    static double build(Path dir, float[][] base, int threads) {
        long[] labels = new long[base.length];
        Arrays.setAll(labels, i -> i);
        IndexConfig config =
                IndexConfig.builder(Space.L2, base[0].length)
                        .maxElements(base.length)
                        .m(16)
                        .efConstruction(200)
                        .build();
        long start = System.nanoTime();
        try (HnswIndex index = HnswIndex.create(dir, config)) {
            index.addItems(base, labels, threads);
            index.commit();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static List<String> sweep(Path idx, float[][] queries, int[][] truth, int[] efs) {
        List<String> rows = new ArrayList<>();
        rows.add("ef,recall_at_10,qps,mean_us,p50_us,p99_us,file_bytes,open_ms");
        long openStart = System.nanoTime();
        try (HnswIndex index = HnswIndex.open(idx)) {
            double openMs = (System.nanoTime() - openStart) / 1e6;
            System.out.printf(
                    Locale.ROOT,
                    "opened %,d elements (%.1f MB of files) in %.2f ms%n",
                    index.size(),
                    index.fileSizeBytes() / 1e6,
                    openMs);
            System.out.println("    ef  recall@10        QPS   mean us    p50 us    p99 us");
            for (int ef : efs) {
                runQueries(index, queries, ef, new long[queries.length]); // warm-up pass
                long[] nanos = new long[queries.length];
                long[][] found = runQueries(index, queries, ef, nanos);
                double recall = recall(truth, found);
                long total = Arrays.stream(nanos).sum();
                long[] sorted = nanos.clone();
                Arrays.sort(sorted);
                double qps = queries.length / (total / 1e9);
                double mean = total / 1e3 / queries.length;
                double p50 = sorted[sorted.length / 2] / 1e3;
                double p99 = sorted[(int) (sorted.length * 0.99)] / 1e3;
                System.out.printf(
                        Locale.ROOT,
                        "%6d  %9.4f  %9.0f  %8.1f  %8.1f  %8.1f%n",
                        ef,
                        recall,
                        qps,
                        mean,
                        p50,
                        p99);
                rows.add(
                        String.format(
                                Locale.ROOT,
                                "%d,%.4f,%.0f,%.1f,%.1f,%.1f,%d,%.2f",
                                ef,
                                recall,
                                qps,
                                mean,
                                p50,
                                p99,
                                index.fileSizeBytes(),
                                openMs));
            }
        }
        return rows;
    }

    private static long[][] runQueries(HnswIndex index, float[][] queries, int ef, long[] nanos) {
        long[][] found = new long[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            long start = System.nanoTime();
            SearchResult r = index.knnQuery(queries[q], K, Math.max(ef, K));
            nanos[q] = System.nanoTime() - start;
            found[q] = r.labels();
        }
        return found;
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

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
