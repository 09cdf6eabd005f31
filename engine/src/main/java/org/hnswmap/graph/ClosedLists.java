package org.hnswmap.graph;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which level-0 lists are known to be <em>closed</em>: the heuristic run over the list alone, in
 * ascending distance from its node, would keep every entry. A list the heuristic just wrote is
 * closed; when a new node then arrives at a full closed list, the full re-selection over the list
 * and the node reduces to checking the node against the entries nearer than it and, if it stays,
 * the farther entries against the node (see {@link HnswBuilder}): about {@code 2M} distances
 * instead of about {@code 2M x 2M / 2}, with the same result.
 *
 * <p>What is remembered per node is a 32-bit fingerprint of the list's content (ids in order) as it
 * was written by a re-selection, mixed with an epoch. Closure is a property of the content and the
 * vectors alone, so any other writer of the list (an append below the degree cap, a repair, a
 * relink) needs no hook here: the list it leaves no longer matches the fingerprint, unless it wrote
 * the same content, which is then closed as well. A replaced vector ({@link HnswBuilder#update})
 * changes the distances that closure rests on; it starts a new epoch, which retires every
 * fingerprint at once. A fingerprint collision (odds 2^-32 per check), or a back-link re-selecting
 * a list while another thread replaces the vector of one of its entries, can let one list keep an
 * entry the heuristic would have dropped: a list still valid, only less diverse.
 *
 * <p>Thread-safe in the builder's terms: a node's fingerprint is read and written under that node's
 * stripe lock, as its list is. Pages are allocated on first use; a page created by one thread while
 * another records into the same page may lose that record, which only costs the next check its
 * shortcut.
 */
class ClosedLists {

    private static final int PAGE_BITS = 16;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    /** 0 in an unwritten slot; a written fingerprint is never 0. */
    private static final int NONE = 0;

    private volatile int[][] pages = new int[0][];

    /** Atomic: two updates at once must not leave one epoch (a lost increment would). */
    private final AtomicInteger epoch = new AtomicInteger();

    /** Whether {@code ids[0..count)} is the list last recorded for {@code node} in this epoch. */
    boolean isClosed(int node, int[] ids, int count) {
        int[][] current = pages;
        int page = node >>> PAGE_BITS;
        if (page >= current.length || current[page] == null) {
            return false;
        }
        int recorded = current[page][node & (PAGE_SIZE - 1)];
        return recorded != NONE && recorded == fingerprint(ids, count);
    }

    /** Records {@code ids[0..count)}, just selected by the heuristic, as {@code node}'s list. */
    void recordClosed(int node, int[] ids, int count) {
        pageFor(node >>> PAGE_BITS)[node & (PAGE_SIZE - 1)] = fingerprint(ids, count);
    }

    /** Retires every fingerprint: some vector changed, so no list is known to be closed. */
    void newEpoch() {
        epoch.incrementAndGet();
    }

    private int fingerprint(int[] ids, int count) {
        int h = 0x9E37_79B9 * (epoch.get() + 1) + count;
        for (int i = 0; i < count; i++) {
            h = (h ^ ids[i]) * 0x0100_0193;
        }
        // murmur3's finaliser: every input bit reaches every output bit
        h ^= h >>> 16;
        h *= 0x85EB_CA6B;
        h ^= h >>> 13;
        h *= 0xC2B2_AE35;
        h ^= h >>> 16;
        return h == NONE ? 1 : h;
    }

    private int[] pageFor(int page) {
        int[][] current = pages;
        if (page < current.length && current[page] != null) {
            return current[page];
        }
        synchronized (this) {
            current = pages;
            if (page >= current.length) {
                current = java.util.Arrays.copyOf(current, Math.max(page + 1, current.length * 2));
            } else {
                current = current.clone();
            }
            if (current[page] == null) {
                current[page] = new int[PAGE_SIZE];
            }
            pages = current;
            return current[page];
        }
    }
}
