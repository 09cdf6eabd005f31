package org.hnswmap.graph;

import java.util.concurrent.locks.ReentrantLock;
import org.agrona.collections.IntHashSet;

/**
 * Inserts nodes into a {@link MutableGraph}: HNSW construction as in Malkov and Yashunin (algorithm
 * 1) and hnswlib's {@code addPoint}.
 *
 * <p>Glossary: {@code m} is the number of neighbours a new node selects on each level; {@code
 * maxDegree(level)} caps a list ({@code 2m} on level 0, {@code m} above); {@code efConstruction} is
 * the beam width used to find candidates during insertion.
 *
 * <p>When {@link GraphVectors#traversalApproximate()} (int8 or one-bit traversal), an insert walks
 * the graph on the approximate scorer and re-scores its {@code efConstruction} candidates exactly
 * before it selects neighbours, so every list is chosen on exact distances.
 *
 * <p>Thread-safe: many threads may insert at once (each a different node), and searches may run
 * meanwhile. One node's lists are changed only under that node's stripe lock; an insert that raises
 * the top level holds the global lock throughout, as hnswlib does.
 */
public final class HnswBuilder {

    private static final int LOCK_STRIPES = 1 << 12;

    private final MutableGraph graph;
    private final GraphVectors vectors;
    private final int m;
    private final int efConstruction;
    private final Object[] nodeLocks = new Object[LOCK_STRIPES];
    private final ReentrantLock globalLock = new ReentrantLock();
    private final ThreadLocal<SearchScratch> scratch;

    /** Which full level-0 lists a new back-link can be checked against in about 2M distances. */
    private final ClosedLists closedLists;

    private final NeighborHeuristic heuristic;

    public HnswBuilder(MutableGraph graph, GraphVectors vectors, int m, int efConstruction) {
        this(graph, vectors, m, efConstruction, new ClosedLists());
    }

