package org.hnswmap.index;

import java.util.Arrays;
import java.util.BitSet;
import java.util.function.IntPredicate;
import java.util.function.LongPredicate;
import org.hnswmap.graph.BoundedScorer;
import org.hnswmap.graph.ExactScoring;
import org.hnswmap.graph.GraphVectors;
import org.hnswmap.graph.GraphView;
import org.hnswmap.graph.HnswSearcher;
import org.hnswmap.graph.NodeScorer;
import org.hnswmap.graph.SearchScratch;
import org.hnswmap.storage.IndexStore;

/**
 * Runs one query against the store: plain HNSW search, or a filtered one that falls back to exact
 * search when the filter is selective (Lucene's rule: once the graph search has scored more nodes
 * than the filter admits, scoring the admitted nodes directly is cheaper and exact). With int8
 * traversal the graph is walked on the int8 copy and its {@code max(ef, k)} best are re-ranked by
 * float32 distance (minus those the int8 error bounds rule out of the {@code k} nearest); with
 * one-bit traversal the {@code 2 x max(ef, k)} nearest by estimate of all the nodes the walk scored
 * are ({@link GraphVectors#rerankPoolSize}). Returned distances are always exact. Deleted elements
 * are never returned but still guide the search.
 *
 * <p>Thread-safe: working memory is per thread.
 */
final class QueryEngine {

    /** A label predicate of unknown selectivity gives up the graph after this share of nodes. */
    static final double PREDICATE_VISIT_SHARE = 0.1;

    private final IndexStore store;
    private final ThreadLocal<SearchScratch> scratch;

    /** Re-rank pool as a multiple of the beam width; NaN: the traversal codes' own. */
    private volatile double rerankPool = Double.NaN;

    QueryEngine(IndexStore store) {
        this.store = store;
        int maxDegree = store.config().maxDegree0();
        this.scratch = ThreadLocal.withInitial(() -> new SearchScratch(maxDegree));
    }

    void setRerankPool(double ratio) {
        this.rerankPool = ratio;
    }

    double rerankPool() {
        return rerankPool;
    }

    /** Unfiltered: the k nearest live elements. */
    SearchResult search(float[] query, int k, int ef) {
        GraphView view = store.searchView();
        return run(view, query, k, ef, store.resultFilter(), Integer.MAX_VALUE, null, 0);
    }

    /** The k nearest live elements whose label passes {@code labelFilter}. */
    SearchResult search(float[] query, int k, int ef, LongPredicate labelFilter) {
        GraphView view = store.searchView();
        IntPredicate accept = node -> returnable(node) && labelFilter.test(store.labelOf(node));
        int limit =
                (int)
                        Math.max(
                                (long) ef * store.config().maxDegree0(),
                                (long) (view.nodeBound() * PREDICATE_VISIT_SHARE));
        return run(view, query, k, ef, accept, limit, null, 0);
    }

    /**
     * The k nearest live elements among {@code allowedLabels} (labels not in the index are
     * ignored).
     */
    SearchResult search(float[] query, int k, int ef, long[] allowedLabels) {
        GraphView view = store.searchView();
        int[] nodes = new int[allowedLabels.length];
        int count = 0;
        BitSet allowed = new BitSet(view.nodeBound());
        for (long label : allowedLabels) {
            int node = store.findNode(label);
            if (node >= 0 && node < view.nodeBound() && !allowed.get(node)) {
                allowed.set(node);
                nodes[count++] = node;
            }
        }
        IntPredicate accept = node -> allowed.get(node) && returnable(node);
        return run(view, query, k, ef, accept, count, nodes, count);
    }

    private boolean returnable(int node) {
        return !store.isDeleted(node) && store.isVisible(node);
    }

    private SearchResult run(
            GraphView view,
            float[] query,
            int k,
            int ef,
            IntPredicate accept,
            int visitLimit,
            int[] candidates,
            int candidateCount) {
        SearchScratch s = scratch.get();
        GraphVectors vectors = store.vectors();
        NodeScorer scorer = vectors.queryScorer(query, view.nodeBound());
        boolean rerank = vectors.traversalApproximate();
        NodeScorer traversal = rerank ? vectors.traversalScorer(query) : scorer;
        int beamWidth = Math.max(ef, k);
        double pool = rerankPool;
        int keep =
                !rerank
                        ? k
                        : Double.isNaN(pool)
                                ? vectors.rerankPoolSize(beamWidth)
                                : (int) Math.max(k, Math.ceil(pool * beamWidth));
        int[] nodes = new int[keep];
        float[] distances = new float[keep];
        int found =
                keep > beamWidth
                        ? HnswSearcher.searchPool(
                                view,
                                traversal,
                                keep,
                                beamWidth,
                                accept,
                                visitLimit,
                                s,
                                nodes,
                                distances)
                        : HnswSearcher.search(
                                view, traversal, keep, ef, accept, visitLimit, s, nodes, distances);
        if (found >= 0 && rerank) {
            BoundedScorer bounds = traversal instanceof BoundedScorer b ? b : null;
            found =
                    ExactScoring.rerank(
                            nodes, distances, found, bounds, scorer, k, s, nodes, distances);
        } else if (found < 0) {
            found =
                    ExactScoring.exactSearch(
                            view.nodeBound(),
                            candidates,
                            candidateCount,
                            scorer,
                            k,
                            accept,
                            s,
                            nodes,
                            distances);
        }
        long[] labels = new long[found];
        for (int i = 0; i < found; i++) {
            labels[i] = store.labelOf(nodes[i]);
        }
        return new SearchResult(labels, Arrays.copyOf(distances, found));
    }
}
