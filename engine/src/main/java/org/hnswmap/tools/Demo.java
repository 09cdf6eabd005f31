package org.hnswmap.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.hnswmap.index.BatchSearchResult;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.Space;

/**
 * The hnswlib tutorial on an embedded default: 10,000 random 128-d vectors in [0, 1), M 16,
 * efConstruction 200, queried with ef 50 and k 10; commit, reopen read-only, query again and
 * compare to the bit; self-recall (each vector finds itself), the tutorial's check. Usage: {@code
 * Demo [indexDir] [--elements N] [--threads T]}; without a directory the index goes to a temporary
 * one, deleted at the end.
 */
public final class Demo {

    private Demo() {}

    public static void main(String[] args) throws IOException {
        Path dir = null;
        int elements = 10_000;
        int threads = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--elements" -> elements = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> dir = Path.of(args[i]);
            }
        }
        boolean temporary = dir == null;
        if (temporary) {
            dir = Files.createTempDirectory("hnswmap-demo");
        }
        try {
            run(dir.resolve("index"), elements, threads);
        } finally {
            if (temporary) {
                deleteRecursively(dir);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void run(Path indexDir, int elements, int threads) {
        int dim = 128;
        int k = 10;
        int ef = 50;
        float[][] data = SyntheticData.uniform(elements, dim, 47);
        long[] labels = new long[elements];
        Arrays.setAll(labels, i -> i);
        float[][] queries = Arrays.copyOf(data, Math.min(1_000, elements));

        IndexConfig config =
                IndexConfig.builder(Space.L2, dim)
                        .maxElements(elements)
                        .m(16)
                        .efConstruction(200)
                        .build();
        BatchSearchResult before;
        try (HnswIndex index = HnswIndex.create(indexDir, config)) {
            System.out.printf("index %s, kernels %s%n", indexDir, index.kernelName());
            long t0 = System.nanoTime();
            index.addItems(data, labels, threads);
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "built %,d x %d in %.2f s (%,.0f inserts/s)%n",
                    elements, dim, buildSeconds, elements / buildSeconds);
            index.setEf(ef);
            before = index.knnQuery(queries, k, ef, threads);
            System.out.printf(
                    "self-recall@1 (each vector finds itself): %.3f%n", selfRecall(before));
            index.commit();
        }
        long t1 = System.nanoTime();
        try (HnswIndex reopened = HnswIndex.open(indexDir)) {
            double openMs = (System.nanoTime() - t1) / 1e6;
            BatchSearchResult after = reopened.knnQuery(queries, k, ef, threads);
            boolean same = identical(before, after);
            System.out.printf(
                    "reopened read-only in %.2f ms (%,d elements); results identical to before commit: %s%n",
                    openMs, reopened.size(), same);
            if (!same) {
                throw new IllegalStateException(
                        "results after reopen differ from results before commit");
            }
        }
    }

    private static double selfRecall(BatchSearchResult result) {
        int hits = 0;
        for (int i = 0; i < result.size(); i++) {
            if (result.labels()[i].length > 0 && result.labels()[i][0] == i) {
                hits++;
            }
        }
        return hits / (double) result.size();
    }

    static boolean identical(BatchSearchResult a, BatchSearchResult b) {
        return Arrays.deepEquals(a.labels(), b.labels())
                && Arrays.deepEquals(a.distances(), b.distances());
    }
}
