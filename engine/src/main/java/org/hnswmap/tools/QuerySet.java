package org.hnswmap.tools;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.hnswmap.index.HnswIndex;

/**
 * Queries for tuning. Either user queries, or stored elements used leave-one-out: each such query
 * carries its own label, which is removed from both the exact and the approximate answers (an
 * element trivially finds itself, which would flatter recall). Immutable.
 */
public record QuerySet(float[][] vectors, long[] selfLabels) {

    /** User-supplied queries. */
    public static QuerySet of(float[][] vectors) {
        return new QuerySet(vectors, null);
    }

    /** A seeded sample of {@code count} stored elements of {@code index}, used leave-one-out. */
    public static QuerySet sampleOf(HnswIndex index, int count, long seed) {
        long[] ids = GroundTruth.liveLabels(index);
        long[] chosen = sample(ids, Math.min(count, ids.length), seed);
        return new QuerySet(index.getItems(chosen), chosen);
    }

    public int size() {
        return vectors.length;
    }

    public boolean hasSelfLabels() {
        return selfLabels != null;
    }

    /** The first k of {@code labels} once query {@code q}'s own label is dropped. */
    public long[] dropSelf(int q, long[] labels, int k) {
        if (selfLabels == null) {
            return labels.length <= k ? labels : Arrays.copyOf(labels, k);
        }
        long[] out = new long[Math.min(k, labels.length)];
        int n = 0;
        for (long label : labels) {
            if (label != selfLabels[q] && n < out.length) {
                out[n++] = label;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Neighbours to ask for so that k remain after dropping the query's own label. */
    public int searchK(int k) {
        return selfLabels == null ? k : k + 1;
    }

    static long[] sample(long[] ids, int count, long seed) {
        long[] copy = ids.clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(copy.length - i);
            long t = copy[i];
            copy[i] = copy[j];
            copy[j] = t;
        }
        return Arrays.copyOf(copy, count);
    }
}
