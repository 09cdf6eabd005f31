package org.hnswmap.graph;

import java.util.function.IntPredicate;

/**
 * HNSW search over any {@link GraphView} (Malkov and Yashunin, algorithms 2 and 5): a greedy
 * descent through the upper levels, then a beam search of width {@code ef} on level 0.
 *
 * <p>Stateless: all working memory is in the caller's {@link SearchScratch}, so concurrent searches
 * are safe as long as each thread uses its own scratch.
 */
public final class HnswSearcher {

    /** {@link #descendAndSearchBase}: the graph is empty, nothing found. */
    private static final int EMPTY = 0;

    /** {@link #descendAndSearchBase}: level 0 scored more than the visit limit allows. */
    private static final int VISIT_LIMIT_REACHED = -1;

    /** {@link #descendAndSearchBase}: {@code scratch.results} holds the beam's best. */
    private static final int SEARCHED = 1;

    private HnswSearcher() {}

    /**
     * Finds up to {@code k} nearest accepted nodes.
     *
     * @param accept nodes that may be returned (all when null); rejected nodes still guide the
     *     search
     * @param visitLimit most nodes level 0 may score before the search gives up (Lucene's
     *     visitedLimit, for selective filters)
     * @param outNodes receives the nodes, nearest first
     * @param outDistances receives their distances
     * @return how many were found (less than {@code k} when the graph has fewer accepted nodes), or
     *     -1 when {@code visitLimit} was reached
     */
    public static int search(
            GraphView graph,
            NodeScorer scorer,
            int k,
            int ef,
            IntPredicate accept,
            int visitLimit,
            SearchScratch scratch,
            int[] outNodes,
            float[] outDistances) {
        int outcome =
                descendAndSearchBase(
                        graph, scorer, Math.max(ef, k), accept, visitLimit, scratch, null);
        return outcome == SEARCHED ? scratch.drainBeam(k, outNodes, outDistances) : outcome;
    }

    /**
     * Like {@link #search}, but returns up to {@code poolSize} nearest accepted nodes among all the
     * level-0 beam search of width {@code ef} scored, not only the {@code ef} it kept: with
     * approximate distances the beam finds the true nearest long before their estimates rank them
     * in its best {@code ef}, so a re-ranking step can take a wider pool than the beam without
     * widening the beam (bench/RESULTS.md).
     */
    public static int searchPool(
            GraphView graph,
            NodeScorer scorer,
            int poolSize,
            int ef,
            IntPredicate accept,
            int visitLimit,
            SearchScratch scratch,
            int[] outNodes,
            float[] outDistances) {
        ScoredLog log = scratch.scoredLog;
        log.clear();
        int outcome = descendAndSearchBase(graph, scorer, ef, accept, visitLimit, scratch, log);
        return outcome == SEARCHED ? log.drainNearest(poolSize, outNodes, outDistances) : outcome;
    }

    /**
     * The part {@link #search} and {@link #searchPool} share: greedy descent from the entry point,
     * then the beam search of width {@code ef} on level 0 (logging what it scores into {@code log}
     * when not null).
     *
     * @return {@link #SEARCHED}, {@link #EMPTY} or {@link #VISIT_LIMIT_REACHED}
     */
    private static int descendAndSearchBase(
            GraphView graph,
            NodeScorer scorer,
            int ef,
            IntPredicate accept,
            int visitLimit,
            SearchScratch scratch,
            ScoredLog log) {
        int entry = graph.entryPoint();
        if (entry < 0) {
            return EMPTY;
        }
        int nearest = greedyDescend(graph, scorer, entry, graph.maxLevel(), 0, scratch);
        return searchLayer(graph, scorer, nearest, ef, 0, accept, visitLimit, scratch, log)
                ? SEARCHED
                : VISIT_LIMIT_REACHED;
    }

    /**
     * Moves greedily from {@code entry} towards the query on each level from {@code fromLevel} down
     * to {@code toLevel + 1}, and returns the nearest node found.
     *
     * <p>NOTE: the entry is scored through the same {@link NodeScorer#distances} call as the lists
     * (the first batch holds only the entry), so C2 inlines the distance kernel once here: with a
     * second call site the method reached C2's node-count cutoff and calls to small helpers stayed
     * calls (bench/RESULTS.md, 2026-11-29). The same holds for {@link #searchLayer}.
     */
    static int greedyDescend(
            GraphView graph,
            NodeScorer scorer,
            int entry,
            int fromLevel,
            int toLevel,
            SearchScratch scratch) {
        if (fromLevel <= toLevel) {
            return entry;
        }
        int[] ids = scratch.neighborIds;
        float[] distances = scratch.unvisitedDistances;
        int current = entry;
        float currentDistance = Float.POSITIVE_INFINITY;
        int level = fromLevel;
        ids[0] = entry;
        int count = 1;
        while (true) {
            scorer.distances(ids, count, distances);
            boolean moved = false;
            for (int i = 0; i < count; i++) {
                float d = distances[i];
                if (d < currentDistance) {
                    currentDistance = d;
                    current = ids[i];
                    moved = true;
                }
            }
            if (!moved && --level <= toLevel) {
                return current;
            }
            count = graph.neighbors(current, level, ids);
        }
    }

