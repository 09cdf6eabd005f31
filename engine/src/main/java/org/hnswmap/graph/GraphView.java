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

    /**
     * Loads the memory of {@code node}'s list on {@code level} without copying it, so that its
     * cache misses are in flight while the caller does other work (Java has no prefetch
     * instruction), and returns a value computed from the loaded bytes, which the caller must keep
     * (store it) so that the loads are not optimized away. A view whose lists stay in the caches
     * loads nothing and returns 0, as does this default.
     */
    default int touchNeighbors(int node, int level) {
        return 0;
    }
}
