package org.hnswmap.tools;

/** Recall@k: the share of the exact k nearest that a search returned. Stateless. */
public final class Recall {

    private Recall() {}

    /** Mean over queries of |found ∩ truth[:k]| / k (a query with fewer than k found counts 0s). */
    public static double atK(long[][] found, long[][] truth, int k) {
        if (found.length != truth.length) {
            throw new org.hnswmap.error.IllegalParameterException(
                    found.length + " results for " + truth.length + " ground-truth rows");
        }
        long hits = 0;
        long expected = 0;
        for (int q = 0; q < found.length; q++) {
            int n = Math.min(k, truth[q].length);
            expected += n;
            for (int i = 0; i < n; i++) {
                if (contains(found[q], k, truth[q][i])) {
                    hits++;
                }
            }
        }
        return expected == 0 ? 1.0 : hits / (double) expected;
    }

    private static boolean contains(long[] labels, int k, long label) {
        for (int i = 0; i < Math.min(k, labels.length); i++) {
            if (labels[i] == label) {
                return true;
            }
        }
        return false;
    }
}
