package org.hnswmap.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LocalityOrderTest {

    /** A level-0-only graph holding {@code lists}, entered at {@code entry}. */
    private static GraphView graph(int[][] lists, int entry) {
        UpdateRaceTest.InMemoryGraph graph = new UpdateRaceTest.InMemoryGraph(lists.length, 1);
        graph.bound = lists.length;
        for (int node = 0; node < lists.length; node++) {
            graph.setNeighbors(node, 0, lists[node], lists[node].length);
        }
        if (entry >= 0) {
            graph.setEntryPoint(entry, 0);
        }
        return graph;
    }

    /**
     * A ring of {@code n} nodes, each linked to the {@code k} nearest on either side, ids shuffled.
     */
    private static int[][] shuffledRing(int n, int k, long seed, int[] idOfPosition) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, new Random(seed));
        int[][] lists = new int[n][];
        for (int p = 0; p < n; p++) {
            idOfPosition[p] = ids.get(p);
        }
        for (int p = 0; p < n; p++) {
            int[] list = new int[2 * k];
            for (int d = 1; d <= k; d++) {
                list[2 * d - 2] = ids.get((p + d) % n);
                list[2 * d - 1] = ids.get((p - d + n) % n);
            }
            lists[ids.get(p)] = list;
        }
        return lists;
    }

    @Test
    void shouldWalkAChainInItsOwnOrderWhateverTheIds() {
        int n = 500;
        int[] idOfPosition = new int[n];
        int[][] ring = shuffledRing(n, 1, 3, idOfPosition);
        int[] order = LocalityOrder.of(graph(ring, idOfPosition[0]), 2, 1);
        assertPermutation(order);
        int[] positionOf = LocalityOrder.inverse(idOfPosition);
        int steps = 0;
        for (int i = 1; i < n; i++) {
            int gap = Math.abs(positionOf[order[i]] - positionOf[order[i - 1]]);
            steps += gap == 1 || gap == n - 1 ? 1 : 0;
        }
        assertTrue(steps >= n - 2, steps + " of " + (n - 1) + " steps follow the ring");
    }

    @Test
    void shouldKeepEachComponentTogetherAndBeDeterministic() {
        int half = 300;
        int[] a = new int[half];
        int[] b = new int[half];
        int[][] ringA = shuffledRing(half, 3, 1, a);
        int[][] ringB = shuffledRing(half, 3, 2, b);
        // Interleave the two rings: ring A on even ids, ring B on odd ids.
        int[][] lists = new int[2 * half][];
        for (int i = 0; i < half; i++) {
            lists[2 * i] = java.util.Arrays.stream(ringA[i]).map(x -> 2 * x).toArray();
            lists[2 * i + 1] = java.util.Arrays.stream(ringB[i]).map(x -> 2 * x + 1).toArray();
        }
        GraphView graph = graph(lists, 7);
        int[] order = LocalityOrder.of(graph, 6, 8);
        assertPermutation(order);
        for (int i = 0; i < 2 * half; i++) {
            assertEquals(i < half ? 1 : 0, order[i] % 2, "position " + i);
        }
        assertEquals(7, order[0]);
        assertArrayEquals(order, LocalityOrder.of(graph, 6, 8));
    }

    @Test
    void shouldOrderEmptyAndEdgelessGraphsAndRefuseABadWindow() {
        assertEquals(0, LocalityOrder.of(graph(new int[0][], -1), 4, 8).length);
        int[][] edgeless = {{}, {}, {}};
        assertArrayEquals(new int[] {2, 0, 1}, LocalityOrder.of(graph(edgeless, 2), 4, 8));
        assertThrows(
                IllegalArgumentException.class, () -> LocalityOrder.of(graph(edgeless, 0), 4, 0));
    }

    private static void assertPermutation(int[] order) {
        boolean[] seen = new boolean[order.length];
        for (int node : order) {
            assertTrue(!seen[node], "node " + node + " twice");
            seen[node] = true;
        }
    }
}
