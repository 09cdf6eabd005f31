package org.hnswmap.graph;

import java.util.Arrays;

/**
 * The node ids one search has visited. Two forms, chosen per search by the graph's node bound:
 *
 * <ul>
 *   <li>up to {@link #DIRECT_LIMIT} nodes, a bit per node: one load and one store a visit, N / 8
 *       bytes per searching thread (32 KiB at the limit, so the marks of a 100,000-node graph, 12.5
 *       KiB, stay in the first-level cache), all cleared by {@link #reset};
 *   <li>above it, an open-addressing hash set (linear probing) whose marks carry the generation
 *       that wrote them, so {@link #reset} forgets them in O(1); its memory follows the visits of
 *       one search (1,024 slots, doubled when half full; a beam of ef 800 over 32-neighbour lists
 *       needs 64 Ki slots, 512 KiB), not the index size, and clearing a bit per node on every
 *       search would cost more than the search at millions of nodes.
 * </ul>
 *
 * <p>NOTE: the bits replaced hnswlib's 4-byte stamp per node (no clearing, but 1 MiB a thread at
 * the limit and a 400 KiB array at 100,000 nodes that missed the first-level cache); the hash probe
 * was a sixth of a search's samples when the graph sits in the caches (bench/RESULTS.md, 2026-12-04
 * and 2026-12-06).
 *
 * <p>Not thread-safe: one per searching thread.
 */
public final class VisitedSet {

    /** Largest node bound searched with a bit per node. */
    static final int DIRECT_LIMIT = 1 << 18;

    /** Words of the bit set at {@link #DIRECT_LIMIT}. */
    private static final int MAX_WORDS = DIRECT_LIMIT / Long.SIZE;

    private static final int INITIAL_CAPACITY_LOG2 = 10;
    private static final long GENERATION_BITS = 0xFFFF_FFFF_0000_0000L;
    private static final long NODE_BITS = 0xFFFF_FFFFL;

    /** Fibonacci hashing: the top bits of node x this odd constant spread consecutive ids. */
    private static final int HASH_MULTIPLIER = 0x9E37_79B9;

    /** Each slot: the generation in the high 32 bits, the node id in the low 32. */
    private long[] slots = new long[1 << INITIAL_CAPACITY_LOG2];

    /** 32 - log2(slots.length): the shift that keeps a hash's top bits as the slot index. */
    private int hashShift = Integer.SIZE - INITIAL_CAPACITY_LOG2;

    /**
     * A bit per node below {@code 64 * bits.length}, grown to the node bounds met; used when {@link
     * #direct}, all cleared by {@link #reset}.
     */
    private long[] bits = new long[0];

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
            generation = 1;
        }
        Arrays.fill(bits, 0L);
        direct = nodeBound <= DIRECT_LIMIT;
        int words = wordsFor(nodeBound);
        if (direct && bits.length < words) {
            // doubled, not grown to the bound: during a build the bound grows by one node an
            // insert, and growing to each new bound was 3 % of a 100,000-row build
            bits = new long[Math.min(Math.max(words, 2 * bits.length), MAX_WORDS)];
        }
    }

    /**
     * Marks {@code ids[0..count)} (each >= 0) and writes those not marked before into {@code
     * fresh}, in order; returns how many. The same as {@link #add} one by one, but with a bit per
     * node without a branch on whether a node was marked: half of a list's nodes are, in no order
     * the CPU can predict.
     */
    public int addAll(int[] ids, int count, int[] fresh) {
        long[] b = bits;
        int n = 0;
        for (int i = 0; i < count; i++) {
            int node = ids[i];
            int word = node >>> 6;
            if (!direct || word >= b.length) {
                for (; i < count; i++) {
                    if (add(ids[i])) {
                        fresh[n++] = ids[i];
                    }
                }
                return n;
            }
            long marks = b[word];
            long bit = 1L << node;
            b[word] = marks | bit;
            fresh[n] = node;
            n += (marks & bit) == 0 ? 1 : 0;
        }
        return n;
    }

    /** Marks {@code node} (>= 0); returns false if it was already marked. */
    public boolean add(int node) {
        if (direct) {
            long[] b = bits;
            int word = node >>> 6;
            if (word < b.length) {
                long marks = b[word];
                long bit = 1L << node; // the shift distance is taken mod 64: node's bit in word
                if ((marks & bit) != 0) {
                    return false;
                }
                b[word] = marks | bit;
                return true;
            }
            if (word < MAX_WORDS) {
                bits = Arrays.copyOf(b, Math.min(Math.max(word + 1, 2 * b.length), MAX_WORDS));
                return add(node);
            }
            direct = false; // past the limit: this search goes on in the hash set
            for (int w = 0; w < b.length; w++) {
                for (long marks = b[w]; marks != 0; marks &= marks - 1) {
                    addHashed(w << 6 | Long.numberOfTrailingZeros(marks));
                }
            }
            return addHashed(node);
        }
        return addHashed(node);
    }

    private static int wordsFor(int nodeBound) {
        return (int) ((Math.min(nodeBound, DIRECT_LIMIT) + 63L) >>> 6);
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
