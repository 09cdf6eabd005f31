package org.hnswmap.graph;

/**
 * A graph the {@link HnswBuilder} can change. The builder serializes writes to one node's lists
 * with its own locks; implementations must make each {@link #setNeighbors} visible to concurrent
 * {@link #neighbors} calls as a whole (never a mix of old and new ids).
 */
public interface MutableGraph extends GraphView {

    /** Largest neighbour count on {@code level}: {@code 2M} on level 0, {@code M} above. */
    int maxDegree(int level);

    /** Replaces the list of {@code node} on {@code level} with {@code ids[0..count)}. */
    void setNeighbors(int node, int level, int[] ids, int count);

    /** Publishes a new entry point whose top level is {@code level}. */
    void setEntryPoint(int node, int level);
}
