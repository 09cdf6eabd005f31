package org.hnswmap.graph;

/**
 * The vectors a graph is built over, seen only through distances. Implemented by storage; the
 * algorithm never sees how vectors are laid out. Implementations are thread-safe.
 */
public interface GraphVectors {

    /** A scorer of distances from {@code query} (already normalized where the metric needs it). */
    NodeScorer queryScorer(float[] query);

    /**
     * {@link #queryScorer} for a search that scores only nodes below {@code nodeBound}: the same
     * distances; storage may use the bound to pick how it reads rows (cached or not).
     */
    default NodeScorer queryScorer(float[] query, int nodeBound) {
        return queryScorer(query);
    }

    /**
     * A scorer for walking the graph at query time: {@link #queryScorer}'s distances, or cheaper
     * approximations of them when {@link #traversalApproximate()} (a quantized copy), in which case
     * a search re-ranks what it finds with {@link #queryScorer}.
     */
    default NodeScorer traversalScorer(float[] query) {
        return queryScorer(query);
    }

    /** Whether {@link #traversalScorer} gives approximate distances. */
    default boolean traversalApproximate() {
        return false;
    }

    /**
     * How many nodes a search whose beam of width {@code beamWidth} walked on {@link
     * #traversalScorer} re-ranks with {@link #queryScorer}: the nearest by approximate distance of
     * all the beam scored ({@link HnswSearcher#searchPool}). {@code beamWidth} by default; more for
     * approximations coarse enough that the true nearest are scored but ranked below the beam.
     */
    default int rerankPoolSize(int beamWidth) {
        return beamWidth;
    }

    /** A scorer of distances from stored node {@code node}. */
    NodeScorer nodeScorer(int node);

    /**
     * {@link #nodeScorer} for an insert into a graph of {@code nodeBound} nodes: the same
     * distances; storage may use the bound to pick how it reads rows, as {@link
     * #queryScorer(float[], int)}.
     */
    default NodeScorer nodeScorer(int node, int nodeBound) {
        return nodeScorer(node);
    }

    /**
     * {@link #traversalScorer} for the vector of stored node {@code node}: what an insert walks the
     * graph with before it re-ranks its candidates with {@link #nodeScorer}.
     */
    default NodeScorer nodeTraversalScorer(int node) {
        return nodeScorer(node);
    }

    /** Distance between two stored nodes. */
    float distanceBetween(int a, int b);
}
