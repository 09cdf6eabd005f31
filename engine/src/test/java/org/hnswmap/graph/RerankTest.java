package org.hnswmap.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Re-ranking with error bounds returns what re-ranking every candidate returns, and scores fewer of
 * them when the bounds are narrow.
 */
class RerankTest {

    @Test
    void shouldReturnWhatFullRerankReturnsWhileScoringFewerNodes() {
        SplittableRandom random = new SplittableRandom(11);
        int totalSkipped = 0;
        for (int trial = 0; trial < 200; trial++) {
            int count = 1 + random.nextInt(60);
            int k = 1 + random.nextInt(12);
            float error = trial % 2 == 0 ? 0.01f : 0.3f;
            float[] exact = new float[1000];
            for (int node = 0; node < exact.length; node++) {
                exact[node] = (float) random.nextDouble();
            }
            int[] nodes = new int[count];
            float[] approximate = new float[count];
            for (int i = 0; i < count; i++) {
                nodes[i] = random.nextInt(exact.length);
                approximate[i] = exact[nodes[i]] + (float) ((random.nextDouble() * 2 - 1) * error);
            }
            CountingScorer full = new CountingScorer(exact);
            int[] fullNodes = new int[count];
            float[] fullDistances = new float[count];
            int fullFound =
                    ExactScoring.rerank(
                            nodes.clone(),
                            approximate.clone(),
                            count,
                            null,
                            full,
                            k,
                            new SearchScratch(8),
                            fullNodes,
                            fullDistances);
            CountingScorer pruned = new CountingScorer(exact);
            int[] prunedNodes = nodes.clone();
            float[] prunedDistances = approximate.clone();
            int prunedFound =
                    ExactScoring.rerank(
                            prunedNodes,
                            prunedDistances,
                            count,
                            new Within(error),
                            pruned,
                            k,
                            new SearchScratch(8),
                            prunedNodes,
                            prunedDistances);
            assertEquals(fullFound, prunedFound, "trial " + trial);
            assertArrayEquals(
                    Arrays.copyOf(fullDistances, fullFound),
                    Arrays.copyOf(prunedDistances, prunedFound),
                    "trial " + trial);
            assertEquals(count, full.scored);
            assertTrue(pruned.scored >= Math.min(k, count) && pruned.scored <= count);
            totalSkipped += full.scored - pruned.scored;
        }
        assertTrue(totalSkipped > 1000, "narrow bounds skip candidates: " + totalSkipped);
    }

    /** Distances from a table, counting how many it scored. */
    private static final class CountingScorer implements NodeScorer {
        private final float[] exact;
        int scored;

        CountingScorer(float[] exact) {
            this.exact = exact;
        }

        @Override
        public float distance(int node) {
            scored++;
            return exact[node];
        }
    }

    /** The exact distance is within {@code error} of the approximate one. */
    private record Within(float error) implements BoundedScorer {
        @Override
        public float distance(int node) {
            throw new AssertionError("re-ranking never scores approximately");
        }

        @Override
        public float lowerBound(int node, float approximateDistance) {
            return approximateDistance - error - 1e-6f;
        }

        @Override
        public float upperBound(int node, float approximateDistance) {
            return approximateDistance + error + 1e-6f;
        }
    }
}
