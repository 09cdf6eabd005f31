package org.hnswmap.graph;

import java.util.Arrays;

/**
 * The beam of an unfiltered search: the best {@code capacity} (node, distance) pairs scored so far,
 * kept sorted nearest first, with a bit per pair set until the pair is expanded (the bits shift
 * with the pairs on an insert). One sorted array does the work of hnswlib's two heaps: the next
 * node to expand is the pair of the first set bit, and the beam's bound is its last pair.
 *
 * <p>The same search as the two heaps, expansion for expansion: a candidate is expanded there only
 * while its distance is at most the bound, so a node that dropped out of the beam is never
 * expanded, except when its distance equals the bound exactly (a tie with the node that replaced
 * it), which the heaps expand and the beam does not. Pairs order as {@link NeighborQueue} orders
 * them (distance, then node id).
 *
 * <p>NOTE: the heaps' sifts (a branch per level that the CPU cannot predict) were a sixth of a
 * search's samples with the graph in the caches; here an insert is a binary search without branches
 * and one {@link System#arraycopy}, and finding the next node a look at a word or a few (glass's
 * linear pool keeps a cursor over expanded flags instead, which re-scanned expanded pairs after
 * every nearer insert: slower here; bench/RESULTS.md, 2026-12-06, stop 35).
 *
 * <p>Not thread-safe: one per searching thread.
 */
final class BeamPool {

    /** Pairs encoded by {@link NeighborQueue#encode}, ascending, in {@code [0, size)}. */
    private long[] codes = new long[256];

    /**
     * Bit {@code i} set when the pair at position {@code i} has not been expanded; no bit at or
     * past {@code size} is set.
     */
    private long[] pending = new long[4];

    private int size;
    private int capacity;

    /**
     * Empties the beam, which then holds at most {@code capacity} (> 0) pairs; its arrays grow as
     * pairs arrive (a beam as wide as {@code MAX_EF} over a small graph holds only its nodes).
     */
    void clear(int capacity) {
        Arrays.fill(pending, 0, (size + 63) >>> 6, 0L);
        this.capacity = capacity;
        size = 0;
    }

    int size() {
        return size;
    }

    /**
     * Takes ({@code node}, {@code distance}) when the beam has room or the distance is below the
     * farthest held, which then leaves; returns whether it was taken.
     */
    boolean offer(int node, float distance) {
        if (size == capacity) {
            if (!(distance < NeighborQueue.decodeDistance(codes[size - 1]))) {
                return false;
            }
            size--;
            pending[size >>> 6] &= ~(1L << size);
        }
        if (size == codes.length) {
            codes = Arrays.copyOf(codes, 2 * size);
            pending = Arrays.copyOf(pending, (2 * size + 63) >>> 6);
        }
        long code = NeighborQueue.encode(node, distance);
        int low = insertionPoint(code);
        int moved = size - low;
        if (moved > 0) {
            System.arraycopy(codes, low, codes, low + 1, moved);
        }
        codes[low] = code;
        // the pending bits of positions low.. move up by one, and low's is set
        int first = low >>> 6;
        for (int w = size >>> 6; w > first; w--) {
            pending[w] = pending[w] << 1 | pending[w - 1] >>> 63;
        }
        long below = (1L << low) - 1; // positions of word first before low (low mod 64 bits)
        long word = pending[first];
        pending[first] = (word & below) | (word & ~below) << 1 | 1L << low;
        size++;
        return true;
    }

    /**
     * How many held pairs sort below {@code code}: a binary search whose steps depend on the size
     * only, each choosing its half by a conditional move rather than a branch the CPU would
     * mispredict half the time.
     */
    private int insertionPoint(long code) {
        long[] c = codes;
        int base = 0;
        int n = size;
        while (n > 1) {
            int half = n >>> 1;
            base = c[base + half - 1] < code ? base + half : base;
            n -= half;
        }
        return n == 1 && c[base] < code ? base + 1 : base;
    }

    /** The nearest node not yet expanded, or -1 when every node held has been. */
    int nearestUnexpanded() {
        int position = firstPending();
        return position < 0 ? -1 : (int) codes[position];
    }

    /**
     * Marks the nearest node not yet expanded expanded and returns it, or -1 when there is none.
     */
    int expandNearest() {
        int position = firstPending();
        if (position < 0) {
            return -1;
        }
        pending[position >>> 6] &= ~(1L << position);
        return (int) codes[position];
    }

    private int firstPending() {
        long[] p = pending;
        int words = (size + 63) >>> 6;
        for (int w = 0; w < words; w++) {
            if (p[w] != 0) {
                return w << 6 | Long.numberOfTrailingZeros(p[w]);
            }
        }
        return -1;
    }

    /** Node at position {@code i} in {@code [0, size)}, nearest first. */
    int nodeAt(int i) {
        return (int) codes[i];
    }

    /** Distance at position {@code i} in {@code [0, size)}, nearest first. */
    float distanceAt(int i) {
        return NeighborQueue.decodeDistance(codes[i]);
    }
}
