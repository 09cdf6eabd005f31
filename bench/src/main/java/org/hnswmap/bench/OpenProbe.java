package org.hnswmap.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.WarmUp;

/**
 * Run as a fresh JVM: opens an index read-only and answers one query, printing the milliseconds
 * from before {@code open} to the first answer (and to the end of open). Args: optionally {@code
 * --warm-up-ms=N} ({@link WarmUp#likeIndex} runs for N ms before the timed open), indexDir, then
 * the query's components.
 *
 * <p>NOTE: its arguments are read by hand on purpose, unlike the other bench mains (picocli): it
 * times a fresh JVM up to its first answer, and picocli's start-up (reflection over an annotated
 * class) would fall inside the time it measures. Only the bench's own code starts it.
 */
public final class OpenProbe {

    private OpenProbe() {}

    private static final String WARM_UP = "--warm-up-ms=";

    public static void main(String[] args) {
        int first = 0;
        long warmUpMs = 0;
        if (args[0].startsWith(WARM_UP)) {
            warmUpMs = Long.parseLong(args[0].substring(WARM_UP.length()));
            first = 1;
        }
        Path directory = Path.of(args[first]);
        float[] query = new float[args.length - first - 1];
        for (int i = 0; i < query.length; i++) {
            query[i] = Float.parseFloat(args[first + 1 + i]);
        }
        if (warmUpMs > 0) {
            WarmUp.likeIndex(directory, Duration.ofMillis(warmUpMs));
        }
        long start = System.nanoTime();
        try (HnswIndex index = HnswIndex.open(directory)) {
            long opened = System.nanoTime();
            index.knnQuery(query, 10, 10);
            long answered = System.nanoTime();
            System.out.printf(
                    Locale.ROOT,
                    "open %.2f ms, open to first answer %.2f ms (%,d elements)%n",
                    (opened - start) / 1e6,
                    (answered - start) / 1e6,
                    index.size());
        }
    }

    /** Runs this probe in a child JVM, after a warm-up of {@code warmUpMs} when that is above 0. */
    static String runInChild(Path indexDir, float[] query, long warmUpMs) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command =
                new java.util.ArrayList<>(
                        List.of(
                                java,
                                "--add-modules=jdk.incubator.vector",
                                "-cp",
                                System.getProperty("java.class.path"),
                                OpenProbe.class.getName()));
        if (warmUpMs > 0) {
            command.add(WARM_UP + warmUpMs);
        }
        command.add(indexDir.toString());
        for (float f : query) {
            command.add(Float.toString(f));
        }
        Process p =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }
}
