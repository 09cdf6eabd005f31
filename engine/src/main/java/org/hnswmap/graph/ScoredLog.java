package org.hnswmap.graph;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Every (node, distance) pair a beam search scored, in scoring order, packed like {@link
 * NeighborQueue}'s entries, from which {@link #drainNearest} selects the nearest few at the end.
 * Appending is one store a pair; the selection is linear in the pairs logged (a quickselect), so a
 * wide pool costs less than a heap kept up to date on every score.
 *
 * <p>Not thread-safe: part of one thread's {@link SearchScratch}.
 */
final class ScoredLog {

    private long[] entries = new long[1024];
    private int size;

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    /**
     * Logs {@code nodes[0..count)} with their distances, only the accepted ones if {@code accept}.
     */
    void add(int[] nodes, float[] distances, int count, IntPredicate accept) {
        if (size + count > entries.length) {
            entries = Arrays.copyOf(entries, Math.max(2 * entries.length, size + count));
        }
        for (int i = 0; i < count; i++) {
            if (accept == null || accept.test(nodes[i])) {
                entries[size++] = NeighborQueue.encode(nodes[i], distances[i]);
            }
        }
    }

    /**
     * Writes the {@code n} nearest logged pairs (all when fewer), nearest first; ties by node id.
     * Leaves the log in an unspecified order.
     *
     * @return how many were written
     */
    int drainNearest(int n, int[] outNodes, float[] outDistances) {
        int count = Math.min(n, size);
        if (count < size) {
            selectSmallest(entries, 0, size - 1, count);
        }
        Arrays.sort(entries, 0, count);
        for (int i = 0; i < count; i++) {
            outNodes[i] = (int) entries[i];
            outDistances[i] = NeighborQueue.decodeDistance(entries[i]);
        }
        return count;
    }

    /**
     * Rearranges {@code a[from..to]} so that its {@code n} smallest come first (Hoare's
     * quickselect, median-of-three pivots). Entries are distinct (one per node), so every partition
     * shrinks.
     */
    static void selectSmallest(long[] a, int from, int to, int n) {
        int target = from + n - 1; // the largest of the n smallest ends up here
        while (from < to) {
            int mid = (from + to) >>> 1;
            long pivot = medianOfThree(a[from], a[mid], a[to]);
            int i = from;
            int j = to;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (target <= j) {
                to = j;
            } else if (target >= i) {
                from = i;
            } else {
                return;
            }
        }
    }

    private static long medianOfThree(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
