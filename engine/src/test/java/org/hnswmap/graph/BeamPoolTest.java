package org.hnswmap.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BeamPool} holds what a list sorted by (distance, node) holds, cut to its capacity, and
 * expands nearest first; an unfiltered search through it returns what hnswlib's two heaps return.
 */
class BeamPoolTest {

    /** The model: pairs sorted by (distance, node), each flagged expanded or not. */
    private record Held(int node, float distance, boolean[] expanded) {}

    private static final Comparator<Held> ORDER =
            Comparator.comparingDouble((Held h) -> h.distance).thenComparingInt(h -> h.node);

    @Test
    void shouldHoldTheNearestInOrderAndExpandNearestFirstLikeASortedList() {
        SplittableRandom random = new SplittableRandom(3);
        BeamPool beam = new BeamPool();
        for (int trial = 0; trial < 400; trial++) {
            // capacities on both sides of the 64-bit words of the pending marks, and past the
            // arrays' first size (256), which then grow
            int capacity = 1 + random.nextInt(trial % 4 == 0 ? 600 : 70);
            beam.clear(capacity);
            List<Held> model = new ArrayList<>();
            int nextNode = 0;
            int operations = random.nextInt(1, 1_000);
            for (int op = 0; op < operations; op++) {
                if (random.nextInt(4) == 0) {
                    Held nearest = null;
                    for (Held h : model) {
                        if (!h.expanded[0]) {
                            nearest = h;
                            break;
                        }
                    }
                    assertEquals(nearest == null ? -1 : nearest.node, beam.nearestUnexpanded());
                    assertEquals(nearest == null ? -1 : nearest.node, beam.expandNearest());
                    if (nearest != null) {
                        nearest.expanded[0] = true;
                    }
                } else {
                    // few distinct distances: ties order by node id
                    float distance =
                            trial % 2 == 0 ? random.nextInt(12) : (float) random.nextGaussian();
                    int node = nextNode++;
                    boolean room = model.size() < capacity;
                    boolean taken = room || distance < model.get(model.size() - 1).distance;
                    assertEquals(taken, beam.offer(node, distance), "trial " + trial);
                    if (taken) {
                        if (!room) {
                            model.remove(model.size() - 1);
                        }
                        model.add(new Held(node, distance, new boolean[1]));
                        model.sort(ORDER);
                    }
                }
                assertEquals(model.size(), beam.size());
                for (int i = 0; i < model.size(); i++) {
                    assertEquals(model.get(i).node, beam.nodeAt(i), "trial " + trial);
                    assertEquals(model.get(i).distance, beam.distanceAt(i));
                }
            }
        }
    }

    /**
     * Without a filter the search runs through the beam; with a filter that accepts every node, the
     * same search runs through the two heaps (hnswlib's algorithm): the same nodes, the same order.
     */
    @Test
    void shouldFindWhatTheTwoHeapsFindWhenSearchingWithoutAFilter() {
        SplittableRandom random = new SplittableRandom(21);
        float[][] points = SearchPoolTest.randomPoints(900, random);
        GraphView graph = SearchPoolTest.nearestNeighbourGraph(points, random);
        SearchScratch scratch = new SearchScratch(10);
        int differentFromEf1 = 0;
        for (int trial = 0; trial < 300; trial++) {
            float[] query = {(float) random.nextDouble(), (float) random.nextDouble()};
            NodeScorer scorer = node -> SearchPoolTest.squaredDistance(points[node], query);
            int ef = 1 + random.nextInt(trial % 3 == 0 ? 200 : 30);
            int k = 1 + random.nextInt(ef);
            int[] beamNodes = new int[k];
            float[] beamDistances = new float[k];
            int found =
                    HnswSearcher.search(
                            graph,
                            scorer,
                            k,
                            ef,
                            null,
                            Integer.MAX_VALUE,
                            scratch,
                            beamNodes,
                            beamDistances);
            int[] heapNodes = new int[k];
            float[] heapDistances = new float[k];
            int heapFound =
                    HnswSearcher.search(
                            graph,
                            scorer,
                            k,
                            ef,
                            node -> true,
                            Integer.MAX_VALUE,
                            scratch,
                            heapNodes,
                            heapDistances);
            assertEquals(heapFound, found);
            assertArrayEquals(heapNodes, beamNodes, "trial " + trial);
            assertArrayEquals(heapDistances, beamDistances);
            int[] greedy = new int[1];
            HnswSearcher.search(
                    graph, scorer, 1, 1, null, Integer.MAX_VALUE, scratch, greedy, new float[1]);
            differentFromEf1 += greedy[0] != beamNodes[0] ? 1 : 0;
        }
        // the graph has local minima, so the beam's width matters: the searches were not trivial
        assertTrue(differentFromEf1 > 5, "ef 1 differed " + differentFromEf1 + " times");
    }

    @Test
    void shouldStopAtTheVisitLimitAsTheHeapsDo() {
        SplittableRandom random = new SplittableRandom(8);
        float[][] points = SearchPoolTest.randomPoints(400, random);
        GraphView graph = SearchPoolTest.nearestNeighbourGraph(points, random);
        float[] query = {0.5f, 0.5f};
        NodeScorer scorer = node -> SearchPoolTest.squaredDistance(points[node], query);
        int[] nodes = new int[10];
        float[] distances = new float[10];
        SearchScratch scratch = new SearchScratch(10);
        assertEquals(
                -1,
                HnswSearcher.search(graph, scorer, 10, 50, null, 30, scratch, nodes, distances));
        assertEquals(
                -1,
                HnswSearcher.search(
                        graph, scorer, 10, 50, node -> true, 30, scratch, nodes, distances));
        assertEquals(
                10,
                HnswSearcher.search(
                        graph, scorer, 10, 50, null, Integer.MAX_VALUE, scratch, nodes, distances));
        for (int i = 1; i < distances.length; i++) {
            assertTrue(distances[i - 1] <= distances[i]);
        }
    }
}
