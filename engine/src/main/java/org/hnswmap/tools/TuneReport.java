package org.hnswmap.tools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What {@code tune} found: one {@link TuneResult} per configuration, the protocol, and the cheapest
 * configuration that meets the target (lowest mean latency at its recommended ef). Renders as a
 * text table, CSV and JSON. Immutable.
 */
public record TuneReport(
        String space,
        int dimension,
        int queries,
        boolean leaveOneOut,
        int k,
        double targetRecall,
        int repeats,
        String kernel,
        List<TuneResult> results) {

    /** The configuration meeting the target at the lowest mean latency, or null. */
    public TuneResult cheapest() {
        return results.stream()
                .filter(r -> r.recommendedPoint() != null)
                .min(Comparator.comparingDouble(r -> r.recommendedPoint().meanMicros()))
                .orElse(null);
    }

    /** A fixed-width table for the terminal, one block per configuration. */
    public String toTable() {
        StringBuilder b = new StringBuilder();
        for (TuneResult r : results) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "%s  elements %,d  build %s  size %.1f MB%n",
                            r.name(),
                            r.elements(),
                            Double.isNaN(r.buildSeconds())
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.2f s", r.buildSeconds()),
                            r.indexBytes() / 1e6));
            b.append(
                    String.format(
                            Locale.ROOT,
                            "%6s %9s %10s %19s %9s %9s %9s %12s%n",
                            "ef",
                            "recall@" + k,
                            "QPS",
                            "(min-max)",
                            "mean us",
                            "p50 us",
                            "p99 us",
                            "QPS x threads"));
            for (SweepPoint p : r.points()) {
                b.append(
                        String.format(
                                Locale.ROOT,
                                "%6d %9.4f %10.0f %19s %9.1f %9.1f %9.1f %12s%s%n",
                                p.ef(),
                                p.recall(),
                                p.qpsMedian(),
                                String.format(Locale.ROOT, "(%.0f-%.0f)", p.qpsMin(), p.qpsMax()),
                                p.meanMicros(),
                                p.p50Micros(),
                                p.p99Micros(),
                                Double.isNaN(p.throughputQps())
                                        ? "-"
                                        : String.format(
                                                Locale.ROOT,
                                                "%.0f x%d",
                                                p.throughputQps(),
                                                p.throughputThreads()),
                                p.ef() == r.recommendedEf()
                                        ? "  <- smallest ef meeting target"
                                        : ""));
            }
            b.append(System.lineSeparator());
        }
        for (String warning : recallWarnings()) {
            b.append("warning: ").append(warning).append(System.lineSeparator());
        }
        b.append(recommendation()).append(System.lineSeparator());
        return b.toString();
    }

    /**
     * How far a traversal's codes lose recall against float32 traversal of the same graph
     * parameters, one sentence per configuration that loses it: the codes do not reach the target
     * float32 reaches within the same swept ef, or (without a target) stay more than {@value
     * #RECALL_GAP} below float32's best. Codes approximate distances, and how well depends on the
     * data (one-bit codes at under a hundred dimensions rank the true neighbours of clustered data
     * far below the beam), so this is measured, not assumed: a user sees it instead of a
     * recommendation that quietly settles for less recall.
     */
    public List<String> recallWarnings() {
        List<String> warnings = new ArrayList<>();
        for (TuneResult coded : results) {
            if (coded.traversal() == TraversalKind.FLOAT32 || coded.points().isEmpty()) {
                continue;
            }
            TuneResult exact =
                    results.stream()
                            .filter(
                                    r ->
                                            r.traversal() == TraversalKind.FLOAT32
                                                    && r.m() == coded.m()
                                                    && r.efConstruction() == coded.efConstruction()
                                                    && !r.points().isEmpty())
                            .findFirst()
                            .orElse(null);
            if (exact == null) {
                continue;
            }
            SweepPoint codedBest = bestRecall(coded);
            SweepPoint exactBest = bestRecall(exact);
            boolean loses =
                    Double.isNaN(targetRecall)
                            ? exactBest.recall() - codedBest.recall() > RECALL_GAP
                            : exact.recommendedEf() > 0 && coded.recommendedEf() < 0;
            if (!loses) {
                continue;
            }
            SweepPoint exactAt = Double.isNaN(targetRecall) ? exactBest : exact.recommendedPoint();
            warnings.add(
                    String.format(
                            Locale.ROOT,
                            "%s traversal loses recall on this data: at most recall@%d %.4f (ef"
                                    + " %d) where float32 traversal reaches %.4f at ef %d; use"
                                    + " float32%s or sweep a larger ef",
                            coded.traversal().label(),
                            k,
                            codedBest.recall(),
                            codedBest.ef(),
                            exactAt.recall(),
                            exactAt.ef(),
                            coded.traversal() == TraversalKind.INT8
                                    ? ""
                                    : coded.traversal() == TraversalKind.INT4
                                            ? ", int8 or int4-regions"
                                            : " or int8"));
        }
        return warnings;
    }

    /** Recall a float32 traversal may exceed a coded one by, without a target, before a warning. */
    static final double RECALL_GAP = 0.05;

    private static SweepPoint bestRecall(TuneResult r) {
        return r.points().stream()
                .max(Comparator.comparingDouble(SweepPoint::recall))
                .orElseThrow();
    }

    /** One sentence: which ef (and configuration) to use, or why none can be recommended. */
    public String recommendation() {
        if (Double.isNaN(targetRecall)) {
            return "no target recall given (use --target-recall to pick an ef)";
        }
        TuneResult best = cheapest();
        if (best == null) {
            return String.format(
                    Locale.ROOT,
                    "no configuration reaches recall@%d %.3f within the swept ef; rebuild with"
                            + " larger M or efConstruction (tune --m ... --ef-construction ...)",
                    k,
                    targetRecall);
        }
        SweepPoint p = best.recommendedPoint();
        return String.format(
                Locale.ROOT,
                "recommended: %s%sef %d (recall@%d %.4f >= %.3f, %.0f QPS single-thread, mean"
                        + " %.1f us, p99 %.1f us)",
                results.size() > 1 ? best.name() + ", " : "",
                "",
                best.recommendedEf(),
                k,
                p.recall(),
                targetRecall,
                p.qpsMedian(),
                p.meanMicros(),
                p.p99Micros());
    }

    /** One row per configuration and ef, with a header. */
    public String toCsv() {
        StringBuilder b =
                new StringBuilder(
                        "m,ef_construction,traversal,build_seconds,index_bytes,ef,recall,qps_median,qps_min,"
                                + "qps_max,mean_us,p50_us,p99_us,throughput_qps,throughput_threads,"
                                + "recommended,rerank_pool\n");
        for (TuneResult r : results) {
            for (SweepPoint p : r.points()) {
                b.append(
                        String.format(
                                Locale.ROOT,
                                "%d,%d,%s,%s,%d,%d,%.6f,%.1f,%.1f,%.1f,%.2f,%.2f,%.2f,%s,%d,%b,%s%n",
                                r.m(),
                                r.efConstruction(),
                                r.traversal().label(),
                                number(r.buildSeconds()),
                                r.indexBytes(),
                                p.ef(),
                                p.recall(),
                                p.qpsMedian(),
                                p.qpsMin(),
                                p.qpsMax(),
                                p.meanMicros(),
                                p.p50Micros(),
                                p.p99Micros(),
                                number(p.throughputQps()),
                                p.throughputThreads(),
                                p.ef() == r.recommendedEf(),
                                Double.isNaN(r.rerankPool())
                                        ? ""
                                        : TuneResult.poolLabel(r.rerankPool())));
            }
        }
        return b.toString();
    }

    /** The whole report as a JSON object. */
    public String toJson() {
        Json j = new Json();
        j.open('{');
        j.field("space", space).field("dimension", dimension).field("queries", queries);
        j.field("leave_one_out", leaveOneOut).field("k", k).field("target_recall", targetRecall);
        j.field("repeats", repeats).field("kernel", kernel);
        TuneResult best = cheapest();
        j.field("recommended_m", best == null ? null : best.m());
        j.field("recommended_ef_construction", best == null ? null : best.efConstruction());
        j.field("recommended_traversal", best == null ? null : best.traversal().label());
        j.field("recommended_ef", best == null ? null : best.recommendedEf());
        j.key("warnings").open('[');
        for (String warning : recallWarnings()) {
            j.value(warning);
        }
        j.close(']');
        j.key("configurations").open('[');
        for (TuneResult r : results) {
            j.open('{');
            j.field("m", r.m()).field("ef_construction", r.efConstruction());
            j.field("traversal", r.traversal().label()).field("rerank_pool", r.rerankPool());
            j.field("build_seconds", r.buildSeconds()).field("index_bytes", r.indexBytes());
            j.field("elements", r.elements()).field("recommended_ef", r.recommendedEf());
            j.key("points").open('[');
            for (SweepPoint p : r.points()) {
                j.open('{');
                j.field("ef", p.ef()).field("recall", p.recall());
                j.field("qps_median", p.qpsMedian()).field("qps_min", p.qpsMin());
                j.field("qps_max", p.qpsMax()).field("mean_us", p.meanMicros());
                j.field("p50_us", p.p50Micros()).field("p99_us", p.p99Micros());
                j.field("throughput_qps", p.throughputQps());
                j.field("throughput_threads", p.throughputThreads());
                j.close('}');
            }
            j.close(']');
            j.close('}');
        }
        j.close(']');
        j.close('}');
        return j.toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}
