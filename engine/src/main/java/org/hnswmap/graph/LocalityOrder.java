package org.hnswmap.graph;

/**
 * A renumbering of a graph's nodes that puts neighbours next to each other, so that a search, which
 * scores the neighbours of the nodes it expands, finds their rows in nearby cache lines and pages.
 * HNSW inserts nodes in the order the user gave them, which for most data is unrelated to where
 * they lie; the rows a search reads are then scattered over the whole file.
 *
 * <p>The order is a windowed greedy in the manner of Gorder (Wei et al., SIGMOD 2016), the best
 * general ordering in Coleman et al., "Graph Reordering for Cache-Efficient Near Neighbor Search"
 * (2022): starting at the entry point, the next node is always the unplaced one with the most links
 * from the last {@code window} placed nodes (level-0 lists, read as stored: HNSW's back-links make
 * them nearly symmetric). Ties go to the node that reached its score first; when no unplaced node
 * is linked from the window, the lowest unplaced id follows. Scores live in a bucket queue (one
 * doubly linked list per score, scores at most {@code window + 1}): O(1) per change, so the whole
 * order costs two reads of every level-0 list and three {@code int} arrays of the node count.
 * Deterministic: the same graph gives the same order.
 */
public final class LocalityOrder {

    private static final int NONE = -1;

    private LocalityOrder() {}

    /**
     * The new order of the nodes {@code [0, graph.nodeBound())}: element {@code i} is the old id of
     * the node that gets id {@code i}.
     *
     * @param maxDegree0 the largest level-0 list ({@code 2M})
     * @param window how many of the last placed nodes vote for the next one (at least 1)
     */
    public static int[] of(GraphView graph, int maxDegree0, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, not " + window);
        }
        int n = graph.nodeBound();
        int[] order = new int[n];
        if (n == 0) {
            return order;
        }
        // Lists hold no duplicates, so each of the window's nodes (and the one just placed) adds at
        // most 1.
        Buckets buckets = new Buckets(n, window + 1);
        int[] ids = new int[maxDegree0 + 1];
        int nextUnlinked = 0;
        int start = graph.entryPoint() >= 0 ? graph.entryPoint() : 0;
        for (int placed = 0; placed < n; placed++) {
            int node = placed == 0 ? start : buckets.pollMax();
            if (node == NONE) {
                while (buckets.isPlaced(nextUnlinked)) {
                    nextUnlinked++;
                }
                node = nextUnlinked;
            }
            buckets.place(node);
            order[placed] = node;
            int count = graph.neighbors(node, 0, ids);
            for (int i = 0; i < count; i++) {
                buckets.raise(ids[i]);
            }
            if (placed >= window) {
                count = graph.neighbors(order[placed - window], 0, ids);
                for (int i = 0; i < count; i++) {
                    buckets.lower(ids[i]);
                }
            }
        }
        return order;
    }

    /** The inverse of {@code order}: element {@code old} is the new id of old node {@code old}. */
    public static int[] inverse(int[] order) {
        int[] newId = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            newId[order[i]] = i;
        }
        return newId;
    }

    /**
     * Unplaced nodes by score, one doubly linked list per score above 0, new entries at the tail
     * (so the earliest to reach a score is served first); placed nodes have score -1.
     */
    private static final class Buckets {
        private final int[] score;
        private final int[] next;
        private final int[] prev;
        private final int[] head;
        private final int[] tail;
        private int top;

        Buckets(int nodes, int maxScore) {
            score = new int[nodes];
            next = new int[nodes];
            prev = new int[nodes];
            head = new int[maxScore + 1];
            tail = new int[maxScore + 1];
            java.util.Arrays.fill(head, NONE);
            java.util.Arrays.fill(tail, NONE);
        }

        boolean isPlaced(int node) {
            return score[node] < 0;
        }

        void place(int node) {
            if (score[node] > 0) {
                unlink(node);
            }
            score[node] = -1;
        }

        void raise(int node) {
            int s = score[node];
            if (s < 0 || s + 1 >= head.length) {
                return;
            }
            if (s > 0) {
                unlink(node);
            }
            score[node] = s + 1;
            append(node);
            top = Math.max(top, s + 1);
        }

        void lower(int node) {
            int s = score[node];
            if (s <= 0) {
                return;
            }
            unlink(node);
            score[node] = s - 1;
            if (s > 1) {
                append(node);
            }
        }

        /** The first node of the highest non-empty score, removed; NONE when all are empty. */
        int pollMax() {
            while (top > 0 && head[top] == NONE) {
                top--;
            }
            if (top == 0) {
                return NONE;
            }
            int node = head[top];
            unlink(node);
            score[node] = 0;
            return node;
        }

        private void append(int node) {
            int s = score[node];
            next[node] = NONE;
            prev[node] = tail[s];
            if (tail[s] == NONE) {
                head[s] = node;
            } else {
                next[tail[s]] = node;
            }
            tail[s] = node;
        }

        private void unlink(int node) {
            int s = score[node];
            if (prev[node] == NONE) {
                head[s] = next[node];
            } else {
                next[prev[node]] = next[node];
            }
            if (next[node] == NONE) {
                tail[s] = prev[node];
            } else {
                prev[next[node]] = prev[node];
            }
        }
    }
}
