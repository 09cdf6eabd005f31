package org.hnswmap.bench.layout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.hnswmap.bench.RecallCurves;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.tools.VectorFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What layout changes would buy before the format is changed for any (issue 18): the codes of each
 * node's neighbours stored next to its adjacency list, so that a hop reads one block (NGT's QG,
 * glass), 4-bit codes instead of int8 (glass's SQ4U, multi-bit RaBitQ), and the rows' headers in a
 * table of their own so that the codes alone fill whole cache lines. Reads a graph in hnswlib's
 * layout and lays codes out as {@link SeparateRows} (the engine's rows), {@link CodesNextToLists},
 * {@link HeadersApart} and {@link CodeWithOwnList} (hnswlib's block per node), each with int8 codes
 * ({@link Int8Codes}) and 4-bit ones ({@link FourBitCodes}); checks that the layouts of one format
 * answer alike; then times all of them on the same queries in one JVM, taking turns round by round,
 * and prints recall and QPS per ef and, with {@code --recall}, QPS at each target recall. With
 * {@code --residual N} it adds int8 and 4-bit codes of each row's residual to the nearest of N
 * k-means centroids ({@link ResidualCodes}), in separate rows and beside each node's own list, the
 * codes issue 18 asks for where one range per row cannot tell neighbours in a cluster apart. With
 * {@code --hnswmap DIR} it also times that hnswmap index (an int8 one of the same data, opened
 * read-only through the public API), so that the tables show how the probe's layouts compare with
 * the engine's own int8 search.
 *
 * <p>It compares layouts of one search, not hnswmap with a peer: everything runs in this JVM.
 */
@Command(
        name = "LayoutProbe",
        mixinStandardHelpOptions = true,
        description =
                "Times a search of one graph over int8 and 4-bit codes, in separate rows, next"
                        + " to each adjacency list, and with the rows' headers apart; optionally"
                        + " over codes of residuals to k-means centroids.")
public final class LayoutProbe implements Callable<Integer> {

    @Option(
            names = "--index",
            required = true,
            description = "graph in hnswlib's save_index layout")
    Path index;

    @Option(names = "--queries", required = true, description = "queries (.fvecs)")
    Path queries;

    @Option(names = "--truth", required = true, description = "exact neighbours (.ivecs)")
    Path truth;

    @Option(names = "--space", required = true, description = "l2, ip or cosine")
    String space;

    @Option(names = "--ef", required = true, split = ",", description = "beam widths")
    int[] efs;

    @Option(names = "--hnswmap", description = "an hnswmap index of the same data, timed alongside")
    Path hnswmap;

    @Option(
            names = "--recall",
            split = ",",
            description = "recall targets: QPS at each, interpolated between the efs, per system")
    double[] targets = {};

    @Option(
            names = "--first",
            defaultValue = "1000",
            description = "first query (${DEFAULT-VALUE})")
    int first;

    @Option(names = "--count", defaultValue = "1000", description = "queries (${DEFAULT-VALUE})")
    int count;

    @Option(names = "--rounds", defaultValue = "3", description = "timed rounds (${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--seconds",
            defaultValue = "1",
            description = "seconds per system, ef and round (${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "-k", defaultValue = "10", description = "neighbours (${DEFAULT-VALUE})")
    int k;

    @Option(
            names = "--residual",
            defaultValue = "0",
            description =
                    "also int8 and 4-bit codes of each row's residual to the nearest of this many"
                            + " k-means centroids, in separate rows and beside each node's own"
                            + " list (0: none, the default)")
    int residualCentroids;

    @Option(
            names = "--separate-only",
            description = "only the separate-rows layout of each format (the engine's)")
    boolean separateOnly;

    /** One searcher under a name. */
    private interface Searcher {
        long[] search(float[] query, int k, int ef);
    }

    private record Timed(String name, Searcher searcher) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new LayoutProbe()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean innerProduct =
                switch (space) {
                    case "l2" -> false;
                    case "ip", "cosine" -> true;
                    default ->
                            throw new IllegalArgumentException(
                                    "--space must be l2, ip or cosine, not " + space);
                };
        Arrays.sort(efs); // the recall curves are read in ef order
        if (Arrays.stream(efs).anyMatch(ef -> ef < k)) {
            throw new IllegalArgumentException("every --ef must be at least k (" + k + ")");
        }
        HnswlibGraph graph = HnswlibGraph.read(index);
        float[][] qs = queries(graph.dimension);
        int[][] exact = VectorFiles.readIvecs(truth);
        if (exact.length < first + count) {
            throw new IllegalArgumentException(
                    truth + " has no ground truth for query " + (first + count - 1));
        }
        List<Supplier<CodeFormat>> formats = new ArrayList<>();
        formats.add(Int8Codes::new);
        formats.add(() -> new FourBitCodes(graph.dimension));
        List<ProbeSearcher> layouts = new ArrayList<>();
        for (Supplier<CodeFormat> format : formats) {
            // each format laid out both ways, separate rows first (the per-ef table's ratio)
            ProbeSearcher separate = new SeparateRows(graph, innerProduct, format.get());
            if (separateOnly) {
                layouts.add(separate);
                continue;
            }
            ProbeSearcher nextToLists = new CodesNextToLists(graph, innerProduct, format.get());
            requireSameAnswers(separate, nextToLists, qs);
            layouts.add(separate);
            layouts.add(nextToLists);
            ProbeSearcher apart = new HeadersApart(graph, innerProduct, format.get());
            requireSameAnswers(separate, apart, qs);
            layouts.add(apart);
            ProbeSearcher ownList = new CodeWithOwnList(graph, innerProduct, format.get());
            requireSameAnswers(separate, ownList, qs);
            layouts.add(ownList);
        }
        if (residualCentroids > 0) {
            long start = System.nanoTime();
            Centroids regions = Centroids.train(graph, residualCentroids, 42);
            System.out.printf(
                    Locale.ROOT,
                    "k-means, %d centroids: %.1f s%n",
                    residualCentroids,
                    (System.nanoTime() - start) / 1e9);
            for (Supplier<CodeFormat> format : formats) {
                layouts.add(
                        new SeparateRows(
                                graph, innerProduct, new ResidualCodes(format.get(), regions)));
            }
            if (!separateOnly) {
                for (Supplier<CodeFormat> format : formats) {
                    layouts.add(
                            new CodeWithOwnList(
                                    graph, innerProduct, new ResidualCodes(format.get(), regions)));
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%s: %,d nodes x %d, float32 rows %,d bytes%n",
                index,
                graph.size,
                graph.dimension,
                graph.rows.byteSize());
        List<Timed> systems = new ArrayList<>();
        for (ProbeSearcher layout : layouts) {
            System.out.printf(
                    Locale.ROOT, "  %s: %,d bytes besides them%n", layout.name(), layout.bytes());
            systems.add(new Timed(layout.name(), layout::search));
        }
        HnswIndex engine = hnswmap == null ? null : HnswIndex.open(hnswmap);
        try {
            if (engine != null) {
                systems.add(
                        new Timed(
                                "hnswmap " + hnswmap.getFileName(),
                                (q, n, ef) -> engine.knnQuery(q, n, ef).labels()));
            }
            report(systems, qs, exact);
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
        return 0;
    }

    private float[][] queries(int dimension) throws Exception {
        float[][] all = VectorFiles.readFvecs(queries);
        if (first < 0 || count < 1 || first + count > all.length) {
            throw new IllegalArgumentException(
                    "queries " + first + ".." + (first + count - 1) + " are not all in " + queries);
        }
        float[][] qs = Arrays.copyOfRange(all, first, first + count);
        for (float[] q : qs) {
            if (q.length != dimension) {
                throw new IllegalArgumentException(
                        "queries have " + q.length + " components, the graph's rows " + dimension);
            }
            if (space.equals("cosine")) {
                normalize(q);
            }
        }
        return qs;
    }

    /** The per-ef table's last column is the ratio of system 1's QPS to system 0's. */
    private void report(List<Timed> systems, float[][] qs, int[][] exact) {
        double[][] recall = new double[systems.size()][efs.length];
        for (int e = 0; e < efs.length; e++) {
            for (int s = 0; s < systems.size(); s++) {
                recall[s][e] = recall(systems.get(s).searcher(), qs, exact, efs[e]);
            }
        }
        double[][][] qps = new double[systems.size()][efs.length][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < systems.size(); turn++) {
                // the order turns round by round, so that no system always runs first
                int s = (turn + round) % systems.size();
                for (int e = 0; e < efs.length; e++) {
                    qps[s][e][round] = timed(systems.get(s).searcher(), qs, efs[e]);
                }
            }
        }
        StringBuilder head = new StringBuilder("| ef |");
        StringBuilder rule = new StringBuilder("|---:|");
        for (Timed system : systems) {
            head.append(" ").append(system.name()).append(": recall@").append(k).append(", QPS |");
            rule.append("---|");
        }
        System.out.println();
        System.out.println(
                head + " " + systems.get(1).name() + " / " + systems.get(0).name() + " |");
        System.out.println(rule + "---|");
        for (int e = 0; e < efs.length; e++) {
            StringBuilder line = new StringBuilder("| " + efs[e] + " |");
            for (int s = 0; s < systems.size(); s++) {
                line.append(String.format(Locale.ROOT, " %.4f, ", recall[s][e]))
                        .append(spread(qps[s][e], "%,.0f"))
                        .append(" |");
            }
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = qps[1][e][r] / qps[0][e][r];
            }
            System.out.println(line + " " + spread(ratios, "%.2f") + " |");
        }
        if (targets.length > 0) {
            atRecall(systems, recall, qps);
        }
    }

    /** QPS at each target recall per system and round, and its ratio to the first system's. */
    private void atRecall(List<Timed> systems, double[][] recall, double[][][] qps) {
        System.out.println();
        System.out.println(
                "| recall | system | QPS at that recall | / " + systems.get(0).name() + " |");
        System.out.println("|---|---|---|---|");
        for (double target : targets) {
            double[] base = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                base[r] = RecallCurves.qpsAtRecall(recall[0], column(qps[0], r), target);
            }
            for (int s = 0; s < systems.size(); s++) {
                double[] at = new double[rounds];
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    at[r] = RecallCurves.qpsAtRecall(recall[s], column(qps[s], r), target);
                    ratio[r] = at[r] / base[r];
                }
                System.out.printf(
                        Locale.ROOT,
                        "| %.2f | %s | %s | %s |%n",
                        target,
                        systems.get(s).name(),
                        spread(at, "%,.0f"),
                        spread(ratio, "%.2f"));
            }
        }
    }

    /** Round {@code r}'s QPS at every ef. */
    private static double[] column(double[][] byEf, int r) {
        double[] out = new double[byEf.length];
        for (int e = 0; e < byEf.length; e++) {
            out[e] = byEf[e][r];
        }
        return out;
    }

    /**
     * Fails when two layouts of one code format answer a query differently at any of the efs: they
     * must differ in memory traffic only.
     */
    private void requireSameAnswers(ProbeSearcher a, ProbeSearcher b, float[][] qs) {
        for (int ef : efs) {
            for (int i = 0; i < qs.length; i++) {
                if (!Arrays.equals(a.search(qs[i], k, ef), b.search(qs[i], k, ef))) {
                    throw new IllegalStateException(
                            b.name()
                                    + " answers query "
                                    + (first + i)
                                    + " at ef "
                                    + ef
                                    + " differently from "
                                    + a.name());
                }
            }
        }
    }

    private double recall(Searcher searcher, float[][] qs, int[][] exact, int ef) {
        long hits = 0;
        for (int i = 0; i < qs.length; i++) {
            Set<Long> truth = new HashSet<>();
            for (int j = 0; j < k; j++) {
                truth.add((long) exact[first + i][j]);
            }
            for (long label : searcher.search(qs[i], k, ef)) {
                hits += truth.contains(label) ? 1 : 0;
            }
        }
        return hits / (double) (k * qs.length);
    }

    /** Queries per second of whole passes over the queries for at least {@link #seconds}. */
    private double timed(Searcher searcher, float[][] qs, int ef) {
        long sink = 0;
        long start = System.nanoTime();
        long done = 0;
        do {
            for (float[] q : qs) {
                sink += searcher.search(q, k, ef).length;
            }
            done += qs.length;
        } while (System.nanoTime() - start < seconds * 1e9);
        double qps = done / ((System.nanoTime() - start) / 1e9);
        return sink < 0 ? -qps : qps; // keeps the answers alive
    }

    private static String spread(double[] values, String format) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(
                Locale.ROOT,
                format + " (" + format + "-" + format + ")",
                sorted[sorted.length / 2],
                sorted[0],
                sorted[sorted.length - 1]);
    }

    private static void normalize(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        if (squares > 0) {
            float inverse = (float) (1 / Math.sqrt(squares));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inverse;
            }
        }
    }
}
