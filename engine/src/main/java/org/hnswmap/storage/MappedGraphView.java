package org.hnswmap.storage;

import org.hnswmap.graph.GraphView;

/**
 * An immutable view of the mapped graph fixed at one node bound and entry point: a reader's
 * committed snapshot, or the writer's live state at the start of a search. Thread-safe.
 */
final class MappedGraphView implements GraphView {

    private final GraphData data;
    private final int nodeBound;
    private final int entryPoint;
    private final int maxLevel;

    MappedGraphView(GraphData data, int nodeBound, int entryPoint, int maxLevel) {
        this.data = data;
        this.nodeBound = nodeBound;
        this.entryPoint = entryPoint;
        this.maxLevel = maxLevel;
    }

    @Override
    public int entryPoint() {
        return entryPoint;
    }

    @Override
    public int maxLevel() {
        return maxLevel;
    }

    @Override
    public int nodeBound() {
        return nodeBound;
    }

    @Override
    public int levelOf(int node) {
        return data.levelOf(node);
    }

    @Override
    public int neighbors(int node, int level, int[] dest) {
        return data.neighbors(node, level, nodeBound, dest);
    }

    @Override
    public int touchNeighbors(int node, int level) {
        return level == 0 ? data.touchLevel0(node, nodeBound) : 0;
    }
}