    /** With the given record of closed lists (tests pass one that counts or refuses shortcuts). */
    HnswBuilder(
            MutableGraph graph,
            GraphVectors vectors,
            int m,
            int efConstruction,
            ClosedLists closedLists) {
        this.closedLists = closedLists;
        this.graph = graph;
        this.vectors = vectors;
        this.heuristic = new NeighborHeuristic(vectors);
        this.m = m;
        this.efConstruction = efConstruction;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            nodeLocks[i] = new Object();
        }
        int maxDegree = graph.maxDegree(0);
        this.scratch = ThreadLocal.withInitial(() -> new SearchScratch(maxDegree));
    }

    /**
     * Links {@code node}, whose vector is already stored and whose lists are empty, into the graph
     * on levels {@code 0..nodeLevel}.
     *
     * <ol>
     *   <li>If the node raises the top level, hold the global lock so that no other insert reads a
     *       half-raised entry point.
     *   <li>Descend greedily from the entry point to level {@code nodeLevel + 1}.
     *   <li>On each level from {@code min(nodeLevel, maxLevel)} to 0: beam search with {@code
     *       efConstruction}, select {@code m} neighbours by the heuristic, write them as the node's
     *       list, and continue from the nearest selected node.
     *   <li>Only then add the back-links on every level (pruning full lists with the same
     *       heuristic): the node becomes reachable with all its lists in place. (Linking level by
     *       level, as hnswlib does, let a concurrent insert reach the node while its lower lists
     *       were still empty and strand its own node.)
     *   <li>Publish the node as entry point if it is now the highest.
     * </ol>
     */
    public void insert(int node, int nodeLevel) {
        boolean holdsGlobal = nodeLevel > graph.maxLevel();
        if (holdsGlobal) {
            globalLock.lock();
        }
        try {
            int entry = graph.entryPoint();
            int topLevel = graph.maxLevel();
            if (entry < 0) {
                graph.setEntryPoint(node, nodeLevel);
                return;
            }
            if (holdsGlobal && nodeLevel <= topLevel) {
                holdsGlobal = false; // another insert raised the level first
                globalLock.unlock();
            }
            link(node, nodeLevel, entry, topLevel);
            if (holdsGlobal) {
                graph.setEntryPoint(node, nodeLevel);
            }
        } finally {
            if (holdsGlobal) {
                globalLock.unlock();
            }
        }
    }

    /**
     * Relinks {@code node}, already in the graph on levels {@code 0..nodeLevel}, after its vector
     * was replaced (hnswlib's {@code updatePoint} with update probability 1, used for
     * replace-deleted): on each level, every former neighbour re-selects its list by the heuristic
     * from the node's one- and two-hop neighbourhood; then the node finds its own neighbours anew
     * from the entry point and links back to them.
     */
    public void update(int node, int nodeLevel) {
        closedLists.newEpoch(); // the node's distances to every list it is in have changed
        SearchScratch s = scratch.get();
        for (int level = 0; level <= nodeLevel; level++) {
            repairNeighbourhood(node, level, s);
        }
        int entry = graph.entryPoint();
        int topLevel = graph.maxLevel();
        if (entry < 0 || (entry == node && graph.nodeBound() == 1)) {
            return;
        }
        link(node, nodeLevel, entry, topLevel);
    }

    /**
     * Gives every level-0 node that no list points to an in-link again; returns how many it
     * relinked. Re-selecting a neighbourhood (an {@link #update}, as hnswlib's {@code updatePoint})
     * keeps each list diverse by the heuristic and may drop a node's last in-link, which leaves the
     * node unreachable by any search (hnswlib has the same weakness). Each such node goes into the
     * list of its nearest out-neighbour, in place of the entry farthest from that neighbour among
     * those that keep another in-link, so no node is orphaned in turn. Must not run concurrently
     * with inserts; O(N x maxDegree).
     */
    public int relinkOrphans() {
        int bound = graph.nodeBound();
        int entry = graph.entryPoint();
        if (bound < 2) {
            return 0;
        }
        int[] inDegree = new int[bound];
        int[] ids = new int[graph.maxDegree(0) + 1];
        for (int node = 0; node < bound; node++) {
            int count = graph.neighbors(node, 0, ids);
            for (int i = 0; i < count; i++) {
                inDegree[ids[i]]++;
            }
        }
        int relinked = 0;
        for (int node = 0; node < bound; node++) {
            if (inDegree[node] == 0 && node != entry && relink(node, inDegree, ids)) {
                relinked++;
            }
        }
        return relinked;
    }

    /** Puts orphan {@code node} into the list of its nearest out-neighbour that can take it. */
    private boolean relink(int node, int[] inDegree, int[] ids) {
        int count = graph.neighbors(node, 0, ids);
        int[] targets = java.util.Arrays.copyOf(ids, count);
        NodeScorer fromNode = vectors.nodeScorer(node, graph.nodeBound());
        float[] toTarget = new float[count];
        fromNode.distances(targets, count, toTarget);
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(toTarget[a], toTarget[b]));
        int maxDegree = graph.maxDegree(0);
        for (int t : order) {
            int target = targets[t];
            int n = graph.neighbors(target, 0, ids);
            if (n < maxDegree) {
                ids[n++] = node;
            } else {
                NodeScorer fromTarget = vectors.nodeScorer(target, graph.nodeBound());
                int replace = -1;
                float farthest = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    float d = fromTarget.distance(ids[i]);
                    if (inDegree[ids[i]] >= 2 && d > farthest) {
                        farthest = d;
                        replace = i;
                    }
                }
                if (replace < 0) {
                    continue; // every entry's only in-link is here: try the next neighbour
                }
                inDegree[ids[replace]]--;
                ids[replace] = node;
            }
            graph.setNeighbors(target, 0, ids, n);
            inDegree[node]++;
            return true;
        }
        return false;
    }

    private void repairNeighbourhood(int node, int level, SearchScratch s) {
        int[] ids = s.neighborIds;
        int count = graph.neighbors(node, level, ids);
        if (count == 0) {
            return;
        }
        int[] oneHop = java.util.Arrays.copyOf(ids, count);
        IntHashSet candidates = new IntHashSet();
        candidates.add(node);
        for (int neighbour : oneHop) {
            candidates.add(neighbour);
            int n = graph.neighbors(neighbour, level, ids);
            for (int i = 0; i < n; i++) {
                candidates.add(ids[i]);
            }
        }
        for (int neighbour : oneHop) {
            int kept = reselect(neighbour, level, candidates, s);
            synchronized (lockFor(neighbour)) {
                if (addLinksMadeMeanwhile(neighbour, level, candidates, s)) {
                    kept = reselect(neighbour, level, candidates, s);
                }
                graph.setNeighbors(neighbour, level, s.pruned, kept);
            }
        }
    }

    /** Selects the list of {@code neighbour} from {@code candidates} into {@code s.pruned}. */
    private int reselect(int neighbour, int level, IntHashSet candidates, SearchScratch s) {
        NeighborQueue nearest = s.candidates;
        nearest.clear();
        NodeScorer fromNeighbour = vectors.nodeScorer(neighbour, graph.nodeBound());
        for (IntHashSet.IntIterator it = candidates.iterator(); it.hasNext(); ) {
            int candidate = it.nextValue();
            if (candidate != neighbour) {
                nearest.push(candidate, fromNeighbour.distance(candidate));
            }
        }
        s.ensureSortedCapacity(nearest.size());
        int n = Math.min(nearest.drainAscending(s.sortedNodes, s.sortedDistances), efConstruction);
        return heuristic.select(
                s.sortedNodes, s.sortedDistances, n, graph.maxDegree(level), s.pruned);
    }

    /**
     * Under the lock of {@code neighbour}: adds to {@code candidates} the ids its list gained since
     * they were gathered (back-links of concurrent inserts), which the re-selected list would
     * otherwise drop; returns whether there were any.
     */
    private boolean addLinksMadeMeanwhile(
            int neighbour, int level, IntHashSet candidates, SearchScratch s) {
        int[] ids = s.neighborIds;
        int n = graph.neighbors(neighbour, level, ids);
        boolean added = false;
        for (int i = 0; i < n; i++) {
            added |= candidates.add(ids[i]);
        }
        return added;
    }

    private void link(int node, int nodeLevel, int entry, int topLevel) {
        SearchScratch s = scratch.get();
        NodeScorer exact = vectors.nodeScorer(node, graph.nodeBound());
        boolean approximate = vectors.traversalApproximate();
        NodeScorer walk = approximate ? vectors.nodeTraversalScorer(node) : exact;
        int current = HnswSearcher.greedyDescend(graph, walk, entry, topLevel, nodeLevel, s);
        int lowestTop = Math.min(nodeLevel, topLevel);
        int[][] selectedByLevel = new int[lowestTop + 1][];
        // Phase 1: the node's own lists on every level. Nobody links to the node yet, so no other
        // insert can reach it with a list still empty, get stuck there, and link its own node
        // only to this one (a link the write below would then erase, stranding that node).
        for (int level = lowestTop; level >= 0; level--) {
            HnswSearcher.searchLayer(
                    graph, walk, current, efConstruction, level, null, Integer.MAX_VALUE, s, null);
            int found = drainExcluding(s, node);
            if (approximate) {
                rescoreExactly(s, found, exact);
            }
            int count = heuristic.select(s.sortedNodes, s.sortedDistances, found, m, s.selected);
            selectedByLevel[level] = java.util.Arrays.copyOf(s.selected, count);
            synchronized (lockFor(node)) {
                graph.setNeighbors(node, level, s.selected, count);
            }
            if (count > 0) {
                current = s.selected[0];
            }
        }
        // Phase 2: back-links, which make the node reachable.
        for (int level = lowestTop; level >= 0; level--) {
            for (int neighbor : selectedByLevel[level]) {
                connect(neighbor, node, level, s);
            }
        }
    }

    /**
     * Replaces the approximate distances of the first {@code count} sorted candidates by exact ones
     * and sorts them again, so neighbour selection sees only exact distances.
     */
    private static void rescoreExactly(SearchScratch s, int count, NodeScorer exact) {
        exact.distances(s.sortedNodes, count, s.sortedDistances);
        s.sortAscending(s.sortedNodes, s.sortedDistances, count);
    }

    /** Moves the search results into the sorted buffers, nearest first, dropping {@code self}. */
    private static int drainExcluding(SearchScratch s, int self) {
        int n = s.beamSize();
        s.ensureSortedCapacity(n);
        n = s.drainBeam(n, s.sortedNodes, s.sortedDistances);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (s.sortedNodes[i] != self) {
                s.sortedNodes[kept] = s.sortedNodes[i];
                s.sortedDistances[kept] = s.sortedDistances[i];
                kept++;
            }
        }
        return kept;
    }

    /** Adds {@code newNode} to the list of {@code target}, pruning by the heuristic when full. */
    private void connect(int target, int newNode, int level, SearchScratch s) {
        int[] ids = s.neighborIds;
        synchronized (lockFor(target)) {
            int count = graph.neighbors(target, level, ids);
            for (int i = 0; i < count; i++) {
                if (ids[i] == newNode) {
                    return;
                }
            }
            int maxDegree = graph.maxDegree(level);
            if (count < maxDegree) {
                ids[count] = newNode;
                graph.setNeighbors(target, level, ids, count + 1);
                return;
            }
            boolean closed = level == 0 && closedLists.isClosed(target, ids, count);
            ids[count] = newNode;
            int pruned =
                    pruneByHeuristic(target, ids, count + 1, maxDegree, closed ? newNode : -1, s);
            graph.setNeighbors(target, level, s.pruned, pruned);
            if (level == 0) {
                closedLists.recordClosed(target, s.pruned, pruned);
            }
        }
    }

    /**
     * Re-selects {@code target}'s list from {@code ids[0..count)} by the heuristic into {@code
     * s.pruned}.
     *
     * @param closedNew the one id added to a list that is {@link ClosedLists closed}, or -1: the
     *     selection then checks only pairs with that id, which gives the full selection's result
     */
    private int pruneByHeuristic(
            int target, int[] ids, int count, int maxDegree, int closedNew, SearchScratch s) {
        // one batch, not one row at a time: the rows of a full list lie anywhere in the file, and a
        // batch puts their cache misses in flight together (the same distances, bit for bit)
        float[] distances = s.unvisitedDistances;
        vectors.nodeScorer(target, graph.nodeBound()).distances(ids, count, distances);
        int n = s.sortAscending(ids, distances, count);
        if (closedNew >= 0 && n == maxDegree + 1) {
            return heuristic.selectWithOneNew(
                    s.sortedNodes, s.sortedDistances, n, closedNew, s.pruned);
        }
        return heuristic.select(s.sortedNodes, s.sortedDistances, n, maxDegree, s.pruned);
    }

    private Object lockFor(int node) {
        return nodeLocks[node & (LOCK_STRIPES - 1)];
    }
}
