package org.hnswmap.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.hnswmap.index.HnswIndex;

/**
 * Run as a fresh JVM: opens an index read-only and answers one query, printing the milliseconds
 * from before {@code open} to the first answer (and to the end of open). Args: indexDir, then the
 * query's components.
 */
public final class OpenProbe {

    private OpenProbe() {}

    public static void main(String[] args) {
        float[] query = new float[args.length - 1];
        for (int i = 1; i < args.length; i++) {
            query[i - 1] = Float.parseFloat(args[i]);
        }
        long start = System.nanoTime();
        try (HnswIndex index = HnswIndex.open(Path.of(args[0]))) {
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

    static String runInChild(Path indexDir, float[] query) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command =
                new java.util.ArrayList<>(
                        List.of(
                                java,
                                "--add-modules=jdk.incubator.vector",
                                "-cp",
                                System.getProperty("java.class.path"),
                                OpenProbe.class.getName(),
                                indexDir.toString()));
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
