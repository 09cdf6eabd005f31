package org.hnswmap.bench.compare;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link Compare} measured on one shape, as a Markdown summary (medians with min-max over the
 * rounds, ratios against the baseline per round and their median) and as raw CSV rows (one per
 * round, system and ef). Immutable.
 */
final class CompareReport {

    private final DataShape shape;
    private final String split;
    private final int first;
    private final int count;
    private final String baseline;
    private final int m;
    private final int efConstruction;
    private final int buildThreads;
    private final Map<String, double[]> buildSeconds;
    private final Map<String, Long> bytes;
    private final Map<String, List<Curve>> curves;
    private final int[] efs;

    CompareReport(
            DataShape shape,
            String split,
            int first,
            int count,
            String baseline,
            int m,
            int efConstruction,
            int buildThreads,
            Map<String, double[]> buildSeconds,
            Map<String, Long> bytes,
            Map<String, List<Curve>> curves,
            int[] efs) {
        this.shape = shape;
        this.split = split;
        this.first = first;
        this.count = count;
        this.baseline = baseline;
        this.m = m;
        this.efConstruction = efConstruction;
        this.buildThreads = buildThreads;
        this.buildSeconds = buildSeconds;
        this.bytes = bytes;
        this.curves = curves;
        this.efs = efs;
    }

    List<String> csvRows() {
        List<String> rows = new ArrayList<>();
        rows.add("shape,split,round,system,ef,recall_at_10,qps,p50_us,p99_us");
        curves.forEach(
                (system, rounds) -> {
                    for (int r = 0; r < rounds.size(); r++) {
                        for (Curve.Point p : rounds.get(r).points()) {
                            rows.add(
                                    String.format(
                                            Locale.ROOT,
                                            "%s,%s,%d,%s,%d,%.6f,%.2f,%.2f,%.2f",
                                            shape.id(),
                                            split,
                                            r + 1,
                                            system,
                                            p.ef(),
                                            p.recall(),
                                            p.qps(),
                                            p.p50Us(),
                                            p.p99Us()));
                        }
                    }
                });
        return rows;
    }

    String markdown(LocalDate date) {
        StringBuilder s = new StringBuilder();
        int rounds = curves.values().iterator().next().size();
        s.append(
                String.format(
                        Locale.ROOT,
                        "### %s, %s split (queries %d..%d), %s, M %d, efConstruction %d, k 10, one search thread; %d rounds, %s%n%n",
                        shape.id(),
                        split,
                        first,
                        first + count - 1,
                        shape.space(),
                        m,
                        efConstruction,
                        rounds,
                        date));
        s.append(
                "| system | ef | recall@10 | QPS median (min-max) | p50 us | p99 us |\n|---|---|---|---|---|---|\n");
        curves.forEach(
                (system, list) -> {
                    for (int i = 0; i < efs.length; i++) {
                        final int at = i;
                        double[] recall =
                                list.stream()
                                        .mapToDouble(c -> c.points().get(at).recall())
                                        .toArray();
                        double[] qps =
                                list.stream().mapToDouble(c -> c.points().get(at).qps()).toArray();
                        double[] p50 =
                                list.stream()
                                        .mapToDouble(c -> c.points().get(at).p50Us())
                                        .toArray();
                        double[] p99 =
                                list.stream()
                                        .mapToDouble(c -> c.points().get(at).p99Us())
                                        .toArray();
                        s.append(
                                String.format(
                                        Locale.ROOT,
                                        "| %s | %d | %.4f | %,.0f (%,.0f-%,.0f) | %.1f | %.1f |%n",
                                        system,
                                        efs[i],
                                        Curve.median(recall),
                                        Curve.median(qps),
                                        Curve.min(qps),
                                        Curve.max(qps),
                                        Curve.median(p50),
                                        Curve.median(p99)));
                    }
                });
        s.append(
                String.format(
                        Locale.ROOT,
                        "%nQPS / %s's at equal recall (log QPS interpolated between measured efs, each round's curves;"
                                + " `>=` where the smallest ef already exceeds the target, `-` where no ef reaches it):%n%n",
                        baseline));
        s.append("| system | recall | per round | median (min-max) |\n|---|---|---|---|\n");
        List<Curve> base = curves.get(baseline);
        curves.forEach(
                (system, list) -> {
                    if (system.equals(baseline)) {
                        return;
                    }
                    for (double target : shape.targets()) {
                        double[] ratios = new double[list.size()];
                        List<String> cells = new ArrayList<>();
                        for (int r = 0; r < list.size(); r++) {
                            ratios[r] = list.get(r).qpsAt(target) / base.get(r).qpsAt(target);
                            String mark = list.get(r).belowFirst(target) ? ">=" : "";
                            cells.add(
                                    Double.isFinite(ratios[r])
                                            ? String.format(Locale.ROOT, "%s%.2f", mark, ratios[r])
                                            : "-");
                        }
                        s.append(
                                String.format(
                                        Locale.ROOT,
                                        "| %s | %.2f | %s | %s |%n",
                                        system,
                                        target,
                                        String.join(" ", cells),
                                        range(ratios)));
                    }
                });
        if (!buildSeconds.isEmpty()) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "%nBuild, %d threads, each round in a fresh process (hnswmap: inserts and commit, JIT warm-up"
                                    + " included; hnswlib: inserts):%n%n",
                            buildThreads));
            s.append(
                    "| system | seconds median (min-max) | inserts/s | x "
                            + baseline
                            + " inserts/s | file bytes | x "
                            + baseline
                            + " |\n|---|---|---|---|---|---|\n");
            double baseSeconds =
                    buildSeconds.containsKey(baseline)
                            ? Curve.median(buildSeconds.get(baseline))
                            : Double.NaN;
            Long baseBytes = bytes.get(baseline);
            int rows = shape.baseRows();
            buildSeconds.forEach(
                    (system, seconds) -> {
                        double med = Curve.median(seconds);
                        long size = bytes.get(system);
                        s.append(
                                String.format(
                                        Locale.ROOT,
                                        "| %s | %.2f (%.2f-%.2f) | %,.0f | %.2f | %,d | %s |%n",
                                        system,
                                        med,
                                        Curve.min(seconds),
                                        Curve.max(seconds),
                                        rows / med,
                                        baseSeconds / med,
                                        size,
                                        size < 0 || baseBytes == null || baseBytes <= 0
                                                ? "-"
                                                : String.format(
                                                        Locale.ROOT,
                                                        "%.3f",
                                                        size / (double) baseBytes)));
                    });
        }
        return s.toString();
    }

    private static String range(double[] values) {
        double med = Curve.median(values);
        if (!Double.isFinite(med)) {
            return "-";
        }
        return String.format(
                Locale.ROOT, "**%.2f** (%.2f-%.2f)", med, Curve.min(values), Curve.max(values));
    }
}
