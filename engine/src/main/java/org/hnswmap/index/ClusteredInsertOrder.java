package org.hnswmap.index;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;

/**
 * The order in which a large batch is inserted when clustered inserts are on ({@link
 * HnswIndex#setClusteredInserts}): first a random tenth of the rows, then the rest grouped by the
 * nearest of about {@code sqrt(n)} rows drawn as centres. The random tenth lays down the graph's
 * long links across the whole data; after it, consecutive inserts search the same region of the
 * graph, whose rows and lists stay in the CPU caches, and get neighbouring node ids (ids follow
 * insertion order), which later searches read together. Inserting the rows grouped from the first
 * one leaves regions badly linked to each other (recall capped below 0.995 on the bench's clustered
 * set); bench/RESULTS.md has the measurements.
 *
 * <p>Code that feeds one data set to {@code addItems} in chunks (to report progress) applies the
 * order to the whole set first with {@link #of(float[][], long, int)}, since each chunk alone is
 * too small to group. Deterministic for a seed. Stateless.
 */
public final class ClusteredInsertOrder {

    /** Batches smaller than this are inserted as given: too little to gain. */
    public static final int MIN_ROWS = 4_096;

    /** The share of the batch inserted first, in random order. */
    static final double RANDOM_HEAD = 0.1;

    /** At most this many centres: the assignment costs rows x centres distances. */
    static final int MAX_CENTRES = 1_024;

    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    private ClusteredInsertOrder() {}

    /**
     * The insertion order of {@code rows}: element {@code i} is the row to insert {@code i}-th; the
     * identity below {@link #MIN_ROWS} rows. The grouping runs on {@code threads} threads (-1:
     * every core).
     */
    public static int[] of(float[][] rows, long seed, int threads) {
        int[] order =
                of(
                        rows,
                        seed,
                        ParallelFor.threads(
                                ParallelFor.resolveThreads(threads, ParallelFor.everyCore())));
        if (order == null) {
            order = new int[rows.length];
            Arrays.setAll(order, i -> i);
        }
        return order;
    }

    /**
     * The insertion order of {@code rows} (stored form): element {@code i} is the row inserted
     * {@code i}-th, or null when the batch is inserted as given (fewer than {@link #MIN_ROWS}).
     */
    static int[] of(float[][] rows, long seed, ParallelFor.Workers workers) {
        int n = rows.length;
        if (n < MIN_ROWS) {
            return null;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int head = (int) Math.ceil(n * RANDOM_HEAD);
        int centres = (int) Math.min(MAX_CENTRES, Math.round(Math.sqrt(n)));
        // The first rows of the shuffle are a uniform sample: they serve as the centres.
        int[] centreRows = Arrays.copyOf(order, centres);
        // Only the rows after the head are grouped: each keyed by its nearest centre, then row.
        long[] keyed = new long[n - head];
        workers.run(
                keyed.length,
                i -> {
                    int row = order[head + i];
                    keyed[i] = (long) nearestCentre(rows, rows[row], centreRows) << 32 | row;
                });
        Arrays.sort(keyed);
        for (int i = head; i < n; i++) {
            order[i] = (int) keyed[i - head];
        }
        return order;
    }

    private static int nearestCentre(float[][] rows, float[] row, int[] centreRows) {
        int best = 0;
        float bestDistance = Float.POSITIVE_INFINITY;
        for (int c = 0; c < centreRows.length; c++) {
            float d = KERNELS.squaredL2(row, rows[centreRows[c]]);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }
}
