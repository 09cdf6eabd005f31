package org.hnswmap.tools;

import java.util.Arrays;
import org.hnswmap.index.BatchSearchResult;
import org.hnswmap.index.BruteForceIndex;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.SearchResult;
import org.hnswmap.index.Space;

/**
 * Exact top-k neighbours (the reference that recall is measured against), their .ivecs form, and a
 * check that a ground-truth file belongs to an index and query set. Stateless.
 */
public final class GroundTruth {

    /** Queries checked by {@link #mismatch}. */
    static final int CHECKED_QUERIES = 5;

    private GroundTruth() {}

    /** Exact top-k labels of each query over {@code base} (labels are row numbers when null). */
    public static long[][] compute(
            Space space, float[][] base, long[] labels, float[][] queries, int k, int threads) {
        long[] rowLabels = labels != null ? labels : IndexBuilder.rowNumbers(base.length);
        BruteForceIndex exact = BruteForceIndex.of(space, base, rowLabels);
        return exact.knnQuery(queries, Math.min(k, base.length), threads).labels();
    }

    /**
     * Exact top-k labels of each query over the live elements of {@code index} (its stored vectors
     * are copied to the heap for the scan).
     */
    public static long[][] compute(HnswIndex index, QuerySet queries, int k, int threads) {
        long[] labels = liveLabels(index);
        BruteForceIndex exact = BruteForceIndex.of(index.space(), index.getItems(labels), labels);
        int extra = queries.hasSelfLabels() ? 1 : 0;
        int kk = Math.min(k + extra, labels.length);
        BatchSearchResult r = exact.knnQuery(queries.vectors(), kk, threads);
        long[][] out = new long[r.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = queries.dropSelf(i, r.labels()[i], k);
        }
        return out;
    }

    /** Labels of the elements of {@code index} not marked deleted: those a search can return. */
    static long[] liveLabels(HnswIndex index) {
        return Arrays.stream(index.getIdsList()).filter(l -> !index.isMarkedDeleted(l)).toArray();
    }

    /** Labels as .ivecs rows; each must fit an int32 (ann-benchmarks files hold row numbers). */
    public static int[][] toIvecs(long[][] truth) {
        int[][] out = new int[truth.length][];
        for (int i = 0; i < truth.length; i++) {
            out[i] = new int[truth[i].length];
            for (int j = 0; j < truth[i].length; j++) {
                long label = truth[i][j];
                if (label != (int) label) {
                    throw new org.hnswmap.error.IllegalParameterException(
                            "label " + label + " does not fit the int32 entries of an .ivecs file");
                }
                out[i][j] = (int) label;
            }
        }
        return out;
    }

    public static long[][] fromIvecs(int[][] rows) {
        long[][] out = new long[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = Arrays.stream(rows[i]).asLongStream().toArray();
        }
        return out;
    }

    /**
     * Checks that {@code truth} is exact for {@code queries} on {@code index}, on a few queries:
     * its labels must be in the index, at least k per query, and no element the graph finds may be
     * nearer than the truth's k-th without being in it. Returns what is wrong, or null.
     */
    public static String mismatch(HnswIndex index, QuerySet queries, long[][] truth, int k) {
        if (truth.length != queries.size()) {
            return "ground truth has " + truth.length + " rows for " + queries.size() + " queries";
        }
        for (int q = 0; q < Math.min(CHECKED_QUERIES, truth.length); q++) {
            if (truth[q].length < k) {
                return "ground truth has " + truth[q].length + " neighbours per query, k is " + k;
            }
            long[] expected = Arrays.copyOf(truth[q], k);
            for (long label : expected) {
                if (!index.contains(label)) {
                    return "ground truth names label " + label + ", which is not in the index";
                }
            }
            String problem = checkQuery(index, queries.vectors()[q], expected, k);
            if (problem != null) {
                return "query " + q + ": " + problem;
            }
        }
        return null;
    }

    private static String checkQuery(HnswIndex index, float[] query, long[] expected, int k) {
        BruteForceIndex truthOnly =
                BruteForceIndex.of(index.space(), index.getItems(expected), expected);
        SearchResult exact = truthOnly.knnQuery(query, k);
        float kth = exact.distances()[k - 1];
        SearchResult found = index.knnQuery(query, k, Math.max(200, k));
        for (int i = 0; i < found.size(); i++) {
            float d = found.distances()[i];
            long label = found.labels()[i];
            boolean member = Arrays.stream(expected).anyMatch(l -> l == label);
            if (d < kth - 1e-4f * Math.max(1f, Math.abs(kth)) && !member) {
                return String.format(
                        "label %d at distance %g is nearer than the ground truth's k-th neighbour"
                                + " (%g): the file was made for other data or queries",
                        label, d, kth);
            }
        }
        return null;
    }
}
