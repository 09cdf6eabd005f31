package org.hnswmap.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.hnswmap.index.BatchSearchResult;
import org.hnswmap.index.HnswIndex;

/**
 * Measures recall and latency of an index over a range of ef, and finds the smallest ef that meets
 * a target recall. Protocol: a garbage collection and a JIT warm-up over every ef first, then per
 * ef what {@link #measure} says. Stateless.
 */
public final class EfSweep {

    /** ef values tried by default, from k up: hnswlib users' usual grid, up to 800. */
    static final int[] DEFAULT_EFS = {10, 16, 20, 32, 40, 64, 80, 128, 200, 300, 400, 600, 800};

    /** How to sweep. {@code threads} is for the throughput pass (-1: every core). */
    public record Options(int k, int[] efs, int repeats, int threads) {
        public Options {
            if (k < 1 || repeats < 1 || efs.length == 0) {
                throw new org.hnswmap.error.IllegalParameterException(
                        "k, repeats and efs must be positive");
            }
        }
    }

    /** Queries per ef in the JIT warm-up before the sweep. */
    static final int WARM_UP_QUERIES = 200;

    private EfSweep() {}

    /** The default ef grid for k: k itself, then every default value above it. */
    public static int[] defaultEfs(int k) {
        int[] above = Arrays.stream(DEFAULT_EFS).filter(ef -> ef > k).toArray();
        int[] out = new int[above.length + 1];
        out[0] = k;
        System.arraycopy(above, 0, out, 1, above.length);
        return out;
    }

    /**
     * Measures each ef in order; stops early once recall reaches 1.0 (larger ef cannot improve it).
     * {@code progress} (may be null) receives each measured ef.
     */
    public static List<SweepPoint> run(
            HnswIndex index,
            QuerySet queries,
            long[][] truth,
            Options options,
            IntConsumer progress) {
        warmUp(index, queries, options);
        List<SweepPoint> points = new ArrayList<>();
        for (int ef : options.efs()) {
            SweepPoint p = measure(index, queries, truth, ef, options);
            points.add(p);
            if (progress != null) {
                progress.accept(ef);
            }
            if (p.recall() >= 1.0) {
                break;
            }
        }
        return points;
    }

    /**
     * The smallest ef whose recall@k meets {@code target}: the first swept ef that meets it,
     * narrowed by bisection against the largest swept ef below it that does not. Returns -1 when no
     * swept ef meets the target.
     */
    public static int smallestEfMeeting(
            HnswIndex index,
            QuerySet queries,
            long[][] truth,
            List<SweepPoint> sweep,
            double target,
            Options options) {
        int low = -1;
        int high = -1;
        for (SweepPoint p : sweep) {
            if (p.recall() >= target) {
                high = p.ef();
                break;
            }
            low = p.ef();
        }
        if (high < 0) {
            return -1;
        }
        low = Math.max(low, options.k() - 1);
        while (high - low > 1) {
            int mid = (low + high) >>> 1;
            if (recall(index, queries, truth, mid, options) >= target) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return high;
    }

    /**
     * Measures one ef: one multi-threaded batch pass gives recall (results do not depend on timing)
     * and throughput; then {@code repeats} timed single-thread sequential passes give latency and
     * QPS.
     */
    public static SweepPoint measure(
            HnswIndex index, QuerySet queries, long[][] truth, int ef, Options o) {
        int n = queries.size();
        int threads = o.threads() == -1 ? Runtime.getRuntime().availableProcessors() : o.threads();
        long batchStart = System.nanoTime();
        double recall = recall(index, queries, truth, ef, o);
        double throughput = threads > 1 ? n / ((System.nanoTime() - batchStart) / 1e9) : Double.NaN;
        int searchK = queries.searchK(o.k());
        long[] latencies = new long[n * o.repeats()];
        double[] qps = new double[o.repeats()];
        for (int r = 0; r < o.repeats(); r++) {
            long passStart = System.nanoTime();
            for (int q = 0; q < n; q++) {
                long t0 = System.nanoTime();
                search(index, queries, q, searchK, ef);
                latencies[r * n + q] = System.nanoTime() - t0;
            }
            qps[r] = n / ((System.nanoTime() - passStart) / 1e9);
        }
        Arrays.sort(latencies);
        Arrays.sort(qps);
        return new SweepPoint(
                ef,
                recall,
                qps[qps.length / 2],
                qps[0],
                qps[qps.length - 1],
                Arrays.stream(latencies).average().orElse(0) / 1e3,
                percentile(latencies, 0.50) / 1e3,
                percentile(latencies, 0.99) / 1e3,
                throughput,
                threads);
    }

    /**
     * Lets the JIT compile the search path at every ef before anything is timed: up to {@link
     * #WARM_UP_QUERIES} queries per ef, ascending.
     */
    static void warmUp(HnswIndex index, QuerySet queries, Options o) {
        System.gc(); // what came before (a ground-truth scan, a build) is not collected in a
        // timed pass
        int searchK = queries.searchK(o.k());
        for (int ef : o.efs()) {
            for (int q = 0; q < Math.min(WARM_UP_QUERIES, queries.size()); q++) {
                search(index, queries, q, searchK, ef);
            }
        }
    }

    /** Recall@k at one ef, from one multi-threaded batch pass (no timing). */
    static double recall(HnswIndex index, QuerySet queries, long[][] truth, int ef, Options o) {
        int searchK = queries.searchK(o.k());
        BatchSearchResult r =
                index.knnQuery(queries.vectors(), searchK, Math.max(ef, searchK), o.threads());
        long[][] found = new long[r.size()][];
        for (int q = 0; q < found.length; q++) {
            found[q] = queries.dropSelf(q, r.labels()[q], o.k());
        }
        return Recall.atK(found, truth, o.k());
    }

    private static long[] search(HnswIndex index, QuerySet queries, int q, int k, int ef) {
        return index.knnQuery(queries.vectors()[q], k, Math.max(ef, k)).labels();
    }

    /** Nearest-rank percentile of sorted samples. */
    static double percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
