package org.hnswmap.graph;

/**
 * A scorer of approximate distances that also bounds, for each node, where the exact distance can
 * lie given the approximate one. A re-ranking step uses the bounds to skip the candidates that
 * cannot be among the nearest (see {@link ExactScoring#rerank}), so it computes fewer exact
 * distances and still returns the same nodes.
 *
 * <p>The bounds must hold for the exact distances as computed (rounding included), not only in
 * exact arithmetic.
 */
public interface BoundedScorer extends NodeScorer {

    /** No exact distance of {@code node} is below this, given its approximate distance. */
    float lowerBound(int node, float approximateDistance);

    /** No exact distance of {@code node} is above this, given its approximate distance. */
    float upperBound(int node, float approximateDistance);
}
