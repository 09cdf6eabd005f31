package org.hnswmap.graph;

import java.util.Arrays;

/**
 * The node ids one search has visited: an open-addressing hash set (linear probing) whose slots
 * carry the generation that wrote them, so {@link #reset()} forgets every mark in O(1) by bumping
 * the generation.
 *
 * <p>Its memory follows the visits of one search (1,024 slots, doubled when half full; a beam of ef
 * 800 over 32-neighbour lists needs 64 Ki slots, 512 KiB), not the index size: hnswlib's
 * VisitedList, a stamp per node, costs 4 bytes x N per searching thread and, on a fresh thread's
 * first search, one page fault per 4 KiB of it (4 MiB and ~1,000 faults at 1,000,000 nodes). It is
 * no slower than the stamp array on the searches measured (bench/RESULTS.md, 2026-11-29).
 *
 * <p>Not thread-safe: one per searching thread.
 */
public final class VisitedSet {

    private static final int INITIAL_CAPACITY_LOG2 = 10;
    private static final long GENERATION_BITS = 0xFFFF_FFFF_0000_0000L;
    private static final long NODE_BITS = 0xFFFF_FFFFL;

    /** Fibonacci hashing: the top bits of node x this odd constant spread consecutive ids. */
    private static final int HASH_MULTIPLIER = 0x9E37_79B9;

    /** Each slot: the generation in the high 32 bits, the node id in the low 32. */
    private long[] slots = new long[1 << INITIAL_CAPACITY_LOG2];

    /** 32 - log2(slots.length): the shift that keeps a hash's top bits as the slot index. */
    private int hashShift = Integer.SIZE - INITIAL_CAPACITY_LOG2;

    private int size;
    private int generation = 1;

    /** Forgets every mark. */
    public void reset() {
        size = 0;
        generation++;
        if (generation == Integer.MAX_VALUE) {
            Arrays.fill(slots, 0);
            generation = 1;
        }
    }

    /** Marks {@code node} (>= 0); returns false if it was already marked. */
    public boolean add(int node) {
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
