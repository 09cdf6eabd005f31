package org.hnswmap.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.IndexDirectories;
import org.hnswmap.index.Space;
import org.hnswmap.tools.IndexBuilder;
import org.hnswmap.tools.VectorFiles;

/**
 * Run as a fresh JVM: builds the same rows several times one after the other, as {@code hnswmap
 * build [--reorder]} builds them (float32, M 16, efConstruction 200), and prints for each build
 * when the first 5 % and the first half of the rows were in, the reorder and the total: the first
 * build is the one a user's {@code hnswmap build} process makes, the later ones show the same build
 * once the JIT has compiled the insert path. Args: rows (any format {@link VectorFiles#read}
 * takes), space ({@code l2}, {@code ip} or {@code cosine}), build threads, builds, and optionally
 * {@code reorder}.
 *
 * <p>NOTE: its arguments are read by hand on purpose, like {@link FirstQueriesProbe}'s: picocli's
 * start-up would warm part of what the first build measures. Only the bench's own code starts it.
 */
public final class BuildWarmupProbe {

    private BuildWarmupProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4
                || args.length > 5
                || (args.length == 5 && !"reorder".equals(args[4]))) {
            System.err.println("usage: BuildWarmupProbe ROWS SPACE THREADS BUILDS [reorder]");
            System.exit(2);
        }
        float[][] rows = VectorFiles.read(Path.of(args[0]));
        Space space = Space.parse(args[1]);
        int threads = Integer.parseInt(args[2]);
        int builds = Integer.parseInt(args[3]);
        boolean reorder = args.length == 5;
        IndexConfig config =
                IndexConfig.builder(space, rows[0].length)
                        .maxElements(rows.length)
                        .m(16)
                        .efConstruction(200)
                        .build();
        long fivePercent = Math.max(1, rows.length / 20);
        long half = Math.max(1, rows.length / 2);
        Path work = Files.createTempDirectory("build-warmup");
        Path dir = work.resolve("index");
        try {
            for (int b = 1; b <= builds; b++) {
                long start = System.nanoTime();
                long[] at = new long[2]; // when 5 % and 50 % of the rows were in
                IndexBuilder.BuildStats stats =
                        IndexBuilder.build(
                                dir,
                                config,
                                rows,
                                null,
                                IndexBuilder.Options.threads(threads).withReorder(reorder),
                                inserted -> {
                                    long now = System.nanoTime();
                                    if (at[0] == 0 && inserted >= fivePercent) {
                                        at[0] = now;
                                    }
                                    if (at[1] == 0 && inserted >= half) {
                                        at[1] = now;
                                    }
                                });
                System.out.printf(
                        Locale.ROOT,
                        "build %d: first 5%% of rows %.3f s, to half %.3f s, second half %.3f s,"
                                + " reorder %.3f s, total %.3f s%n",
                        b,
                        (at[0] - start) / 1e9,
                        (at[1] - start) / 1e9,
                        stats.seconds() - stats.reorderSeconds() - (at[1] - start) / 1e9,
                        stats.reorderSeconds(),
                        stats.seconds());
                IndexDirectories.deleteRecursively(dir);
            }
        } finally {
            IndexDirectories.deleteRecursively(work);
        }
    }
}
