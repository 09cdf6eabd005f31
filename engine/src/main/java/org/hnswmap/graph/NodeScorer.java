package org.hnswmap.graph;

/** Distance from one fixed vector (a query or a stored node) to stored node {@code node}. */
@FunctionalInterface
public interface NodeScorer {
    /** Smaller is nearer. */
    float distance(int node);
}
