package org.hnswmap.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.tools.VectorFiles;

/**
 * Run as a fresh JVM: opens an index read-only and answers its first 200 queries one by one,
 * printing the time of the open and of queries 1-5, 20, 100 and 200 (k 10, ef 10), to show where a
 * fresh process spends the time before its answers come at full speed. Args: index directory, query
 * file (any format {@link VectorFiles#read} takes, at least 200 rows).
 */
public final class FirstQueriesProbe {

    private static final int QUERIES = 200;

    private FirstQueriesProbe() {}

    public static void main(String[] args) throws Exception {
        float[][] queries = VectorFiles.read(Path.of(args[1]));
        long start = System.nanoTime();
        try (HnswIndex index = HnswIndex.open(Path.of(args[0]))) {
            long previous = System.nanoTime();
            StringBuilder line =
                    new StringBuilder(
                            String.format(Locale.ROOT, "open %.2f ms;", (previous - start) / 1e6));
            for (int i = 0; i < QUERIES; i++) {
                index.knnQuery(queries[i], 10, 10);
                long now = System.nanoTime();
                if (i < 5 || i == 19 || i == 99 || i == QUERIES - 1) {
                    line.append(
                            String.format(
                                    Locale.ROOT, " q%d %.2f ms", i + 1, (now - previous) / 1e6));
                }
                previous = now;
            }
            System.out.println(line + " (kernels " + index.kernelName() + ")");
        }
    }
}
