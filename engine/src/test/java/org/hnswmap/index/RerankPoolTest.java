package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.testutil.BruteForce;
import org.hnswmap.testutil.RandomVectors;
import org.hnswmap.testutil.SearchChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RerankPoolTest {

    @TempDir Path dir;

    @Test
    void shouldReRankMoreCandidatesWhenThePoolGrows() {
        float[][] rows = RandomVectors.clustered(4_000, 64, 30, 0.3, 3, 1);
        float[][] queries = RandomVectors.clustered(100, 64, 30, 0.3, 3, 2);
        int[][] truth = BruteForce.knn(Space.COSINE, rows, queries, 10);
        try (HnswIndex index =
                HnswIndex.create(
                        dir.resolve("i"),
                        IndexConfig.builder(Space.COSINE, 64)
                                .maxElements(4_000)
                                .binaryTraversal(true)
                                .build())) {
            index.addItems(rows, RandomVectors.sequentialLabels(4_000, 0), 2);
            assertTrue(Double.isNaN(index.getRerankPool()));
            double codesOwn = SearchChecks.recall(index, queries, truth, 20);

            index.setRerankPool(0.5);
            double small = SearchChecks.recall(index, queries, truth, 20);
            index.setRerankPool(2);
            double same = SearchChecks.recall(index, queries, truth, 20);
            index.setRerankPool(8);
            double large = SearchChecks.recall(index, queries, truth, 20);

            assertEquals(codesOwn, same, "one-bit codes' own pool is 2x the beam");
            assertTrue(small < same && same <= large, small + " " + same + " " + large);
            for (double bad : new double[] {0, -1, 65, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertThrows(IllegalParameterException.class, () -> index.setRerankPool(bad));
            }
        }
    }
}
