package org.hnswmap.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * An update (replace-deleted) re-selects the lists of the updated node's neighbours from its one-
 * and two-hop neighbourhood, gathered without locks. A back-link a concurrent insert adds to one of
 * those lists in between must survive the write (hnswlib's {@code updatePoint} loses it).
 */
class UpdateRaceTest {

    private static final int NODES = 200;
    private static final int M = 4;

    @Test
    void shouldKeepABackLinkAddedWhileTheNeighbourhoodIsReselected() {
        SplittableRandom random = new SplittableRandom(5);
        float[][] points = new float[NODES + 1][2];
        for (float[] p : points) {
            p[0] = (float) random.nextDouble();
            p[1] = (float) random.nextDouble();
        }
        InMemoryGraph graph = new InMemoryGraph(NODES + 1, M);
        PointVectors vectors = new PointVectors(points);
        HnswBuilder builder = new HnswBuilder(graph, vectors, M, 32);
        for (int node = 0; node < NODES; node++) {
            graph.bound = node + 1;
            builder.insert(node, 0);
        }
        int updated = 17;
        int[] ids = new int[2 * M];
        graph.neighbors(updated, 0, ids);
        int target = ids[0];
        int late = NODES; // a node whose insert links it to target while the update runs
        points[late] = new float[] {points[target][0] + 1e-4f, points[target][1]};
        graph.bound = NODES + 1;
        vectors.beforeScoringFrom(
                target,
                () -> {
                    int n = graph.neighbors(target, 0, ids);
                    ids[Math.min(n, 2 * M - 1)] = late;
                    graph.setNeighbors(target, 0, ids, Math.min(n + 1, 2 * M));
                });
        points[updated] = new float[] {0.5f, 0.5f};
        builder.update(updated, 0);
        int n = graph.neighbors(target, 0, ids);
        assertTrue(
                Arrays.stream(ids, 0, n).anyMatch(id -> id == late),
                "node "
                        + target
                        + " lost its link to "
                        + late
                        + ": "
                        + Arrays.toString(Arrays.copyOf(ids, n)));
    }

    /** One level, lists in arrays. Not thread-safe (the test is single-threaded). */
    static final class InMemoryGraph implements MutableGraph {
        private final int[][] lists;
        private final int m;
        private int entry = -1;
        private int top = -1;
        int bound;

        InMemoryGraph(int capacity, int m) {
            this.lists = new int[capacity][0];
            this.m = m;
        }

        @Override
        public int entryPoint() {
            return entry;
        }

        @Override
        public int maxLevel() {
            return top;
        }

        @Override
        public int nodeBound() {
            return bound;
        }

        @Override
        public int levelOf(int node) {
            return 0;
        }

        @Override
        public int neighbors(int node, int level, int[] dest) {
            System.arraycopy(lists[node], 0, dest, 0, lists[node].length);
            return lists[node].length;
        }

        @Override
        public int maxDegree(int level) {
            return level == 0 ? 2 * m : m;
        }

        @Override
        public void setNeighbors(int node, int level, int[] ids, int count) {
            lists[node] = Arrays.copyOf(ids, count);
        }

        @Override
        public void setEntryPoint(int node, int level) {
            entry = node;
            top = level;
        }
    }

    /** Squared L2 over 2-d points; runs a hook once, when scoring from a chosen node starts. */
    static final class PointVectors implements GraphVectors {
        private final float[][] points;
        private int hookNode = -1;
        private Runnable hook;

        PointVectors(float[][] points) {
            this.points = points;
        }

        void beforeScoringFrom(int node, Runnable action) {
            hookNode = node;
            hook = action;
        }

        @Override
        public NodeScorer queryScorer(float[] query) {
            return node -> squaredL2(query, points[node]);
        }

        @Override
        public NodeScorer nodeScorer(int node) {
            if (node == hookNode && hook != null) {
                Runnable action = hook;
                hook = null;
                action.run();
            }
            return queryScorer(points[node]);
        }

        @Override
        public float distanceBetween(int a, int b) {
            return squaredL2(points[a], points[b]);
        }

        private static float squaredL2(float[] a, float[] b) {
            float dx = a[0] - b[0];
            float dy = a[1] - b[1];
            return dx * dx + dy * dy;
        }
    }
}
