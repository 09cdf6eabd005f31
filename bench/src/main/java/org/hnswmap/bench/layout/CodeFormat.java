package org.hnswmap.bench.layout;

import java.lang.foreign.MemorySegment;

/**
 * One row format of traversal codes, as hnswmap's int8 rows are laid out: a 16-byte header (bias
 * and scale as floats, the sum and the sum of squares of the codes as ints), then the codes. Each
 * row is scaled on its own, {@code levels} codes from {@code codeMin} spanning the row's minimum to
 * its maximum, so nothing needs training. The estimate is hnswmap's int8 scorers': squared L2 from
 * one dot product of the query with the codes, or {@code 1 - dot} for inner products.
 *
 * <p>Not thread-safe: it holds the query of the search under way; one instance per searcher.
 */
abstract class CodeFormat {

    static final int HEADER = 16;

    private final int codeMin;
    private final int codeMax;

    CodeFormat(int codeMin, int levels) {
        this.codeMin = codeMin;
        this.codeMax = codeMin + levels - 1;
    }

    /** A short name for reports. */
    abstract String name();

    /** Bytes of one row of {@code dimension} components: header and codes. */
    abstract int rowBytes(int dimension);

    /** Stores {@code code} for {@code component} in the codes starting at {@code codesAt}. */
    abstract void store(MemorySegment rows, long codesAt, int component, int code);

    /** {@code dot(query, codes)} of the codes starting at {@code codesAt}. */
    abstract double codeDot(MemorySegment rows, long codesAt);

    /** Called with each query before its search. */
    abstract void prepare(float[] query);

    /** Writes the row of {@code node} at {@code at} of {@code rows} (zeroed memory). */
    final void encode(HnswlibGraph graph, int node, MemorySegment rows, long at) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long row = graph.rowOffset(node);
        for (int i = 0; i < graph.dimension; i++) {
            double x = graph.rows.get(HnswlibGraph.FLOAT, row + 4L * i);
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        float scale = (float) ((max - min) / (codeMax - codeMin));
        float bias = scale == 0f ? (float) min : (float) (min - (double) codeMin * scale);
        int sum = 0;
        int squares = 0;
        for (int i = 0; i < graph.dimension && scale != 0f; i++) {
            double x = graph.rows.get(HnswlibGraph.FLOAT, row + 4L * i);
            int code = (int) Math.clamp(Math.round((x - bias) / scale), codeMin, codeMax);
            store(rows, at + HEADER, i, code);
            sum += code;
            squares += code * code;
        }
        rows.set(HnswlibGraph.FLOAT, at, bias);
        rows.set(HnswlibGraph.FLOAT, at + 4, scale);
        rows.set(ProbeSearcher.INT, at + 8, sum);
        rows.set(ProbeSearcher.INT, at + 12, squares);
    }

    /** The estimated distance from the row at {@code rowAt} to the query of {@code search}. */
    final float estimate(MemorySegment rows, long rowAt, ProbeSearcher search) {
        return estimate(rows, rowAt, rows, rowAt + HEADER, search);
    }

    /** The same with the header at {@code rowAt} of {@code rows}, the codes elsewhere. */
    final float estimate(
            MemorySegment rows,
            long rowAt,
            MemorySegment codes,
            long codesAt,
            ProbeSearcher search) {
        double bias = rows.get(HnswlibGraph.FLOAT, rowAt);
        double scale = rows.get(HnswlibGraph.FLOAT, rowAt + 4);
        double dot = codeDot(codes, codesAt);
        if (search.innerProduct) {
            return (float) (1 - (bias * search.querySum + scale * dot));
        }
        double codeSum = rows.get(ProbeSearcher.INT, rowAt + 8);
        double codeSquares = rows.get(ProbeSearcher.INT, rowAt + 12);
        return (float)
                Math.max(
                        0,
                        search.querySquares
                                + bias * (search.query.length * bias - 2 * search.querySum)
                                - 2 * scale * (dot - bias * codeSum)
                                + scale * scale * codeSquares);
    }
}
