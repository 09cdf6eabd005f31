package org.hnswmap.graph;

import java.util.Arrays;

/**
 * The node ids one search has visited, with marks that carry the generation that wrote them, so
 * {@link #reset} forgets every mark in O(1) by bumping the generation. Two forms, chosen per search
 * by the graph's node bound:
 *
 * <ul>
 *   <li>up to {@link #DIRECT_LIMIT} nodes, a stamp per node (hnswlib's VisitedList): one load and
 *       one store a visit, 4 bytes x N per searching thread (1 MiB at the limit);
 *   <li>above it, an open-addressing hash set (linear probing) whose memory follows the visits of
 *       one search (1,024 slots, doubled when half full; a beam of ef 800 over 32-neighbour lists
 *       needs 64 Ki slots, 512 KiB), not the index size: a stamp array would cost 4 bytes x N per
 *       thread and, on a fresh thread's first search, one page fault per 4 KiB of it (4 MiB and
 *       ~1,000 faults at 1,000,000 nodes), which a restarted reader's first answer pays.
 * </ul>
 *
 * <p>The stamps pay off when the graph sits in the caches, where the hash probe was a sixth of a
 * search's samples (bench/RESULTS.md, 2026-12-04).
 *
 * <p>Not thread-safe: one per searching thread.
 */
public final class VisitedSet {

    /** Largest node bound searched with a stamp per node. */
    static final int DIRECT_LIMIT = 1 << 18;

    private static final int INITIAL_CAPACITY_LOG2 = 10;
    private static final long GENERATION_BITS = 0xFFFF_FFFF_0000_0000L;
    private static final long NODE_BITS = 0xFFFF_FFFFL;

    /** Fibonacci hashing: the top bits of node x this odd constant spread consecutive ids. */
    private static final int HASH_MULTIPLIER = 0x9E37_79B9;

    /** Each slot: the generation in the high 32 bits, the node id in the low 32. */
    private long[] slots = new long[1 << INITIAL_CAPACITY_LOG2];

    /** 32 - log2(slots.length): the shift that keeps a hash's top bits as the slot index. */
    private int hashShift = Integer.SIZE - INITIAL_CAPACITY_LOG2;

    /** A stamp per node, grown to the node bounds met; used when {@link #direct}. */
    private int[] stamps = new int[0];

    private boolean direct;
    private int size;
    private int generation = 1;

    /** Forgets every mark; the next search uses the hash set. */
    public void reset() {
        reset(Integer.MAX_VALUE);
    }

    /**
     * Forgets every mark, for a search of a graph whose node ids are below {@code nodeBound} (ids
     * past it are still accepted: a writer's graph grows during a search).
     */
    public void reset(int nodeBound) {
        size = 0;
        generation++;
        if (generation == Integer.MAX_VALUE) {
            Arrays.fill(slots, 0);
            Arrays.fill(stamps, 0);
            generation = 1;
        }
        direct = nodeBound <= DIRECT_LIMIT;
        if (direct && stamps.length < nodeBound) {
            // doubled, not grown to the bound: during a build the bound grows by one node an
            // insert, and copying the stamps to each new bound was 3 % of a 100,000-row build
            stamps =
                    Arrays.copyOf(
                            stamps, Math.min(Math.max(nodeBound, 2 * stamps.length), DIRECT_LIMIT));
        }
    }

    /** Marks {@code node} (>= 0); returns false if it was already marked. */
    public boolean add(int node) {
        if (direct) {
            int[] s = stamps;
            if (node < s.length) {
                if (s[node] == generation) {
                    return false;
                }
                s[node] = generation;
                return true;
            }
            stamps = Arrays.copyOf(s, Math.min(Math.max(node + 1, 2 * s.length), DIRECT_LIMIT));
            if (node >= stamps.length) {
                direct = false; // past the limit: this search goes on in the hash set
                for (int marked = 0; marked < s.length; marked++) {
                    if (s[marked] == generation) {
                        addHashed(marked);
                    }
                }
                return addHashed(node);
            }
            return add(node);
        }
        return addHashed(node);
    }

    private boolean addHashed(int node) {
        long tag = (long) generation << Integer.SIZE;
        long[] s = slots;
        int mask = s.length - 1;
        int i = (node * HASH_MULTIPLIER) >>> hashShift;
        while (true) {
            long slot = s[i];
            if ((slot & GENERATION_BITS) != tag) {
                s[i] = tag | (node & NODE_BITS);
                if (++size > s.length >>> 1) {
                    grow(tag);
                }
                return true;
            }
            if ((int) slot == node) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    /** Slots in use (for tests). */
    int capacity() {
        return slots.length;
    }

    /** Starts the generation counter at {@code value} (for tests of its wrap-around). */
    void generationForTest(int value) {
        generation = value;
    }

    private void grow(long tag) {
        long[] old = slots;
        long[] grown = new long[old.length << 1];
        hashShift--;
        int mask = grown.length - 1;
        for (long slot : old) {
            if ((slot & GENERATION_BITS) == tag) {
                int i = ((int) slot * HASH_MULTIPLIER) >>> hashShift;
                while ((grown[i] & GENERATION_BITS) == tag) {
                    i = (i + 1) & mask;
                }
                grown[i] = slot;
            }
        }
        slots = grown;
    }
}
