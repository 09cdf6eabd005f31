package org.hnswmap.bench.layout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Codes next to lists, as NGT's QG and glass lay them out: each node's block holds its level-0
 * list, then the code row of every neighbour in list order. Expanding a node reads one contiguous
 * block, which the hardware prefetcher streams, instead of a code row per neighbour scattered over
 * the table; the price is a code row per link instead of per node (about {@code 2M} times the
 * codes' size).
 */
final class CodesNextToLists extends ProbeSearcher {

    private final MemorySegment blocks;
    private final int headBytes;
    private final int blockStride;

    CodesNextToLists(HnswlibGraph graph, boolean innerProduct, CodeFormat format) {
        super(graph, innerProduct, format);
        headBytes = (Integer.BYTES * (1 + graph.maxDegree0) + 63) / 64 * 64;
        blockStride = headBytes + graph.maxDegree0 * codeStride;
        blocks = Arena.global().allocate((long) graph.size * blockStride + KERNEL_SLACK, 64);
        for (int node = 0; node < graph.size; node++) {
            long at = (long) node * blockStride;
            ListTable.write(graph, node, blocks, at);
            for (int j = 0; j < graph.count0[node]; j++) {
                int neighbour = graph.level0[node * graph.maxDegree0 + j];
                format.encode(graph, neighbour, blocks, at + headBytes + (long) j * codeStride);
            }
        }
    }

    @Override
    String name() {
        return format.name() + " next to lists";
    }

    @Override
    long bytes() {
        return blocks.byteSize();
    }

    @Override
    void expand(int node, int ef) {
        long at = (long) node * blockStride;
        int count = blocks.get(INT, at);
        for (int j = 0; j < count; j++) {
            int neighbour = blocks.get(INT, at + 4 + 4L * j);
            if (firstVisit(neighbour)) {
                long row = at + headBytes + (long) j * codeStride;
                offer(format.estimate(blocks, row, this), neighbour, ef);
            }
        }
    }
}
