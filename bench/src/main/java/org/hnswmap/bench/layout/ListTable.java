package org.hnswmap.bench.layout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Level-0 lists in a table of their own, one record per node (count, then room for {@code
 * maxDegree0} ids), as the layouts with separate code rows keep them.
 */
final class ListTable {

    private final MemorySegment lists;
    private final int stride;

    ListTable(HnswlibGraph graph) {
        stride = Integer.BYTES * (1 + graph.maxDegree0);
        lists = Arena.global().allocate((long) graph.size * stride, 64);
        for (int node = 0; node < graph.size; node++) {
            write(graph, node, lists, (long) node * stride);
        }
    }

    /**
     * Writes {@code node}'s level-0 list at {@code at} in {@code seg}: its count, then its ids (the
     * record every layout keeps, in a table of its own or inside a node's block).
     */
    static void write(HnswlibGraph graph, int node, MemorySegment seg, long at) {
        seg.set(ProbeSearcher.INT, at, graph.count0[node]);
        for (int j = 0; j < graph.count0[node]; j++) {
            seg.set(ProbeSearcher.INT, at + 4 + 4L * j, graph.level0[node * graph.maxDegree0 + j]);
        }
    }

    long bytes() {
        return lists.byteSize();
    }

    /**
     * Copies the neighbours of {@code node} that {@code search} visits for the first time into
     * {@code out} (marking them visited) and returns how many.
     */
    int firstVisits(int node, ProbeSearcher search, int[] out) {
        return firstVisits(lists, (long) node * stride, search, out);
    }

    /**
     * {@link #firstVisits(int, ProbeSearcher, int[])} of the list {@link #write} wrote at {@code
     * at} in {@code seg}.
     */
    static int firstVisits(MemorySegment seg, long at, ProbeSearcher search, int[] out) {
        int count = seg.get(ProbeSearcher.INT, at);
        int fresh = 0;
        for (int j = 0; j < count; j++) {
            int neighbour = seg.get(ProbeSearcher.INT, at + 4 + 4L * j);
            if (search.firstVisit(neighbour)) {
                out[fresh++] = neighbour;
            }
        }
        return fresh;
    }
}
