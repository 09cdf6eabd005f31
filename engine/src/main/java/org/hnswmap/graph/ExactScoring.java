package org.hnswmap.graph;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Exact scoring of given nodes: all of a small graph's accepted nodes ({@link #exactSearch}), or
 * the candidates an approximate search found ({@link #rerank}), keeping the {@code k} nearest. The
 * step after {@link HnswSearcher} when traversal used approximate distances, or instead of it when
 * a search under a selective filter reached its visit limit.
 *
 * <p>Stateless: the working memory is the caller's {@link SearchScratch}.
 */
public final class ExactScoring {

    private ExactScoring() {}

    /**
     * Exact search: scores every accepted node below {@code nodeBound} (or, when {@code candidates}
     * is not null, every accepted node of {@code candidates[0..candidateCount)}) and keeps the
     * {@code k} nearest.
     */
    public static int exactSearch(
            int nodeBound,
            int[] candidates,
            int candidateCount,
            NodeScorer scorer,
            int k,
            IntPredicate accept,
            SearchScratch scratch,
            int[] outNodes,
            float[] outDistances) {
        NeighborQueue results = scratch.results;
        results.clear();
        int count = candidates == null ? nodeBound : candidateCount;
        for (int i = 0; i < count; i++) {
            int node = candidates == null ? i : candidates[i];
            if (accept != null && !accept.test(node)) {
                continue;
            }
            float d = scorer.distance(node);
            if (results.size() < k) {
                results.push(node, d);
            } else if (d < results.topDistance()) {
                results.pop();
                results.push(node, d);
            }
        }
        return results.drainNearest(k, outNodes, outDistances);
    }

    /**
     * Candidates a re-rank scores together: their rows are requested together (on a file larger
     * than memory, their disk reads overlap) and scored four at a time; after each batch the
     * re-rank may stop.
     */
    static final int RERANK_BATCH = 16;

    /**
     * Re-scores {@code nodes[0..count)} (results of a search with approximate distances {@code
     * approximate[0..count)}) with {@code exact} and keeps the {@code k} nearest, nearest first.
     *
     * <p>When {@code bounds} is not null, candidates are scored in order of their lower bound, a
     * batch at a time, and the re-rank stops when the next candidate's lower bound exceeds the
     * {@code k}-th exact distance found so far: that candidate and all after it are farther than
     * {@code k} others, so the result is the one of re-scoring them all, from far fewer rows (on an
     * index larger than memory, each row not scored is a disk read saved). {@code outNodes} may be
     * {@code nodes}, {@code outDistances} may be {@code approximate}.
     *
     * @return how many were kept: {@code min(k, count)}
     */
    public static int rerank(
            int[] nodes,
            float[] approximate,
            int count,
            BoundedScorer bounds,
            NodeScorer exact,
            int k,
            SearchScratch scratch,
            int[] outNodes,
            float[] outDistances) {
        NeighborQueue results = scratch.results;
        results.clear();
        if (bounds == null || count <= k) {
            float[] exactDistances = new float[count];
            exact.distances(nodes, count, exactDistances);
            for (int i = 0; i < count; i++) {
                results.push(nodes[i], exactDistances[i]);
            }
            return results.drainNearest(k, outNodes, outDistances);
        }
        long[] byLowerBound = new long[count];
        for (int i = 0; i < count; i++) {
            byLowerBound[i] =
                    NeighborQueue.encode(nodes[i], bounds.lowerBound(nodes[i], approximate[i]));
        }
        Arrays.sort(byLowerBound);
        int[] batch = new int[RERANK_BATCH];
        float[] batchDistances = new float[RERANK_BATCH];
        int next = 0;
        while (next < count) {
            if (results.size() == k
                    && NeighborQueue.decodeDistance(byLowerBound[next]) > results.topDistance()) {
                break;
            }
            int n = Math.min(RERANK_BATCH, count - next);
            for (int i = 0; i < n; i++) {
                batch[i] = (int) byLowerBound[next + i];
            }
            exact.distances(batch, n, batchDistances);
            for (int i = 0; i < n; i++) {
                if (results.size() < k) {
                    results.push(batch[i], batchDistances[i]);
                } else if (NeighborQueue.encode(batch[i], batchDistances[i])
                        < NeighborQueue.encode(results.topNode(), results.topDistance())) {
                    results.replaceTop(batch[i], batchDistances[i]);
                }
            }
            next += n;
        }
        return results.drainNearest(k, outNodes, outDistances);
    }
}
