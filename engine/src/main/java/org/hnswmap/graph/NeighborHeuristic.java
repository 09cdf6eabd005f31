package org.hnswmap.graph;

/**
 * Chooses a node's neighbours from candidates sorted by distance to it, by hnswlib's heuristic: a
 * candidate is kept only if it is nearer to the node (the base) than to every candidate kept before
 * it, so that a list reaches in several directions instead of into one cluster. The whole selection
 * ({@link #select}) for a new node's own lists and for re-selecting a full one, and its shortcut
 * for a closed list that gains one id ({@link #selectWithOneNew}, see {@link ClosedLists}).
 *
 * <p>Stateless beyond the vectors it reads; thread-safe.
 */
final class NeighborHeuristic {

    private final GraphVectors vectors;

    NeighborHeuristic(GraphVectors vectors) {
        this.vectors = vectors;
    }

    /**
     * {@link #select} with limit {@code count - 1} over a closed list plus one new id, computing
     * only the distances that can change its outcome. Entries nearer than the new one are kept as
     * before (nothing new comes before them); the new one is checked against them as the full
     * selection would; if it is dropped, the farther entries are kept as before (their checks are
     * the closed list's own, which all passed); if it stays, each farther entry is kept unless it
     * is nearer to the new one than to the base, up to the limit (its checks against the entries
     * kept before it passed in the closed list already, and dropping some of those only removes
     * checks).
     *
     * @param nodes the closed list and {@code newNode}, sorted by ascending {@code distances}
     */
    int selectWithOneNew(int[] nodes, float[] distances, int count, int newNode, int[] out) {
        int limit = count - 1;
        int at = 0;
        while (nodes[at] != newNode) {
            at++;
        }
        System.arraycopy(nodes, 0, out, 0, at);
        if (at == limit) {
            return limit; // the new id is the farthest: the limit is reached before it
        }
        if (!isDiverse(newNode, distances[at], out, at)) {
            System.arraycopy(nodes, at + 1, out, at, count - at - 1);
            return limit;
        }
        out[at] = newNode;
        int kept = at + 1;
        for (int i = at + 1; i < count && kept < limit; i++) {
            if (!(vectors.distanceBetween(newNode, nodes[i]) < distances[i])) {
                out[kept++] = nodes[i];
            }
        }
        return kept;
    }

    /**
     * hnswlib's {@code getNeighborsByHeuristic2}: walking candidates nearest first, keep one only
     * if it is nearer to the base than to every candidate already kept, up to {@code limit}. With
     * fewer than {@code limit} candidates, all are kept.
     *
     * @param nodes candidates sorted by ascending {@code distances} to the base
     * @return the number of nodes written to {@code out}
     */
    int select(int[] nodes, float[] distances, int count, int limit, int[] out) {
        if (count < limit) {
            System.arraycopy(nodes, 0, out, 0, count);
            return count;
        }
        int kept = 0;
        for (int i = 0; i < count && kept < limit; i++) {
            if (isDiverse(nodes[i], distances[i], out, kept)) {
                out[kept++] = nodes[i];
            }
        }
        return kept;
    }

    /**
     * Whether {@code candidate}, at {@code toBase} from the base, is not nearer to any of {@code
     * kept[0..count)} than to the base.
     */
    private boolean isDiverse(int candidate, float toBase, int[] kept, int count) {
        for (int j = 0; j < count; j++) {
            if (vectors.distanceBetween(kept[j], candidate) < toBase) {
                return false;
            }
        }
        return true;
    }
}
