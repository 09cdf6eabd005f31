package org.hnswmap.bench.layout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Separate rows with each row's 16-byte header (bias, scale, code sums) in a table of its own and
 * the codes alone at a stride of whole cache lines: a 128-d 4-bit row is then one aligned line
 * instead of 80 bytes across two, and the headers of 4 nodes share a line (glass's SQ4U rows are
 * one line, with one scale for all rows). Expanding a node touches each unvisited neighbour's code
 * lines and its header, as {@link SeparateRows} touches its rows.
 */
final class HeadersApart extends ProbeSearcher {

    private final MemorySegment headers;
    private final MemorySegment codes;
    private final long codesStride;
    private final ListTable lists;

    HeadersApart(HnswlibGraph graph, boolean innerProduct, CodeFormat format) {
        super(graph, innerProduct, format);
        codesStride = (codeStride - CodeFormat.HEADER + 63) / 64 * 64L;
        headers = Arena.global().allocate((long) graph.size * CodeFormat.HEADER, 64);
        codes = Arena.global().allocate((long) graph.size * codesStride + KERNEL_SLACK, 64);
        lists = new ListTable(graph);
        MemorySegment row = Arena.global().allocate(codeStride + KERNEL_SLACK, 64);
        for (int node = 0; node < graph.size; node++) {
            row.fill((byte) 0);
            format.encode(graph, node, row, 0);
            MemorySegment.copy(row, 0, headers, (long) node * CodeFormat.HEADER, CodeFormat.HEADER);
            MemorySegment.copy(
                    row,
                    CodeFormat.HEADER,
                    codes,
                    (long) node * codesStride,
                    codeStride - CodeFormat.HEADER);
        }
    }

    @Override
    String name() {
        return format.name() + " headers apart";
    }

    @Override
    long bytes() {
        return headers.byteSize() + codes.byteSize() + lists.bytes();
    }

    @Override
    void expand(int node, int ef) {
        int fresh = lists.firstVisits(node, this, unvisited);
        int touched = 0;
        for (int j = 0; j < fresh; j++) {
            long row = (long) unvisited[j] * codesStride;
            for (long line = 0; line < codesStride; line += 64) {
                touched ^= codes.get(INT, row + line);
            }
            touched ^= headers.get(INT, (long) unvisited[j] * CodeFormat.HEADER);
        }
        float zero = touched * 0f; // keeps the loads; 0 or -0
        for (int j = 0; j < fresh; j++) {
            int neighbour = unvisited[j];
            offer(
                    format.estimate(
                                    headers,
                                    (long) neighbour * CodeFormat.HEADER,
                                    codes,
                                    (long) neighbour * codesStride,
                                    this)
                            + zero,
                    neighbour,
                    ef);
        }
    }
}
