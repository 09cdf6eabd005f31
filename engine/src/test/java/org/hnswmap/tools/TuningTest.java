package org.hnswmap.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.Space;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ground truth, recall, the ef sweep and the smallest-ef search on a small hard index. */
class TuningTest {

    @TempDir static Path dir;
    static float[][] data;
    static float[][] queries;
    static Path index;

    @BeforeAll
    static void build() {
        data = RandomVectors.uniform(3_000, 32, 11);
        queries = RandomVectors.uniform(100, 32, 12);
        index = dir.resolve("index");
        IndexConfig config =
                IndexConfig.builder(Space.L2, 32)
                        .maxElements(3_000)
                        .m(6)
                        .efConstruction(40)
                        .build();
        IndexBuilder.build(index, config, data, null, 2, null);
    }

    @Test
    void shouldFindTheSmallestEfMeetingTheTargetWhenSweeping() {
        try (HnswIndex idx = HnswIndex.open(index)) {
            QuerySet qs = QuerySet.of(queries);
            long[][] truth = GroundTruth.compute(idx, qs, 10, 2);
            assertTrue(EfSweep.recall(idx, qs, truth, 3_000, options()) > 0.99);
            List<SweepPoint> sweep = EfSweep.run(idx, qs, truth, options(), null);
            double target = 0.9;

            int ef = EfSweep.smallestEfMeeting(idx, qs, truth, sweep, target, options());

            assertTrue(ef >= 10, "ef " + ef);
            assertTrue(EfSweep.recall(idx, qs, truth, ef, options()) >= target);
            if (ef > 10) {
                assertTrue(EfSweep.recall(idx, qs, truth, ef - 1, options()) < target);
            }
            assertTrue(sweep.get(0).recall() < target, "target too easy for this test");
        }
    }

    @Test
    void shouldDetectGroundTruthOfOtherDataWhenChecking() {
        try (HnswIndex idx = HnswIndex.open(index)) {
            QuerySet qs = QuerySet.of(queries);
            long[][] truth = GroundTruth.compute(idx, qs, 10, 2);
            assertNull(GroundTruth.mismatch(idx, qs, truth, 10));

            QuerySet other = QuerySet.of(RandomVectors.uniform(100, 32, 99));
            String problem = GroundTruth.mismatch(idx, other, truth, 10);

            assertNotNull(problem);
            assertTrue(problem.contains("other data"), problem);
            assertTrue(GroundTruth.mismatch(idx, qs, truth, 20).contains("k is 20"));
        }
    }

    @Test
    void shouldNotCountTheQueryItselfWhenSamplingStoredElements() {
        try (HnswIndex idx = HnswIndex.open(index)) {
            QuerySet qs = QuerySet.sampleOf(idx, 50, 1);
            long[][] truth = GroundTruth.compute(idx, qs, 10, 2);
            for (int q = 0; q < qs.size(); q++) {
                assertEquals(10, truth[q].length);
                for (long label : truth[q]) {
                    assertTrue(label != qs.selfLabels()[q]);
                }
            }
            SweepPoint p = EfSweep.measure(idx, qs, truth, 400, options());
            assertTrue(p.recall() > 0.95 && p.recall() <= 1.0, "recall " + p.recall());
        }
    }

    @Test
    void shouldComputeRecallAsTheShareOfTrueNeighboursFound() {
        long[][] truth = {{1, 2, 3, 4}, {5, 6, 7, 8}};
        long[][] found = {{4, 3, 9, 9}, {5, 6, 7, 8}};
        assertEquals(0.75, Recall.atK(found, truth, 4), 1e-12);
        assertEquals(0.5, Recall.atK(found, truth, 2), 1e-12);
    }

    @Test
    void shouldHoldOutDisjointQueriesWhenSplitting() {
        Tuner.Split split = Tuner.holdOut(data, 100, 3);
        assertEquals(100, split.queries().length);
        assertEquals(2_900, split.base().length);
        java.util.Set<float[]> base =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        base.addAll(List.of(split.base()));
        for (float[] q : split.queries()) {
            assertTrue(!base.contains(q));
        }
        for (int i = 0; i < split.base().length; i++) {
            assertTrue(split.base()[i] == data[(int) split.baseLabels()[i]]);
        }
    }

    private static EfSweep.Options options() {
        return new EfSweep.Options(10, EfSweep.defaultEfs(10), 1, 2);
    }
}
