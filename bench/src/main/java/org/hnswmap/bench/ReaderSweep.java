package org.hnswmap.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.tools.VectorFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A reader process's view of speed: opens an existing index read-only in this JVM (which builds
 * nothing, so its JIT sees only searches) and, for each ef, runs one warm-up pass over the queries
 * and one timed pass (single thread, k 10), printing QPS and mean latency. {@link AnnRunner} builds
 * and searches in one JVM; this checks its figures against a process that only searches.
 *
 * <p>Usage: {@code ReaderSweep INDEX_DIR QUERY_FILE [--efs 10,20,40,80]} ({@code --help}).
 */
@Command(
        name = "reader-sweep",
        mixinStandardHelpOptions = true,
        description = "ef sweep in a process that only opens and searches an index")
public final class ReaderSweep implements Callable<Integer> {

    private static final int K = 10;

    @Parameters(index = "0", description = "index directory")
    Path index;

    @Parameters(index = "1", description = "query file (.fvecs, .bvecs, .npy, IDX)")
    Path queryFile;

    @Option(
            names = "--efs",
            split = ",",
            defaultValue = "10,20,40,80",
            description = "(${DEFAULT-VALUE})")
    int[] efs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReaderSweep()).execute(args));
    }

    @Override
    public Integer call() {
        float[][] queries = VectorFiles.read(queryFile);
        try (HnswIndex opened = HnswIndex.open(index)) {
            for (int ef : efs) {
                pass(opened, queries, ef);
                long start = System.nanoTime();
                pass(opened, queries, ef);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "ef %d: %.0f QPS, mean %.1f us (%d queries, kernels %s)%n",
                        ef,
                        queries.length / seconds,
                        seconds * 1e6 / queries.length,
                        queries.length,
                        opened.kernelName());
            }
        }
        return 0;
    }

    private static void pass(HnswIndex index, float[][] queries, int ef) {
        for (float[] query : queries) {
            index.knnQuery(query, K, ef);
        }
    }
}
