package org.hnswmap.bench.layout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Today's layout, less format 2's second copy of each list: one code row per node in node order,
 * and level-0 lists (count, then ids) in a table of their own. Expanding a node reads its list,
 * then, as hnswmap's int8 scorer does, one load in every cache line of each unvisited neighbour's
 * row, so that their misses are in flight together, then the estimates.
 */
final class SeparateRows extends ProbeSearcher {

    private final MemorySegment codes;
    private final ListTable lists;

    SeparateRows(HnswlibGraph graph, boolean innerProduct, CodeFormat format) {
        super(graph, innerProduct, format);
        codes = Arena.global().allocate((long) graph.size * codeStride + KERNEL_SLACK, 64);
        lists = new ListTable(graph);
        for (int node = 0; node < graph.size; node++) {
            format.encode(graph, node, codes, (long) node * codeStride);
        }
    }

    @Override
    String name() {
        return format.name() + " separate rows";
    }

    @Override
    long bytes() {
        return codes.byteSize() + lists.bytes();
    }

    @Override
    void expand(int node, int ef) {
        int fresh = lists.firstVisits(node, this, unvisited);
        touchAndOffer(codes, codeStride, unvisited, fresh, ef);
    }
}
