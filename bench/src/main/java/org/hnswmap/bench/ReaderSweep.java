package org.hnswmap.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.tools.VectorFiles;

/**
 * A reader process's view of speed: opens an existing index read-only in this JVM (which builds
 * nothing, so its JIT sees only searches) and, for each ef, runs one warm-up pass over the queries
 * and one timed pass (single thread, k 10), printing QPS and mean latency. {@link AnnRunner} builds
 * and searches in one JVM; this checks its figures against a process that only searches.
 *
 * <p>Args: index directory, query file (any format {@link VectorFiles#read} takes), efs
 * (comma-separated, default 10,20,40,80).
 */
public final class ReaderSweep {

    private static final int K = 10;

    private ReaderSweep() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ReaderSweep INDEX_DIR QUERY_FILE [EF,EF,...]");
            System.exit(2);
        }
        float[][] queries = VectorFiles.read(Path.of(args[1]));
        String efs = args.length > 2 ? args[2] : "10,20,40,80";
        try (HnswIndex index = HnswIndex.open(Path.of(args[0]))) {
            for (String value : efs.split(",")) {
                int ef = Integer.parseInt(value.trim());
                pass(index, queries, ef);
                long start = System.nanoTime();
                pass(index, queries, ef);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "ef %d: %.0f QPS, mean %.1f us (%d queries, kernels %s)%n",
                        ef,
                        queries.length / seconds,
                        seconds * 1e6 / queries.length,
                        queries.length,
                        index.kernelName());
            }
        }
    }

    private static void pass(HnswIndex index, float[][] queries, int ef) {
        for (float[] query : queries) {
            index.knnQuery(query, K, ef);
        }
    }
}
