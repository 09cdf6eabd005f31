package org.hnswmap.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A node that no level-0 list points to is unreachable by any search. Re-selected neighbourhoods
 * (updates that reuse slots) can leave one; the relink before a commit gives it an in-link without
 * orphaning another node.
 */
class RelinkOrphansTest {

    private static final int NODES = 300;
    private static final int M = 4;

    @Test
    void shouldGiveEveryNodeAnInLinkWithoutOrphaningAnother() {
        SplittableRandom random = new SplittableRandom(3);
        float[][] points = new float[NODES][2];
        for (float[] p : points) {
            p[0] = (float) random.nextDouble();
            p[1] = (float) random.nextDouble();
        }
        UpdateRaceTest.InMemoryGraph graph = new UpdateRaceTest.InMemoryGraph(NODES, M);
        UpdateRaceTest.PointVectors vectors = new UpdateRaceTest.PointVectors(points);
        HnswBuilder builder = new HnswBuilder(graph, vectors, M, 32);
        for (int node = 0; node < NODES; node++) {
            graph.bound = node + 1;
            builder.insert(node, 0);
        }
        assertEquals(0, builder.relinkOrphans(), "a fresh build has no orphan here");
        // Orphan three nodes by hand: every list that points to them drops them.
        int[] orphans = {5, 77, 203};
        int[] ids = new int[2 * M + 1];
        for (int node = 0; node < NODES; node++) {
            int n = graph.neighbors(node, 0, ids);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (ids[i] != orphans[0] && ids[i] != orphans[1] && ids[i] != orphans[2]) {
                    ids[kept++] = ids[i];
                }
            }
            graph.setNeighbors(node, 0, ids, kept);
        }
        int[] before = inDegrees(graph);
        for (int orphan : orphans) {
            assertEquals(0, before[orphan]);
        }
        int expectedOrphans = 0;
        for (int node = 0; node < NODES; node++) {
            if (before[node] == 0 && node != graph.entryPoint()) {
                expectedOrphans++;
            }
        }
        assertEquals(expectedOrphans, builder.relinkOrphans());
        int[] after = inDegrees(graph);
        for (int node = 0; node < NODES; node++) {
            assertTrue(
                    node == graph.entryPoint() || after[node] > 0,
                    "node " + node + " has no in-link after the relink");
        }
    }

    private static int[] inDegrees(UpdateRaceTest.InMemoryGraph graph) {
        int[] in = new int[NODES];
        int[] ids = new int[2 * M + 1];
        for (int node = 0; node < NODES; node++) {
            int n = graph.neighbors(node, 0, ids);
            for (int i = 0; i < n; i++) {
                in[ids[i]]++;
            }
        }
        return in;
    }
}
