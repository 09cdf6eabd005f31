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

    final int codeMin;
    final int codeMax;

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
        double[] values = new double[graph.dimension];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < graph.dimension; i++) {
            values[i] = component(graph, node, i);
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        float scale = (float) ((max - min) / (codeMax - codeMin));
        float bias = scale == 0f ? (float) min : (float) (min - (double) codeMin * scale);
        int[] codes = new int[graph.dimension];
        for (int i = 0; i < graph.dimension && scale != 0f; i++) {
            codes[i] = (int) Math.clamp(Math.round((values[i] - bias) / scale), codeMin, codeMax);
            store(rows, at + HEADER, i, codes[i]);
        }
        rows.set(HnswlibGraph.FLOAT, at, bias);
        rows.set(HnswlibGraph.FLOAT, at + 4, scale);
        writeHeaderTail(rows, at, node, bias, scale, codes);
    }

    /** Component {@code i} of what the row of {@code node} encodes: here the float32 row's. */
    double component(HnswlibGraph graph, int node, int i) {
        return graph.rows.get(HnswlibGraph.FLOAT, graph.rowOffset(node) + 4L * i);
    }

    /**
     * Header bytes 8 to 16 of the row at {@code at}: here the sum of the codes and the sum of their
     * squares.
     */
    void writeHeaderTail(
            MemorySegment rows, long at, int node, float bias, float scale, int[] codes) {
        int sum = 0;
        int squares = 0;
        for (int code : codes) {
            sum += code;
            squares += code * code;
        }
        rows.set(ProbeSearcher.INT, at + 8, sum);
        rows.set(ProbeSearcher.INT, at + 12, squares);
    }

    /** The estimated distance from the row at {@code rowAt} to the query of {@code search}. */
    final float estimate(MemorySegment rows, long rowAt, ProbeSearcher search) {
        return estimate(rows, rowAt, rows, rowAt + HEADER, search);
    }

    /** The same with the header at {@code rowAt} of {@code rows}, the codes elsewhere. */
    float estimate(
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
