package org.hnswmap.bench.layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
import org.hnswmap.graph.NeighborQueue;

/**
 * HNSW search over one layout of traversal codes: a greedy descent on the upper levels with exact
 * distances, a beam of {@code ef} at level 0 on the codes' estimates, then the whole beam re-ranked
 * with exact float32 distances, as hnswmap's int8 traversal does. The {@link CodeFormat} says what
 * a code row holds; subclasses say only where a neighbour's row is ({@link #expand}). Two layouts
 * of one format estimate alike and walk alike, so they answer alike and differ in memory traffic
 * only.
 *
 * <p>Not thread-safe: one searcher per thread.
 */
abstract class ProbeSearcher {

    static final ValueLayout.OfInt INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final DistanceKernels KERNELS = KernelProvider.kernels();

    final HnswlibGraph graph;
    final boolean innerProduct;

    /** How a code row is written and read. */
    final CodeFormat format;

    /** Bytes of one code row. */
    final int codeStride;

    /**
     * Bytes allocated after the last code row: the engine's code kernels read 4 bytes past a row on
     * 128-bit CPUs (their 64-bit loads).
     */
    static final int KERNEL_SLACK = 16;

    /** The unvisited neighbours of the node being expanded, for the layouts that gather them. */
    final int[] unvisited;

    private final int[] visitedEpoch;
    private int epoch;
    private final NeighborQueue candidates = new NeighborQueue(256, false);
    private final NeighborQueue results = new NeighborQueue(256, true);
    private final NeighborQueue reranked = new NeighborQueue(256, false);

    /** The query of the search under way, its sum and its sum of squares (for the estimates). */
    float[] query;

    double querySum;
    double querySquares;

    ProbeSearcher(HnswlibGraph graph, boolean innerProduct, CodeFormat format) {
        this.format = format;
        this.graph = graph;
        this.innerProduct = innerProduct;
        this.codeStride = format.rowBytes(graph.dimension);
        this.visitedEpoch = new int[graph.size];
        this.unvisited = new int[graph.maxDegree0];
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
        format.prepare(q);
        int current = graph.entry;
        float currentDistance = exact(current);
        for (int level = graph.maxLevel; level >= 1; level--) {
            boolean moved = true;
            while (moved) {
                moved = false;
                // a node reached on a level has lists up to it: the walk starts at the entry,
                // on its top level, and moves only to neighbours listed on that level
                for (int neighbour : graph.upper[current][level - 1]) {
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

    /**
     * Loads one int in every cache line of the code row of each of {@code nodes[0..count)} (node
     * n's row at {@code n * stride} in {@code rows}), so that their misses are in flight together
     * as in hnswmap's scorer, then offers each node its estimate.
     */
    final void touchAndOffer(MemorySegment rows, long stride, int[] nodes, int count, int ef) {
        int touched = 0;
        for (int j = 0; j < count; j++) {
            long row = nodes[j] * stride;
            for (int line = 0; line < codeStride; line += 64) {
                touched ^= rows.get(INT, row + line);
            }
        }
        float zero = touched * 0f; // keeps the loads; 0 or -0
        for (int j = 0; j < count; j++) {
            offer(format.estimate(rows, nodes[j] * stride, this) + zero, nodes[j], ef);
        }
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

    private float exact(int node) {
        long at = graph.rowOffset(node);
        return innerProduct
                ? 1f - KERNELS.dot(query, graph.rows, at)
                : KERNELS.squaredL2(query, graph.rows, at);
    }
}
