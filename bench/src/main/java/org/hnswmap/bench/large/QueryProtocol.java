package org.hnswmap.bench.large;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.hnswmap.tools.Recall;
import org.hnswmap.tools.VectorFiles;
import picocli.CommandLine.Option;

/**
 * How a searching process of the large-index benches measures, whichever engine it searches: the
 * tune or report half of the data set's queries at each ef, each ef first warmed by fresh queries
 * of the same mixture (never measured), then single queries timed one at a time with the bytes the
 * process read from disk, then (optionally) fresh queries from many threads, each once. A picocli
 * mixin: its options are the {@code search} subcommands' own.
 */
final class QueryProtocol {
    /** Query stream offsets: warm-up and throughput queries never meet the measured ones. */
    private static final int WARM_UP_OFFSET = 1_000_000;

    private static final int CONCURRENT_OFFSET = 500_000_000;

    /** One engine's k-nearest search; thread-safe. */
    interface Searcher {
        long[] search(float[] query, int ef);
    }

    @Option(names = "--dir", required = true)
    Path dir;

    @Option(names = "--efs", split = ",", defaultValue = "10,20,40,80,160")
    int[] efs;

    @Option(names = "--split", defaultValue = "tune", description = "tune or report")
    String split;

    @Option(names = "--concurrency", defaultValue = "0", description = "0: none")
    int concurrency;

    @Option(
            names = "--warm-up-queries",
            defaultValue = "2000",
            description =
                    "fresh queries (not the measured ones) run at each ef before it is measured:"
                            + " they warm the JIT and the hot files, and roll the page cache over"
                            + " rows the measured queries will not read, so a measured query"
                            + " finds no row cached by an earlier pass")
    int warmUpQueries;

    /** Runs the protocol on {@code searcher}, printing a {@code point} line per ef. */
    void run(LargeIndexRun.Dataset data, Searcher searcher)
            throws IOException, InterruptedException {
        ClusteredRows stream = data.generator();
        float[][] all = data.queryVectors();
        int[][] allTruth = VectorFiles.readIvecs(dir.resolve(LargeIndexRun.TRUTH_FILE));
        int half = all.length / 2;
        boolean tune = split.equals("tune");
        float[][] queries = Arrays.copyOfRange(all, tune ? 0 : half, tune ? half : all.length);
        int[][] truth = Arrays.copyOfRange(allTruth, tune ? 0 : half, tune ? half : all.length);
        for (int ef : efs) {
            for (float[] q : stream.queries(WARM_UP_OFFSET + ef * 100_000, warmUpQueries)) {
                searcher.search(q, ef);
            }
            long read0 = readBytes();
            long[] latencies = new long[queries.length];
            long[][] found = new long[queries.length][];
            long start = System.nanoTime();
            for (int i = 0; i < queries.length; i++) {
                long t0 = System.nanoTime();
                found[i] = searcher.search(queries[i], ef);
                latencies[i] = System.nanoTime() - t0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long read = readBytes() - read0;
            Arrays.sort(latencies);
            System.out.printf(
                    Locale.ROOT,
                    "point ef %d recall %.4f qps %.0f p50_us %.0f p99_us %.0f"
                            + " read_bytes_per_query %.0f%n",
                    ef,
                    recall(found, truth),
                    queries.length / seconds,
                    latencies[latencies.length / 2] / 1e3,
                    latencies[(int) (latencies.length * 0.99)] / 1e3,
                    read / (double) queries.length);
            if (concurrency > 0) {
                concurrent(
                        searcher,
                        stream.queries(CONCURRENT_OFFSET, Math.max(2_000, 100 * concurrency)),
                        ef);
            }
        }
    }

    /** Each query once, from {@code concurrency} threads: throughput with fresh rows to read. */
    private void concurrent(Searcher searcher, float[][] queries, int ef)
            throws InterruptedException {
        int total = queries.length;
        AtomicInteger next = new AtomicInteger();
        long read0 = readBytes();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            threads.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        int i;
                                        while ((i = next.getAndIncrement()) < total) {
                                            searcher.search(queries[i], ef);
                                        }
                                    }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "concurrent ef %d threads %d qps %.0f read_bytes_per_query %.0f%n",
                ef,
                concurrency,
                total / seconds,
                (readBytes() - read0) / (double) total);
    }

    private static double recall(long[][] found, int[][] truth) {
        long[][] expected = new long[truth.length][];
        for (int i = 0; i < truth.length; i++) {
            expected[i] = Arrays.stream(truth[i]).asLongStream().toArray();
        }
        return Recall.atK(found, expected, LargeIndexRun.K);
    }

    /** {@code RssAnon} and {@code VmHWM} of {@code /proc/self/status}: the JVM's own memory. */
    static String anonymousMemory() {
        try {
            return String.join(
                    ", ",
                    Files.readAllLines(Path.of("/proc/self/status")).stream()
                            .filter(l -> l.startsWith("RssAnon:") || l.startsWith("VmHWM:"))
                            .map(l -> l.replaceAll("\\s+", " "))
                            .toList());
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * {@code read_bytes} of {@code /proc/self/io}: bytes this process caused to be read from disk.
     */
    static long readBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("read_bytes:")) {
                    return Long.parseLong(line.substring(11).trim());
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
