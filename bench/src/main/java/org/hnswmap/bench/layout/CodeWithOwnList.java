package org.hnswmap.bench.layout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Each node's code row next to its own level-0 list, as hnswlib keeps a node's links and vector in
 * one block: one block per node (the node's code row, then count and room for {@code maxDegree0}
 * ids; the row first keeps it 16-byte aligned). A neighbour's code row is read when it is scored,
 * and its list, in the same block, when it is expanded later: the list's lines sit next to lines
 * already fetched (same page, adjacent lines), where separate tables put them in another file.
 * Costs no bytes beyond the two tables. Expanding a node reads its list, touches every cache line
 * of each unvisited neighbour's code row, then scores them, as {@link SeparateRows} does.
 */
final class CodeWithOwnList extends ProbeSearcher {

    private final MemorySegment blocks;
    private final int blockStride;

    CodeWithOwnList(HnswlibGraph graph, boolean innerProduct, CodeFormat format) {
        super(graph, innerProduct, format);
        int listBytes = Integer.BYTES * (1 + graph.maxDegree0);
        blockStride = (codeStride + listBytes + 15) / 16 * 16;
        blocks = Arena.global().allocate((long) graph.size * blockStride + KERNEL_SLACK, 64);
        for (int node = 0; node < graph.size; node++) {
            long at = (long) node * blockStride;
            format.encode(graph, node, blocks, at);
            ListTable.write(graph, node, blocks, at + codeStride);
        }
    }

    @Override
    String name() {
        return format.name() + " with own list";
    }

    @Override
    long bytes() {
        return blocks.byteSize();
    }

    @Override
    void expand(int node, int ef) {
        int fresh =
                ListTable.firstVisits(
                        blocks, (long) node * blockStride + codeStride, this, unvisited);
        touchAndOffer(blocks, blockStride, unvisited, fresh, ef);
    }
}
