package org.hnswmap.bench.compare;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hnswmap.bench.peers.AnnSystem;
import org.hnswmap.bench.peers.HnswmapSystem;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.IndexDirectories;
import org.hnswmap.index.LocalityReorder;
import org.hnswmap.index.Space;
import org.hnswmap.tools.IndexBuilder;
import org.hnswmap.tools.TraversalKind;
import org.hnswmap.tools.VectorFiles;

/**
 * One system in a process of its own, driven by {@link Compare} through the same two commands as
 * the C++ {@code hnswlib_worker}, so that every system is measured the way its users run it:
 *
 * <pre>
 * CompareWorker build SYSTEM BASE.fvecs SPACE M EF_CONSTRUCTION THREADS DIR
 *     builds (label = row number) into DIR; prints "build_seconds S" (inserts and, for hnswmap, the
 *     commit; a fresh JVM, so the JIT's warm-up is paid as a user pays it) and "bytes N"
 * CompareWorker serve SYSTEM DIR BASE.fvecs SPACE QUERIES.fvecs GT.ivecs K FIRST COUNT
 *     hnswmap systems open DIR read-only, as a reader process does; the Java peers, whose indexes
 *     live in their own heap, build from BASE first. Prints "ready N", then answers "sweep
 *     EF[,EF...]" lines with "point EF RECALL QPS P50_US P99_US" per ef and "done"; "quit" ends.
 * </pre>
 *
 * Per ef: one warm-up pass over the queries, then the same queries timed one by one on one thread
 * (QPS = queries / summed latency), exactly as the C++ worker does. SYSTEM is hnswmap,
 * hnswmap-int8, hnswmap-int4, hnswmap-b1, lucene, jvector or hnswlib-java. A hnswmap system is
 * built as {@code hnswmap build} builds ({@link IndexBuilder}); followed by {@code +reorder} it is
 * built, then copied in locality order ({@link LocalityReorder}) into DIR, and its build time
 * includes the copy; followed by {@code +clustered} it inserts with {@link
 * HnswIndex#setClusteredInserts}; followed by {@code +regionsN} (int8 or 4-bit) its rows encode
 * residuals to N centroids ({@link IndexConfig.Builder#traversalRegions}); followed by {@code
 * +poolX} it is searched with {@link HnswIndex#setRerankPool} X, and built (and stored, under
 * Compare) as the same system without it; suffixes combine. The Java peers search L2: the one
 * cosine shape is stored normalized, where L2 ranks as cosine does.
 */
public final class CompareWorker {

    /** Suffix of a hnswmap system whose build ends with a locality reorder. */
    static final String REORDER = "+reorder";

    /** Suffix of a hnswmap system built with clustered inserts. */
    static final String CLUSTERED = "+clustered";

    /** Suffix of a hnswmap system with traversal regions: {@code +regions} and their count. */
    private static final Pattern REGIONS = Pattern.compile("\\+regions(\\d+)");

    /** Suffix of a hnswmap system searched with a re-rank pool: {@code +pool} and its ratio. */
    private static final Pattern POOL = Pattern.compile("\\+pool([0-9]*\\.?[0-9]+)");

    /** {@code system} without its {@code +poolX} suffix: the pool is a search setting. */
    static String withoutPool(String system) {
        return POOL.matcher(system).replaceAll("");
    }

    private CompareWorker() {}

    /** Answers one query: labels (row numbers) of the k nearest, searched with beam width ef. */
    private interface Searcher extends AutoCloseable {
        long[] search(float[] query, int k, int ef) throws Exception;

        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (args.length == 8 && args[0].equals("build")) {
            build(args, out);
        } else if (args.length == 10 && args[0].equals("serve")) {
            serve(args, out);
        } else {
            System.err.println(
                    "usage: CompareWorker build SYSTEM BASE SPACE M EFC THREADS DIR"
                            + " | serve SYSTEM DIR BASE SPACE QUERIES GT K FIRST COUNT");
            System.exit(2);
        }
        out.flush();
    }

