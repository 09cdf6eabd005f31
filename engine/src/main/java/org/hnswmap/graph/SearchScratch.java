package org.hnswmap.graph;

/**
 * The reusable working memory of one searching or inserting thread: visited marks, the beam of an
 * unfiltered search, the two heaps of a filtered one and id buffers. Keeping one per thread makes a
 * search allocation-free.
 *
 * <p>Not thread-safe: owned by one thread at a time.
 */
public final class SearchScratch {

    final VisitedSet visited = new VisitedSet();
    final NeighborQueue candidates = new NeighborQueue(256, false);
    final NeighborQueue results = new NeighborQueue(256, true);
    final BeamPool beam = new BeamPool();

    /** Whether the last {@link HnswSearcher#searchLayer} kept its best in {@link #beam}. */
    boolean beamUsed;

    final ScoredLog scoredLog = new ScoredLog();
    final int[] neighborIds;
    final int[] unvisitedIds;
    final float[] unvisitedDistances;
    int[] sortedNodes = new int[256];
    float[] sortedDistances = new float[256];
    final int[] selected;
    final int[] pruned;

    /**
     * Where a search stores what {@link GraphView#touchNeighbors} returns: a store keeps the loads
     * without making anything wait for them.
     */
    int touchSink;

    /**
     * @param maxDegree the largest neighbour count of any level (level 0's {@code 2M})
     */
    public SearchScratch(int maxDegree) {
        this.neighborIds = new int[maxDegree + 1];
        this.unvisitedIds = new int[maxDegree + 1];
        this.unvisitedDistances = new float[maxDegree + 1];
        this.selected = new int[maxDegree + 1];
        this.pruned = new int[maxDegree + 1];
    }

    void ensureSortedCapacity(int n) {
        if (sortedNodes.length < n) {
            sortedNodes = new int[n];
            sortedDistances = new float[n];
        }
    }

    /**
     * Sorts the pairs ({@code ids[i]}, {@code distances[i]}), {@code i < count}, nearest first
     * (ties by id) into {@link #sortedNodes} and {@link #sortedDistances}, which may be the inputs;
     * returns {@code count}.
     */
    int sortAscending(int[] ids, float[] distances, int count) {
        NeighborQueue byDistance = candidates;
        byDistance.clear();
        for (int i = 0; i < count; i++) {
            byDistance.push(ids[i], distances[i]);
        }
        ensureSortedCapacity(count);
        return byDistance.drainAscending(sortedNodes, sortedDistances);
    }

    /**
     * Moves up to {@code k} of the last {@link HnswSearcher#searchLayer}'s best into {@code
     * outNodes} and {@code outDistances}, nearest first; returns how many. {@code k} may exceed
     * what the search kept (the builder takes them all).
     */
    int drainBeam(int k, int[] outNodes, float[] outDistances) {
        if (!beamUsed) {
            return results.drainNearest(k, outNodes, outDistances);
        }
        int n = Math.min(k, beam.size());
        for (int i = 0; i < n; i++) {
            outNodes[i] = beam.nodeAt(i);
            outDistances[i] = beam.distanceAt(i);
        }
        return n;
    }

    /** How many the last {@link HnswSearcher#searchLayer} kept. */
    int beamSize() {
        return beamUsed ? beam.size() : results.size();
    }
}
