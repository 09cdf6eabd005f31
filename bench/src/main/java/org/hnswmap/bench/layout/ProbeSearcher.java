package org.hnswmap.bench.layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.graph.NeighborQueue;

/**
 * HNSW search over one layout of int8 traversal codes: a greedy descent on the upper levels with
 * exact distances, a beam of {@code ef} at level 0 on the codes' estimates, then the beam re-ranked
 * with exact float32 distances, as hnswmap's int8 traversal does. Subclasses say only where a
 * neighbour's codes are ({@link #expand}); the codes, the estimates and the order of the walk are
 * the same in every layout, so every layout answers alike and only the memory traffic differs.
 *
 * <p>The codes are those of hnswmap's {@code vectors.i8} (storage-format.md): a row's bias and
 * scale, the sum and the sum of squares of its codes, then one signed byte per component.
 *
 * <p>Not thread-safe: one searcher per thread.
 */
abstract class ProbeSearcher {

    static final ValueLayout.OfInt INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = HnswlibGraph.FLOAT;
    private static final int CODES_HEADER = 16;
    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    final HnswlibGraph graph;
    private final boolean innerProduct;

    /** Bytes of one code row: header and codes, rounded up to 16. */
    final int codeStride;

    private final int[] visitedEpoch;
    private int epoch;
    private final NeighborQueue candidates = new NeighborQueue(256, false);
    private final NeighborQueue results = new NeighborQueue(256, true);
    private final NeighborQueue reranked = new NeighborQueue(256, false);
    private float[] query;
    private double querySum;
    private double querySquares;

    ProbeSearcher(HnswlibGraph graph, boolean innerProduct) {
        this.graph = graph;
        this.innerProduct = innerProduct;
        this.codeStride = (CODES_HEADER + graph.dimension + 15) / 16 * 16;
        this.visitedEpoch = new int[graph.size];
    }

    /** A short name for reports. */
    abstract String name();

    /** Bytes this layout holds besides the float32 rows. */
    abstract long bytes();

    /** Estimates every unvisited level-0 neighbour of {@code node} and offers it to the beam. */
    abstract void expand(int node, int ef);

    /** Labels of the {@code k} nearest found with a beam of {@code ef}, nearest first. */
    final long[] search(float[] q, int k, int ef) {
        query = q;
        querySum = 0;
        querySquares = 0;
        for (float x : q) {
            querySum += x;
            querySquares += (double) x * x;
        }
        int current = graph.entry;
        float currentDistance = exact(current);
        for (int level = graph.maxLevel; level >= 1; level--) {
            boolean moved = true;
            while (moved) {
                moved = false;
                int[][] lists = graph.upper[current];
                for (int neighbour : level <= lists.length ? lists[level - 1] : new int[0]) {
                    float d = exact(neighbour);
                    if (d < currentDistance) {
                        currentDistance = d;
                        current = neighbour;
                        moved = true;
                    }
                }
            }
        }
        if (++epoch == Integer.MAX_VALUE) {
            Arrays.fill(visitedEpoch, 0);
            epoch = 1;
        }
        candidates.clear();
        results.clear();
        visitedEpoch[current] = epoch;
        // the entry is scored exactly in every layout: codes next to lists hold no row of its own
        offer(currentDistance, current, ef);
        while (candidates.size() > 0) {
            if (results.size() >= ef && candidates.topDistance() > results.topDistance()) {
                break;
            }
            expand(candidates.pop(), ef);
        }
        reranked.clear();
        for (int i = 0; i < results.size(); i++) {
            int node = results.nodeAt(i);
            reranked.push(node, exact(node));
        }
        long[] labels = new long[Math.min(k, reranked.size())];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = graph.labels[reranked.pop()];
        }
        return labels;
    }

    /** True the first time {@code node} is seen in this search. */
    final boolean firstVisit(int node) {
        if (visitedEpoch[node] == epoch) {
            return false;
        }
        visitedEpoch[node] = epoch;
        return true;
    }

    /** The estimated distance from the code row at {@code rowAt} of {@code codes}. */
    final float estimate(MemorySegment codes, long rowAt) {
        double bias = codes.get(FLOAT, rowAt);
        double scale = codes.get(FLOAT, rowAt + 4);
        double dot = KERNELS.dotCodes(query, codes, rowAt + CODES_HEADER);
        if (innerProduct) {
            return (float) (1 - (bias * querySum + scale * dot));
        }
        double codeSum = codes.get(INT, rowAt + 8);
        double codeSquares = codes.get(INT, rowAt + 12);
        return (float)
                Math.max(
                        0,
                        querySquares
                                + bias * (query.length * bias - 2 * querySum)
                                - 2 * scale * (dot - bias * codeSum)
                                + scale * scale * codeSquares);
    }

    /** Puts {@code node} in the beam when it is among the {@code ef} best so far. */
    final void offer(float distance, int node, int ef) {
        if (results.size() < ef) {
            candidates.push(node, distance);
            results.push(node, distance);
        } else if (distance < results.topDistance()) {
            candidates.push(node, distance);
            results.replaceTop(node, distance);
        }
    }

    /** Writes the int8 code row of {@code node} at {@code at} of {@code codes}. */
    final void encode(int node, MemorySegment codes, long at) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long row = graph.rowOffset(node);
        for (int i = 0; i < graph.dimension; i++) {
            double x = graph.rows.get(FLOAT, row + 4L * i);
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        float scale = (float) ((max - min) / 255);
        float bias = scale == 0f ? (float) min : (float) (min + 128.0 * scale);
        int sum = 0;
        int squares = 0;
        for (int i = 0; i < graph.dimension && scale != 0f; i++) {
            double x = graph.rows.get(FLOAT, row + 4L * i);
            int code = (int) Math.clamp(Math.round((x - bias) / scale), -128, 127);
            codes.set(ValueLayout.JAVA_BYTE, at + CODES_HEADER + i, (byte) code);
            sum += code;
            squares += code * code;
        }
        codes.set(FLOAT, at, bias);
        codes.set(FLOAT, at + 4, scale);
        codes.set(INT, at + 8, sum);
        codes.set(INT, at + 12, squares);
    }

    private float exact(int node) {
        long at = graph.rowOffset(node);
        return innerProduct
                ? 1f - KERNELS.dot(query, graph.rows, at)
                : KERNELS.squaredL2(query, graph.rows, at);
    }
}
