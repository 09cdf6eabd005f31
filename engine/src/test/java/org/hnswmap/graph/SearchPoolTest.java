package org.hnswmap.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * {@link HnswSearcher#searchPool} returns the nearest of all the nodes its beam scored: with a pool
 * of the beam's width exactly what {@link HnswSearcher#search} returns, with a wider one those
 * first and then the next nearest scored; {@link ScoredLog} selects like a full sort.
 */
class SearchPoolTest {

    private static final int NODES = 600;
    private static final int DEGREE = 10;

    @Test
    void shouldSelectLikeSortWhenLogHoldsRandomDistances() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 300; trial++) {
            int count = random.nextInt(1, 400);
            int[] nodes = new int[count];
            float[] distances = new float[count];
            for (int i = 0; i < count; i++) {
                nodes[i] = i;
                // few distinct distances: ties order by node id
                distances[i] = trial % 2 == 0 ? random.nextInt(8) : (float) random.nextGaussian();
            }
            ScoredLog log = new ScoredLog();
            IntPredicate accept = trial % 3 == 0 ? node -> node % 3 != 0 : null;
            log.add(nodes, distances, count / 2, accept); // two batches
            log.add(
                    Arrays.copyOfRange(nodes, count / 2, count),
                    Arrays.copyOfRange(distances, count / 2, count),
                    count - count / 2,
                    accept);
            Integer[] expected =
                    java.util.stream.IntStream.range(0, count)
                            .filter(i -> accept == null || accept.test(i))
                            .boxed()
                            .sorted(
                                    (a, b) ->
                                            distances[a] != distances[b]
                                                    ? Float.compare(distances[a], distances[b])
                                                    : Integer.compare(a, b))
                            .toArray(Integer[]::new);
            int n = random.nextInt(1, count + 10);
            int[] outNodes = new int[n];
            float[] outDistances = new float[n];
            int found = log.drainNearest(n, outNodes, outDistances);
            assertEquals(Math.min(n, expected.length), found);
            for (int i = 0; i < found; i++) {
                assertEquals(expected[i], outNodes[i], "rank " + i + " of trial " + trial);
                assertEquals(distances[expected[i]], outDistances[i]);
            }
        }
    }

    @Test
    void shouldReturnSearchResultsThenNextScoredWhenPoolIsWiderThanBeam() {
        SplittableRandom random = new SplittableRandom(9);
        float[][] points = randomPoints(NODES, random);
        GraphView graph = nearestNeighbourGraph(points, random);
        for (int trial = 0; trial < 50; trial++) {
            float[] query = {(float) random.nextDouble(), (float) random.nextDouble()};
            NodeScorer scorer = node -> squaredDistance(points[node], query);
            int ef = random.nextInt(1, 40);
            IntPredicate accept = trial % 2 == 0 ? null : node -> node % 2 == 0;
            int[] beamNodes = new int[ef];
            float[] beamDistances = new float[ef];
            int beam =
                    HnswSearcher.search(
                            graph,
                            scorer,
                            ef,
                            ef,
                            accept,
                            Integer.MAX_VALUE,
                            new SearchScratch(DEGREE),
                            beamNodes,
                            beamDistances);
            for (int factor = 1; factor <= 3; factor++) {
                int pool = factor * ef;
                int[] poolNodes = new int[pool];
                float[] poolDistances = new float[pool];
                int found =
                        HnswSearcher.searchPool(
                                graph,
                                scorer,
                                pool,
                                ef,
                                accept,
                                Integer.MAX_VALUE,
                                new SearchScratch(DEGREE),
                                poolNodes,
                                poolDistances);
                assertTrue(found >= beam);
                assertArrayEquals(Arrays.copyOf(beamNodes, beam), Arrays.copyOf(poolNodes, beam));
                for (int i = 0; i < found; i++) {
                    assertTrue(accept == null || accept.test(poolNodes[i]));
                    assertEquals(scorer.distance(poolNodes[i]), poolDistances[i]);
                    assertTrue(i == 0 || poolDistances[i - 1] <= poolDistances[i]);
                }
                if (factor > 1) {
                    assertTrue(found > beam, "a wider pool adds scored nodes");
                }
            }
        }
    }

    /** {@code count} points drawn uniformly from the unit square. */
    static float[][] randomPoints(int count, SplittableRandom random) {
        float[][] points = new float[count][];
        for (int i = 0; i < count; i++) {
            points[i] = new float[] {(float) random.nextDouble(), (float) random.nextDouble()};
        }
        return points;
    }

    static float squaredDistance(float[] a, float[] b) {
        float dx = a[0] - b[0];
        float dy = a[1] - b[1];
        return dx * dx + dy * dy;
    }

    /** One level: each node linked to its 8 nearest and 2 random others. */
    static GraphView nearestNeighbourGraph(float[][] points, SplittableRandom random) {
        int[][] lists = new int[points.length][];
        for (int node = 0; node < points.length; node++) {
            float[] from = points[node];
            int[] nearest =
                    java.util.stream.IntStream.range(0, points.length)
                            .boxed()
                            .sorted(
                                    (a, b) ->
                                            Float.compare(
                                                    squaredDistance(points[a], from),
                                                    squaredDistance(points[b], from)))
                            .mapToInt(Integer::intValue)
                            .skip(1)
                            .limit(DEGREE - 2)
                            .toArray();
            lists[node] = Arrays.copyOf(nearest, DEGREE);
            lists[node][DEGREE - 2] = random.nextInt(points.length);
            lists[node][DEGREE - 1] = random.nextInt(points.length);
        }
        return new GraphView() {
            @Override
            public int entryPoint() {
                return 0;
            }

            @Override
            public int maxLevel() {
                return 0;
            }

            @Override
            public int nodeBound() {
                return points.length;
            }

            @Override
            public int levelOf(int node) {
                return 0;
            }

            @Override
            public int neighbors(int node, int level, int[] dest) {
                System.arraycopy(lists[node], 0, dest, 0, DEGREE);
                return DEGREE;
            }
        };
    }
}
