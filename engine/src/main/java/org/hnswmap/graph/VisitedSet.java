package org.hnswmap.graph;

import java.util.Arrays;

/**
 * Marks of visited nodes, cleared in O(1) by bumping a generation stamp (hnswlib's VisitedList).
 *
 * <p>Not thread-safe: one per searching thread. Grows to the graph's node bound on demand.
 */
public final class VisitedSet {

    private int[] stamps = new int[0];
    private int generation;

    /** Forgets every mark and makes room for ids below {@code nodeBound}. */
    public void reset(int nodeBound) {
        if (stamps.length < nodeBound) {
            stamps = new int[Math.max(nodeBound, stamps.length + (stamps.length >> 1))];
            generation = 0;
        }
        generation++;
        if (generation == Integer.MAX_VALUE) {
            Arrays.fill(stamps, 0);
            generation = 1;
        }
    }

    /** Marks {@code node}; returns false if it was already marked. */
    public boolean add(int node) {
        if (node >= stamps.length) {
            // a live (writer's) graph grew during this search
            stamps =
                    Arrays.copyOf(stamps, Math.max(node + 1, stamps.length + (stamps.length >> 1)));
        }
        if (stamps[node] == generation) {
            return false;
        }
        stamps[node] = generation;
        return true;
    }
}
