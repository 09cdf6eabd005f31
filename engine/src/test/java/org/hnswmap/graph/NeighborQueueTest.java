package org.hnswmap.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NeighborQueueTest {

    @Test
    void shouldPopNearestFirstWhenMinQueueAndFarthestFirstWhenMaxQueue() {
        float[] distances = {3f, -1.5f, 0f, 7.25f, -0.0f, 2f};
        NeighborQueue min = new NeighborQueue(2, false);
        NeighborQueue max = new NeighborQueue(2, true);
        for (int node = 0; node < distances.length; node++) {
            min.push(node, distances[node]);
            max.push(node, distances[node]);
        }
        assertEquals(1, min.topNode());
        assertEquals(-1.5f, min.topDistance());
        assertEquals(3, max.topNode());
        assertEquals(7.25f, max.topDistance());
        int[] order = new int[6];
        for (int i = 0; i < 6; i++) {
            order[i] = min.pop();
        }
        assertArrayEquals(new int[] {1, 4, 2, 5, 0, 3}, order);
    }

    @Test
    void shouldDrainAscendingWhenMaxQueue() {
        NeighborQueue max = new NeighborQueue(4, true);
        max.push(10, 5f);
        max.push(11, 1f);
        max.push(12, 3f);
        int[] nodes = new int[3];
        float[] d = new float[3];
        assertEquals(3, max.drainAscending(nodes, d));
        assertArrayEquals(new int[] {11, 12, 10}, nodes);
        assertArrayEquals(new float[] {1f, 3f, 5f}, d);
        assertEquals(0, max.size());
    }

    @Test
    void shouldRoundTripDistanceWhenEncoded() {
        for (float f : new float[] {0f, -0f, 1e-30f, -1e-30f, 123.5f, -9e9f, Float.MAX_VALUE}) {
            assertEquals(f, NeighborQueue.decodeDistance(NeighborQueue.encode(42, f)));
        }
    }

    @Test
    void shouldHoldSameQueueWhenReplaceTopOrPushThenPop() {
        java.util.Random random = new java.util.Random(7);
        for (boolean maxFirst : new boolean[] {true, false}) {
            NeighborQueue replaced = new NeighborQueue(4, maxFirst);
            NeighborQueue pushedPopped = new NeighborQueue(4, maxFirst);
            for (int node = 0; node < 2_000; node++) {
                float d = random.nextInt(500) / 8f;
                if (replaced.size() < 16) {
                    replaced.push(node, d);
                    pushedPopped.push(node, d);
                } else if (maxFirst ? d < replaced.topDistance() : d > replaced.topDistance()) {
                    replaced.replaceTop(node, d);
                    pushedPopped.push(node, d);
                    pushedPopped.pop();
                }
            }
            int[] nodesA = new int[16];
            int[] nodesB = new int[16];
            float[] distancesA = new float[16];
            float[] distancesB = new float[16];
            assertEquals(16, replaced.drainAscending(nodesA, distancesA));
            assertEquals(16, pushedPopped.drainAscending(nodesB, distancesB));
            assertArrayEquals(nodesB, nodesA);
            assertArrayEquals(distancesB, distancesA);
        }
    }
}
