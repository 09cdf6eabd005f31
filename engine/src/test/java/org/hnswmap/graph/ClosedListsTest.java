package org.hnswmap.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A back-link into a full closed list is checked in about 2M distances instead of a full
 * re-selection; the lists must come out exactly as the full re-selection makes them, and the
 * shortcut must actually be taken (both of its outcomes: the new id dropped, and kept).
 */
class ClosedListsTest {

    private static final int NODES = 3_000;
    private static final int M = 4;
    private static final int DIMENSION = 16;

    /** Squared L2 over rows of {@link #DIMENSION}: in two dimensions lists seldom stay full. */
    private static final class Rows implements GraphVectors {
        private final float[][] rows;

        Rows(float[][] rows) {
            this.rows = rows;
        }

        @Override
        public NodeScorer queryScorer(float[] query) {
            return node -> squaredL2(query, rows[node]);
        }

        @Override
        public NodeScorer nodeScorer(int node) {
            return queryScorer(rows[node]);
        }

        @Override
        public float distanceBetween(int a, int b) {
            return squaredL2(rows[a], rows[b]);
        }

        private static float squaredL2(float[] a, float[] b) {
            float sum = 0;
            for (int i = 0; i < a.length; i++) {
                float d = a[i] - b[i];
                sum += d * d;
            }
            return sum;
        }
    }

    /**
     * Counts the checks that found a closed list, and of the re-selections that followed them,
     * those that left the list as it was (the new id dropped) and those that took the new id.
     */
    private static final class CountingClosedLists extends ClosedLists {
        int closedHits;
        int newDropped;
        int newKept;
        private int[] listOfHit;

        @Override
        boolean isClosed(int node, int[] ids, int count) {
            boolean closed = super.isClosed(node, ids, count);
            if (closed) {
                closedHits++;
                listOfHit = java.util.Arrays.copyOf(ids, count);
            }
            return closed;
        }

        @Override
        void recordClosed(int node, int[] ids, int count) {
            if (listOfHit != null) {
                if (java.util.Arrays.equals(listOfHit, java.util.Arrays.copyOf(ids, count))) {
                    newDropped++;
                } else {
                    newKept++;
                }
                listOfHit = null;
            }
            super.recordClosed(node, ids, count);
        }
    }

    /** Never reports a list closed: every back-link into a full list re-selects it in full. */
    private static final class NoShortcut extends ClosedLists {
        @Override
        boolean isClosed(int node, int[] ids, int count) {
            return false;
        }
    }

    @Test
    void shouldLinkExactlyAsTheFullReselectionDoes() {
        float[][] points = points(11);
        CountingClosedLists counting = new CountingClosedLists();
        UpdateRaceTest.InMemoryGraph fast = build(points, counting);
        UpdateRaceTest.InMemoryGraph full = build(points, new NoShortcut());
        assertSameLists(full, fast);
        assertTrue(
                counting.closedHits > NODES / 3,
                "the shortcut was taken " + counting.closedHits + " times only");
        assertTrue(counting.newDropped > 100, "new id dropped " + counting.newDropped + " times");
        assertTrue(counting.newKept > 100, "new id kept " + counting.newKept + " times");
    }

    @Test
    void shouldStopTrustingFingerprintsOnceAVectorChanges() {
        float[][] fastPoints = points(12);
        float[][] fullPoints = points(12);
        ClosedLists closed = new ClosedLists();
        UpdateRaceTest.InMemoryGraph fast = build(fastPoints, closed);
        int[] ids = new int[2 * M + 1];
        int node = 17;
        int count = fast.neighbors(node, 0, ids);
        closed.recordClosed(node, ids, count);
        assertTrue(closed.isClosed(node, ids, count));
        closed.newEpoch();
        assertFalse(closed.isClosed(node, ids, count), "a fingerprint outlived a new epoch");
        // and a build that replaces vectors midway still links as the full re-selection does
        UpdateRaceTest.InMemoryGraph withUpdates = buildWithUpdates(fastPoints, new ClosedLists());
        UpdateRaceTest.InMemoryGraph reference = buildWithUpdates(fullPoints, new NoShortcut());
        assertSameLists(reference, withUpdates);
    }

    private static float[][] points(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] points = new float[NODES][DIMENSION];
        for (float[] p : points) {
            for (int i = 0; i < DIMENSION; i++) {
                p[i] = (float) random.nextDouble();
            }
        }
        return points;
    }

    private static UpdateRaceTest.InMemoryGraph build(float[][] points, ClosedLists closed) {
        UpdateRaceTest.InMemoryGraph graph = new UpdateRaceTest.InMemoryGraph(NODES, M);
        HnswBuilder builder = new HnswBuilder(graph, new Rows(points), M, 32, closed);
        for (int node = 0; node < NODES; node++) {
            graph.bound = node + 1;
            builder.insert(node, 0);
        }
        return graph;
    }

    /** Inserts half the nodes, replaces every tenth vector among them, inserts the rest. */
    private static UpdateRaceTest.InMemoryGraph buildWithUpdates(
            float[][] points, ClosedLists closed) {
        UpdateRaceTest.InMemoryGraph graph = new UpdateRaceTest.InMemoryGraph(NODES, M);
        HnswBuilder builder = new HnswBuilder(graph, new Rows(points), M, 32, closed);
        int half = NODES / 2;
        for (int node = 0; node < half; node++) {
            graph.bound = node + 1;
            builder.insert(node, 0);
        }
        for (int node = 1; node < half; node += 10) {
            points[node][0] = 1f - points[node][0];
            builder.update(node, 0);
        }
        for (int node = half; node < NODES; node++) {
            graph.bound = node + 1;
            builder.insert(node, 0);
        }
        return graph;
    }

    private static void assertSameLists(
            UpdateRaceTest.InMemoryGraph expected, UpdateRaceTest.InMemoryGraph actual) {
        int[] a = new int[2 * M + 1];
        int[] b = new int[2 * M + 1];
        for (int node = 0; node < NODES; node++) {
            int n = expected.neighbors(node, 0, a);
            int k = actual.neighbors(node, 0, b);
            assertArrayEquals(
                    java.util.Arrays.copyOf(a, n),
                    java.util.Arrays.copyOf(b, k),
                    "list of node " + node);
        }
    }
}
