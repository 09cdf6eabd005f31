package org.hnswmap.graph;

/** Distance from one fixed vector (a query or a stored node) to stored node {@code node}. */
@FunctionalInterface
public interface NodeScorer {
    /** Smaller is nearer. */
    float distance(int node);

    /**
     * Scores {@code nodes[0..count)} into {@code out[0..count)}, equal to {@link #distance} one by
     * one. Storage overrides it to overlap the memory loads of consecutive nodes.
     */
    default void distances(int[] nodes, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = distance(nodes[i]);
        }
    }
}
