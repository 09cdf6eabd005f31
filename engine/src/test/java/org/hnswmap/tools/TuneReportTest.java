package org.hnswmap.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code tune} says when a traversal's codes lose recall that float32 traversal reaches. */
class TuneReportTest {

    private static SweepPoint point(int ef, double recall) {
        return new SweepPoint(ef, recall, 1_000, 900, 1_100, 1_000, 900, 2_000, Double.NaN, 0);
    }

    /** A sweep over ef 10, 40, 160 with these recalls; the smallest ef reaching target, or -1. */
    private static TuneResult sweep(TraversalKind traversal, double target, double... recalls) {
        int[] efs = {10, 40, 160};
        List<SweepPoint> points =
                List.of(point(10, recalls[0]), point(40, recalls[1]), point(160, recalls[2]));
        int recommended = -1;
        for (int i = 0; i < efs.length && !Double.isNaN(target); i++) {
            if (recalls[i] >= target) {
                recommended = efs[i];
                break;
            }
        }
        return new TuneResult(16, 200, traversal, 1.0, 1 << 20, 1_000, points, recommended);
    }

    private static TuneReport report(double target, TuneResult... results) {
        return new TuneReport("cosine", 96, 100, false, 10, target, 1, "simd", List.of(results));
    }

    @Test
    void shouldWarnWhenCodesMissTheTargetFloat32Reaches() {
        double target = 0.95;
        TuneReport report =
                report(
                        target,
                        sweep(TraversalKind.FLOAT32, target, 0.70, 0.96, 0.9997),
                        sweep(TraversalKind.BINARY, target, 0.13, 0.38, 0.81),
                        sweep(TraversalKind.INT8, target, 0.69, 0.955, 0.999));

        List<String> warnings = report.recallWarnings();

        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.startsWith("binary traversal loses recall"), w);
        assertTrue(w.contains("at most recall@10 0.8100 (ef 160)"), w);
        assertTrue(w.contains("float32 traversal reaches 0.9600 at ef 40"), w);
        assertTrue(report.toTable().contains("warning: binary traversal loses recall"));
        assertTrue(report.toJson().contains("\"warnings\":[\"binary traversal loses"));
        // The recommendation still names what does reach the target, never the codes that do not.
        assertTrue(!report.cheapest().traversal().equals(TraversalKind.BINARY));
    }

    /**
     * 4-bit codes lose recall on clustered data as one-bit codes do; int8, or 4-bit codes with
     * traversal regions, are the way out.
     */
    @Test
    void shouldPointFourBitCodesThatMissTheTargetToInt8() {
        double target = 0.99;
        TuneReport report =
                report(
                        target,
                        sweep(TraversalKind.FLOAT32, target, 0.86, 0.98, 0.995),
                        sweep(TraversalKind.INT4, target, 0.58, 0.90, 0.96));

        List<String> warnings = report.recallWarnings();

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("int4 traversal loses recall"), warnings.get(0));
        assertTrue(
                warnings.get(0).endsWith("use float32, int8 or int4-regions or sweep a larger ef"),
                warnings.get(0));
    }

    @Test
    void shouldWarnWithoutTargetOnlyBeyondTheGap() {
        double none = Double.NaN;
        TuneReport close =
                report(
                        none,
                        sweep(TraversalKind.FLOAT32, none, 0.70, 0.96, 0.99),
                        sweep(TraversalKind.BINARY, none, 0.50, 0.90, 0.95));
        TuneReport far =
                report(
                        none,
                        sweep(TraversalKind.FLOAT32, none, 0.70, 0.96, 0.99),
                        sweep(TraversalKind.BINARY, none, 0.13, 0.38, 0.81));

        assertEquals(List.of(), close.recallWarnings());
        assertEquals(1, far.recallWarnings().size());
        assertTrue(far.recallWarnings().get(0).contains("where float32 traversal reaches 0.9900"));
        assertTrue(far.toJson().contains("\"warnings\":[\""));
        assertTrue(close.toJson().contains("\"warnings\":[]"));
    }

    @Test
    void shouldNotWarnWithoutAFloat32SweepOfTheSameGraph() {
        double target = 0.95;
        TuneResult binary = sweep(TraversalKind.BINARY, target, 0.13, 0.38, 0.81);
        TuneResult otherGraph =
                new TuneResult(
                        8,
                        100,
                        TraversalKind.FLOAT32,
                        1.0,
                        1 << 20,
                        1_000,
                        List.of(point(10, 0.99)),
                        10);

        assertEquals(List.of(), report(target, binary, otherGraph).recallWarnings());
    }
}
