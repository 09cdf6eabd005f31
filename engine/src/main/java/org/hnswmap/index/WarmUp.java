package org.hnswmap.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.storage.IndexStore;
import org.hnswmap.storage.StoreConfig;

/**
 * Readies a fresh JVM to answer its first real query at full speed: builds a small synthetic index
 * of the same space, dimension, M and traversal as the index it will serve, in a temporary
 * directory, opens it read-only {@value #OPEN_CYCLES} times (one query each), then searches it for
 * a time budget, long enough for the JIT to compile the open and search paths (class loading, the
 * FFM and Vector API bootstrap and the interpreter are paid here, before the real index is opened).
 *
 * <p>A JVM that opens an index cold spends 190-300 ms from the open to its first answer, in class
 * loading and the interpreter (bench/RESULTS.md); after this warm-up, 2-3.3 ms. A server calls it
 * at start-up, before it takes traffic; a program that answers one query and exits should not (the
 * warm-up costs more than it saves). The real index's data files are never opened: the synthetic
 * index has the same configuration so that the code the JIT compiles, and the types it profiles,
 * are those the real searches use. Single queries and batches without a filter are warmed; a
 * filtered search compiles its own predicate on first use.
 *
 * <p>Thread-safety: may run at any time from any thread; the temporary index is private to the call
 * and deleted before it returns.
 */
public final class WarmUp {

    /** Elements of the synthetic index: enough for a multi-layer graph, quick to build cold. */
    static final int ELEMENTS = 300;

    /** efConstruction of the synthetic index (its graph quality does not matter). */
    static final int EF_CONSTRUCTION = 16;

    /**
     * Budget of {@link #likeIndex(Path)}: enough on a 2-core VM for the 784-d float32 and int8
     * search paths to reach compiled speed (bench/RESULTS.md, 2026-11-29).
     */
    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(1_500);

    /**
     * Open, one query, close, this many times before the rounds: a fresh reader's open and first
     * query run compiled code too (its 1st open takes 1.2-1.8 ms, its 50th 0.2-0.3 ms).
     */
    static final int OPEN_CYCLES = 100;

    /** Queries per timed round. */
    static final int ROUND_QUERIES = 50;

    /** The ef values the rounds cycle through (short and long beams, as tuned indexes use). */
    private static final int[] EFS = {10, 40, 100};

    private static final int K = 10;

    /** Name prefix of the temporary directory, in {@code java.io.tmpdir}. */
    static final String PREFIX = "hnswmap-warmup";

    /**
     * What a warm-up did.
     *
     * @param queries synthetic queries answered in the timed rounds
     * @param elapsed wall time of the whole warm-up, build included
     * @param firstRoundMicros mean microseconds per query of the first round
     * @param lastRoundMicros mean microseconds per query of the last round
     */
    public record Report(
            int queries, Duration elapsed, double firstRoundMicros, double lastRoundMicros) {}

    private WarmUp() {}

    /** {@link #likeIndex(Path, Duration)} with the {@link #DEFAULT_BUDGET}. */
    public static Report likeIndex(Path directory) {
        return likeIndex(directory, DEFAULT_BUDGET);
    }

    /**
     * Warms up for the index in {@code directory}: reads its configuration from the meta file
     * alone, then {@link #run}.
     *
     * @throws org.hnswmap.error.NotAnIndexException when the directory holds no index
     */
    public static Report likeIndex(Path directory, Duration budget) {
        StoreConfig c = IndexStore.readConfig(directory);
        return run(
                HnswIndex.toSpace(c.space()),
                c.dimension(),
                c.m(),
                b ->
                        b.int8Traversal(c.int8Traversal())
                                .binaryTraversal(c.binaryTraversal())
                                .int4Traversal(c.int4Traversal())
                                // the same scorer; a few centroids train in no time
                                .traversalRegions(Math.min(c.regionCount(), 16)),
                budget);
    }

    /**
     * Builds the synthetic index, opens it {@value #OPEN_CYCLES} times, and searches it in rounds
     * of {@value #ROUND_QUERIES} queries until {@code budget} has passed (the build and opens count
     * against it; at least one round runs).
     */
    public static Report run(
            Space space, int dimension, int m, boolean int8Traversal, Duration budget) {
        return run(space, dimension, m, int8Traversal, false, budget);
    }

    /**
     * {@link #run(Space, int, int, boolean, Duration)} for an index with int8 or one-bit traversal
     * (at most one of the two).
     */
    public static Report run(
            Space space,
            int dimension,
            int m,
            boolean int8Traversal,
            boolean binaryTraversal,
            Duration budget) {
        return run(
                space,
                dimension,
                m,
                b -> b.int8Traversal(int8Traversal).binaryTraversal(binaryTraversal),
                budget);
    }

    /** {@link #run(Space, int, int, boolean, Duration)}, the traversal set by {@code traversal}. */
    private static Report run(
            Space space,
            int dimension,
            int m,
            UnaryOperator<IndexConfig.Builder> traversal,
            Duration budget) {
        Objects.requireNonNull(budget, "budget");
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        SplittableRandom random = new SplittableRandom(42);
        Path directory = createTemporaryDirectory();
        try {
            IndexConfig config =
                    traversal
                            .apply(
                                    IndexConfig.builder(space, dimension)
                                            .maxElements(ELEMENTS)
                                            .m(m)
                                            .efConstruction(EF_CONSTRUCTION))
                            .build();
            try (HnswIndex index = HnswIndex.create(directory, config)) {
                index.addItems(gaussianRows(random, ELEMENTS, dimension), labels(ELEMENTS), 1);
                index.commit();
            }
            float[][] queries = gaussianRows(random, ROUND_QUERIES, dimension);
            for (int i = 0; i < OPEN_CYCLES; i++) {
                try (HnswIndex index = HnswIndex.open(directory)) {
                    index.knnQuery(queries[i % ROUND_QUERIES], K, EFS[0]);
                }
            }
            try (HnswIndex index = HnswIndex.open(directory)) {
                return searchRounds(index, queries, start, deadline);
            }
        } finally {
            IndexDirectories.deleteRecursively(directory);
        }
    }

    private static Report searchRounds(
            HnswIndex index, float[][] queries, long start, long deadline) {
        int rounds = 0;
        double first = 0;
        double last;
        do {
            int ef = EFS[rounds % EFS.length];
            long roundStart = System.nanoTime();
            for (float[] query : queries) {
                index.knnQuery(query, K, ef);
            }
            last = (System.nanoTime() - roundStart) / 1e3 / ROUND_QUERIES;
            if (rounds++ == 0) {
                first = last;
            }
        } while (System.nanoTime() < deadline);
        return new Report(
                rounds * ROUND_QUERIES, Duration.ofNanos(System.nanoTime() - start), first, last);
    }

    private static float[][] gaussianRows(SplittableRandom random, int rows, int dimension) {
        float[][] out = new float[rows][dimension];
        for (float[] row : out) {
            for (int i = 0; i < dimension; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return out;
    }

    private static long[] labels(int count) {
        long[] labels = new long[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i;
        }
        return labels;
    }

    private static Path createTemporaryDirectory() {
        try {
            return Files.createTempDirectory(PREFIX);
        } catch (IOException e) {
            throw new IndexIOException("warm-up: cannot create a temporary directory", e);
        }
    }
}
