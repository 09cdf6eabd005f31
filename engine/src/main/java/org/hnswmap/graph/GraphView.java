package org.hnswmap.graph;

/**
 * Read access to an HNSW graph: its entry point and the neighbour lists of each node and level.
 *
 * <p>Only nodes with ids in {@code [0, nodeBound())} exist for the view. {@link #neighbors} copies
 * one list as a consistent snapshot with every id inside that range, so a search over a view never
 * meets an id it cannot score, even while a writer changes the graph.
 */
public interface GraphView {

    /** The entry node, or -1 when the graph is empty. */
    int entryPoint();

    /** The top level, or -1 when the graph is empty. */
    int maxLevel();

    /** Exclusive upper bound of the node ids this view may return. */
    int nodeBound();

    /** The top level of {@code node}. */
    int levelOf(int node);

    /**
     * Copies the neighbours of {@code node} on {@code level} into {@code dest} (length at least
     * {@code maxDegree(level)}) and returns how many were copied.
     */
    int neighbors(int node, int level, int[] dest);
}