    private static void build(String[] a, PrintStream out) throws Exception {
        String system = withoutPool(a[1]);
        float[][] base = VectorFiles.readFvecs(Path.of(a[2]));
        Space space = Space.parse(a[3]);
        int m = Integer.parseInt(a[4]);
        int efc = Integer.parseInt(a[5]);
        int threads = Integer.parseInt(a[6]);
        Path dir = Path.of(a[7]);
        double seconds;
        long bytes;
        if (system.startsWith("hnswmap")) {
            boolean reorder = system.contains(REORDER);
            boolean clustered = system.contains(CLUSTERED);
            Matcher regionSuffix = REGIONS.matcher(system);
            int regions = regionSuffix.find() ? Integer.parseInt(regionSuffix.group(1)) : 0;
            String traversal =
                    REGIONS.matcher(system.replace(REORDER, "").replace(CLUSTERED, ""))
                            .replaceAll("");
            IndexDirectories.deleteRecursively(dir);
            IndexDirectories.deleteRecursively(IndexBuilder.unorderedSibling(dir));
            // built as `hnswmap build [--clustered-inserts] [--reorder]` builds
            seconds =
                    IndexBuilder.build(
                                    dir,
                                    hnswmapConfig(traversal, space, base, m, efc, regions),
                                    base,
                                    null,
                                    IndexBuilder.Options.threads(threads)
                                            .withClusteredInserts(clustered)
                                            .withReorder(reorder),
                                    null)
                            .seconds();
            bytes = directoryBytes(dir);
        } else {
            try (AnnSystem peer = AnnSystem.named(system)) {
                int[] usable = peer.buildThreads(new int[] {threads});
                seconds = peer.build(base, usable[0], dir);
                bytes = peer.indexBytes();
            }
        }
        out.printf(Locale.ROOT, "build_seconds %.4f%nbytes %d%n", seconds, bytes);
    }

    private static IndexConfig hnswmapConfig(
            String system, Space space, float[][] base, int m, int efc, int regions) {
        TraversalKind traversal = HnswmapSystem.traversalNamed(system);
        if (traversal == null) {
            throw new IllegalArgumentException("unknown system " + system);
        }
        return traversal
                .configure(IndexConfig.builder(space, base[0].length))
                .maxElements(base.length)
                .m(m)
                .efConstruction(efc)
                .traversalRegions(regions)
                .build();
    }

    private static void serve(String[] a, PrintStream out) throws Exception {
        String system = a[1];
        Path dir = Path.of(a[2]);
        float[][] queries = VectorFiles.readFvecs(Path.of(a[5]));
        int[][] truth = VectorFiles.readIvecs(Path.of(a[6]));
        int k = Integer.parseInt(a[7]);
        int first = Integer.parseInt(a[8]);
        int count = Integer.parseInt(a[9]);
        if (truth.length != queries.length || first + count > queries.length) {
            throw new IllegalArgumentException(
                    "query range or ground truth does not fit the queries");
        }
        try (Searcher searcher = open(system, dir, Path.of(a[3]))) {
            out.println("ready " + count);
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.trim().split(" ");
                if (words[0].equals("quit")) {
                    break;
                }
                if (!words[0].equals("sweep") || words.length != 2) {
                    throw new IllegalArgumentException("unknown command: " + line);
                }
                for (String ef : words[1].split(",")) {
                    sweepPoint(
                            searcher, queries, truth, k, first, count, Integer.parseInt(ef), out);
                }
                out.println("done");
                out.flush();
            }
        }
    }

    private static Searcher open(String system, Path dir, Path basePath) throws Exception {
        if (system.startsWith("hnswmap")) {
            HnswIndex index = HnswIndex.open(dir);
            Matcher pool = POOL.matcher(system);
            if (pool.find()) {
                index.setRerankPool(Double.parseDouble(pool.group(1)));
            }
            return new Searcher() {
                @Override
                public long[] search(float[] query, int k, int ef) {
                    return index.knnQuery(query, k, Math.max(ef, k)).labels();
                }

                @Override
                public void close() {
                    index.close();
                }
            };
        }
        AnnSystem peer = AnnSystem.named(system);
        float[][] base = VectorFiles.readFvecs(basePath);
        peer.build(base, peer.buildThreads(new int[] {2})[0], dir);
        return new Searcher() {
            @Override
            public long[] search(float[] query, int k, int ef) throws Exception {
                return peer.search(query, k, ef);
            }

            @Override
            public void close() throws Exception {
                peer.close();
            }
        };
    }

    private static void sweepPoint(
            Searcher searcher,
            float[][] queries,
            int[][] truth,
            int k,
            int first,
            int count,
            int ef,
            PrintStream out)
            throws Exception {
        for (int i = first; i < first + count; i++) {
            searcher.search(queries[i], k, ef);
        }
        long[] latencies = new long[count];
        long total = 0;
        long hits = 0;
        for (int i = first; i < first + count; i++) {
            long start = System.nanoTime();
            long[] found = searcher.search(queries[i], k, ef);
            long took = System.nanoTime() - start;
            latencies[i - first] = took;
            total += took;
            for (long label : found) {
                for (int j = 0; j < k; j++) {
                    if (truth[i][j] == label) {
                        hits++;
                        break;
                    }
                }
            }
        }
        Arrays.sort(latencies);
        out.printf(
                Locale.ROOT,
                "point %d %.6f %.2f %.2f %.2f%n",
                ef,
                hits / (double) (count * (long) k),
                count / (total / 1e9),
                latencies[count / 2] / 1e3,
                latencies[Math.min(count - 1, count * 99 / 100)] / 1e3);
    }

    static long directoryBytes(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            p -> {
                                try {
                                    return Files.size(p);
                                } catch (java.io.IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            })
                    .sum();
        }
    }
}