    /**
     * Beam search of width {@code ef} on one level from {@code entry}; leaves the best {@code ef}
     * accepted nodes for {@link SearchScratch#drainBeam}. Follows hnswlib's {@code
     * searchBaseLayerST}: with a filter, the search goes on until {@code ef} accepted nodes are
     * held. The entry is the first batch scored (see {@link #greedyDescend} for why).
     *
     * @param log when not null, receives every accepted node scored, with its distance (see {@link
     *     #searchPool})
     * @return false when more than {@code visitLimit} nodes were scored (the results are then
     *     incomplete)
     */
    static boolean searchLayer(
            GraphView graph,
            NodeScorer scorer,
            int entry,
            int ef,
            int level,
            IntPredicate accept,
            int visitLimit,
            SearchScratch scratch,
            ScoredLog log) {
        scratch.beamUsed = accept == null;
        return accept == null
                ? searchLayerBeam(graph, scorer, entry, ef, level, visitLimit, scratch, log)
                : searchLayerHeaps(
                        graph, scorer, entry, ef, level, accept, visitLimit, scratch, log);
    }

    /**
     * {@link #searchLayer} without a filter: one sorted beam ({@link BeamPool}) instead of two
     * heaps.
     */
    private static boolean searchLayerBeam(
            GraphView graph,
            NodeScorer scorer,
            int entry,
            int ef,
            int level,
            int visitLimit,
            SearchScratch scratch,
            ScoredLog log) {
        BeamPool beam = scratch.beam;
        VisitedSet visited = scratch.visited;
        int[] unvisited = scratch.unvisitedIds;
        float[] distances = scratch.unvisitedDistances;
        beam.clear(ef);
        visited.reset(graph.nodeBound());
        visited.add(entry);
        unvisited[0] = entry;
        int fresh = 1;
        int scored = 1;
        while (true) {
            // As in searchLayerHeaps: the nearest node not yet expanded is most often the next
            int next = beam.nearestUnexpanded();
            if (next >= 0) {
                scratch.touchSink ^= graph.touchNeighbors(next, level);
            }
            scorer.distances(unvisited, fresh, distances);
            if (log != null) {
                log.add(unvisited, distances, fresh, null);
            }
            for (int i = 0; i < fresh; i++) {
                beam.offer(unvisited[i], distances[i]);
            }
            fresh = 0;
            while (fresh == 0) {
                int expand = beam.expandNearest();
                if (expand < 0) {
                    return true;
                }
                fresh = unvisitedNeighbors(graph, expand, level, scratch);
                scored += fresh;
                if (scored > visitLimit) {
                    return false;
                }
            }
        }
    }

    /** {@link #searchLayer} with a filter: hnswlib's two heaps. */
    private static boolean searchLayerHeaps(
            GraphView graph,
            NodeScorer scorer,
            int entry,
            int ef,
            int level,
            IntPredicate accept,
            int visitLimit,
            SearchScratch scratch,
            ScoredLog log) {
        NeighborQueue candidates = scratch.candidates;
        NeighborQueue results = scratch.results;
        VisitedSet visited = scratch.visited;
        int[] unvisited = scratch.unvisitedIds;
        float[] distances = scratch.unvisitedDistances;
        candidates.clear();
        results.clear();
        visited.reset(graph.nodeBound());
        visited.add(entry);
        unvisited[0] = entry;
        int fresh = 1;
        int scored = 1;
        float bound = Float.POSITIVE_INFINITY;
        while (true) {
            // Scored together, then applied in list order: the same results as one at a time,
            // with the memory loads of consecutive rows overlapping.
            if (candidates.size() > 0) {
                // The nearest waiting candidate is most often the one expanded next: its list's
                // misses overlap with scoring this batch (bench/RESULTS.md, 2026-12-06).
                scratch.touchSink ^= graph.touchNeighbors(candidates.topNode(), level);
            }
            scorer.distances(unvisited, fresh, distances);
            if (log != null) {
                log.add(unvisited, distances, fresh, accept);
            }
            for (int i = 0; i < fresh; i++) {
                int node = unvisited[i];
                float d = distances[i];
                if (results.size() < ef || d < bound) {
                    candidates.push(node, d);
                    if (accept == null || accept.test(node)) {
                        if (results.size() < ef) {
                            results.push(node, d);
                        } else {
                            // d < bound, the farthest held: it takes that one's place.
                            results.replaceTop(node, d);
                        }
                    }
                    if (results.size() > 0) {
                        bound = results.topDistance();
                    }
                }
            }
            fresh = 0;
            while (fresh == 0) {
                if (candidates.size() == 0) {
                    return true;
                }
                float nearest = candidates.topDistance();
                if (nearest > bound && (results.size() >= ef || accept == null)) {
                    return true;
                }
                fresh = unvisitedNeighbors(graph, candidates.pop(), level, scratch);
                scored += fresh;
                if (scored > visitLimit) {
                    return false;
                }
            }
        }
    }

    /**
     * Reads {@code node}'s list on {@code level}, marks its neighbours visited and puts those not
     * visited before into {@code scratch.unvisitedIds}; returns how many.
     */
    private static int unvisitedNeighbors(
            GraphView graph, int node, int level, SearchScratch scratch) {
        int count = graph.neighbors(node, level, scratch.neighborIds);
        return scratch.visited.addAll(scratch.neighborIds, count, scratch.unvisitedIds);
    }
}
