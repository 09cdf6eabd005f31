package org.hnswmap.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.WarmUp;
import org.hnswmap.tools.VectorFiles;

/**
 * Run as a fresh JVM: opens an index read-only and answers its first 200 queries one by one,
 * printing the time of the open and of queries 1-5, 20, 100 and 200 (k 10, ef 10), to show where a
 * fresh process spends the time before its answers come at full speed. Args: index directory, query
 * file (any format {@link VectorFiles#read} takes, at least 200 rows), and optionally a warm-up
 * budget in milliseconds: {@link WarmUp#likeIndex} runs first, before the timed open.
 *
 * <p>NOTE: its arguments are read by hand on purpose, unlike the other bench mains (picocli): it
 * times a fresh JVM up to its first answer, and picocli's start-up (reflection over an annotated
 * class) would fall inside the time it measures. Only the bench's own code starts it.
 */
public final class FirstQueriesProbe {

    private static final int QUERIES = 200;

    private FirstQueriesProbe() {}

    public static void main(String[] args) throws Exception {
        float[][] queries = VectorFiles.read(Path.of(args[1]));
        String warmUp = "";
        if (args.length > 2) {
            WarmUp.Report r =
                    WarmUp.likeIndex(Path.of(args[0]), Duration.ofMillis(Long.parseLong(args[2])));
            warmUp =
                    String.format(
                            Locale.ROOT,
                            "warm-up %d ms, %d queries (%.0f us/query first round, %.0f last); ",
                            r.elapsed().toMillis(),
                            r.queries(),
                            r.firstRoundMicros(),
                            r.lastRoundMicros());
        }
        long start = System.nanoTime();
        long firstAnswer = 0;
        try (HnswIndex index = HnswIndex.open(Path.of(args[0]))) {
            long previous = System.nanoTime();
            StringBuilder line =
                    new StringBuilder(
                            String.format(Locale.ROOT, "open %.2f ms;", (previous - start) / 1e6));
            for (int i = 0; i < QUERIES; i++) {
                index.knnQuery(queries[i], 10, 10);
                long now = System.nanoTime();
                if (i == 0) {
                    firstAnswer = now;
                }
                if (i < 5 || i == 19 || i == 99 || i == QUERIES - 1) {
                    line.append(
                            String.format(
                                    Locale.ROOT, " q%d %.2f ms", i + 1, (now - previous) / 1e6));
                }
                previous = now;
            }
            long uptimeAtFirstAnswerMs =
                    ManagementFactory.getRuntimeMXBean().getUptime()
                            - (System.nanoTime() - firstAnswer) / 1_000_000;
            System.out.println(
                    warmUp
                            + line
                            + String.format(
                                    Locale.ROOT,
                                    "; open to first answer %.2f ms; JVM start to first answer %d"
                                            + " ms (kernels %s)",
                                    (firstAnswer - start) / 1e6,
                                    uptimeAtFirstAnswerMs,
                                    index.kernelName()));
        }
    }
}
