package org.hnswmap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hnswmap.cli.FailureHandler.UsageException;
import org.hnswmap.index.BatchSearchResult;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.IndexDirectories;
import org.hnswmap.index.Space;
import org.hnswmap.tools.EfSweep;
import org.hnswmap.tools.GroundTruth;
import org.hnswmap.tools.IndexBuilder;
import org.hnswmap.tools.QuerySet;
import org.hnswmap.tools.SyntheticData;
import org.hnswmap.tools.TuneReport;
import org.hnswmap.tools.TuneResult;
import org.hnswmap.tools.Tuner;
import org.hnswmap.tools.VectorFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hnswmap demo}: the hnswlib tutorial end to end on an embedded default (10,000 random 128-d
 * vectors, M 16, efConstruction 200, ef 50, k 10): build, query, tune with a plot, commit, then a
 * second JVM opens the index and answers the same queries, compared to the bit.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The hnswlib tutorial end to end on 10,000 random 128-d vectors (M 16, efConstruction"
                    + " 200, ef 50, k 10): build, query, self-recall, tune with a plot (target"
                    + " recall 0.95), commit the tuned ef, then a second process opens the index"
                    + " and its answers are compared to the bit.",
            "Writes DIR/index, DIR/queries.fvecs, DIR/tune/ (table, CSV, JSON, PNG, SVG, HTML)."
        })
final class DemoCommand implements Callable<Integer> {

    static final int DIMENSION = 128;
    static final int K = 10;
    static final int EF = 50;
    static final double TARGET_RECALL = 0.95;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "DIR",
            defaultValue = "hnswmap-demo",
            description = "Working folder (default: ${DEFAULT-VALUE}); its index is replaced.")
    Path dir;

    @Option(names = "--elements", defaultValue = "10000", description = "Vectors (default: 10000).")
    int elements;

    @Option(names = "--queries", defaultValue = "1000", description = "Queries (default: 1000).")
    int queryCount;

    @Mixin ThreadsOption threadsOption;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (elements < 100 || queryCount < 1) {
            throw new UsageException("--elements must be at least 100 and --queries at least 1");
        }
        Path index = dir.resolve("index");
        prepareFolder(index);
        float[][] data = SyntheticData.uniform(elements, DIMENSION, 47);
        float[][] queries = SyntheticData.uniform(queryCount, DIMENSION, 4711);
        Path queryFile = dir.resolve("queries.fvecs");
        VectorFiles.writeFvecs(queryFile, queries);

        build(index, data);
        long[][] truth = queryAndCheckSelfRecall(index, data, queries);
        int tunedEf = tune(index, queries, truth);
        try (HnswIndex writer = HnswIndex.openForWrite(index)) {
            writer.setEf(tunedEf);
            writer.commit();
            System.out.printf(
                    "4. commit: ef %d stored as the index's default ef (commit generation %d);"
                            + " the writer stays open%n",
                    tunedEf, writer.commitGeneration());
            BatchSearchResult mine = writer.knnQuery(queries, K, tunedEf, threadsOption.threads);
            compareWithSecondProcess(index, queryFile, mine);
        }
        return 0;
    }

    private void prepareFolder(Path index) throws IOException {
        if (Files.exists(index)) {
            if (!Files.exists(index.resolve("index.meta"))) {
                throw new UsageException(index + " exists and is not an index; choose another DIR");
            }
            IndexDirectories.deleteRecursively(index);
        }
        Files.createDirectories(dir);
    }

    private void build(Path index, float[][] data) {
        IndexConfig config =
                IndexConfig.builder(Space.L2, DIMENSION)
                        .maxElements(elements)
                        .m(16)
                        .efConstruction(200)
                        .ef(EF)
                        .build();
        System.out.printf(
                "1. build: %,d random %d-d vectors, M 16, efConstruction 200, kernels %s%n",
                elements, DIMENSION, HnswIndex.kernelInUse());
        IndexBuilder.BuildStats stats;
        try (Progress bar = Progress.start(common.quiet, "build", elements, "vectors")) {
            stats =
                    IndexBuilder.build(
                            index, config, data, null, threadsOption.threads, bar::stepTo);
        }
        System.out.printf(
                "   built and committed in %.2f s (%,.0f inserts/s), files %.1f MB in %s%n",
                stats.seconds(), stats.insertsPerSecond(), stats.fileBytes() / 1e6, index);
    }

    /** Queries, prints recall and self-recall, and returns the exact ground truth. */
    private long[][] queryAndCheckSelfRecall(Path index, float[][] data, float[][] queries) {
        try (HnswIndex idx = HnswIndex.open(index)) {
            int n = Math.min(1_000, data.length);
            BatchSearchResult self =
                    idx.knnQuery(java.util.Arrays.copyOf(data, n), 1, EF, threadsOption.threads);
            int hits = 0;
            for (int i = 0; i < n; i++) {
                hits += self.labels()[i].length > 0 && self.labels()[i][0] == i ? 1 : 0;
            }
            BatchSearchResult result = idx.knnQuery(queries, K, EF, threadsOption.threads);
            long[][] truth =
                    GroundTruth.compute(idx, QuerySet.of(queries), K, threadsOption.threads);
            System.out.printf(
                    "2. query: %,d queries, k %d, ef %d: recall@%d %.4f against brute force;"
                            + " self-recall (each of %,d vectors finds itself) %.3f%n",
                    queries.length,
                    K,
                    EF,
                    K,
                    org.hnswmap.tools.Recall.atK(result.labels(), truth, K),
                    n,
                    hits / (double) n);
            return truth;
        }
    }

    /** Sweeps ef and returns the smallest meeting the target (the demo's ef when none does). */
    private int tune(Path index, float[][] queries, long[][] truth) throws IOException {
        Path out = dir.resolve("tune");
        Files.createDirectories(out);
        System.out.printf(
                "3. tune: ef sweep against exact ground truth, target recall@%d %.2f%n",
                K, TARGET_RECALL);
        EfSweep.Options options =
                new EfSweep.Options(K, EfSweep.defaultEfs(K), 3, threadsOption.threads);
        TuneResult result;
        TuneReport report;
        try (HnswIndex idx = HnswIndex.open(index)) {
            QuerySet qs = QuerySet.of(queries);
            try (Progress bar = Progress.start(common.quiet, "tune", options.efs().length, "ef")) {
                result =
                        Tuner.tuneIndex(
                                idx,
                                qs,
                                truth,
                                options,
                                TARGET_RECALL,
                                Double.NaN,
                                new Tuner.Listener() {
                                    @Override
                                    public void sweepProgress(int ef) {
                                        bar.step();
                                    }
                                });
            }
            report =
                    new TuneReport(
                            "L2",
                            DIMENSION,
                            queries.length,
                            false,
                            K,
                            TARGET_RECALL,
                            3,
                            idx.kernelName(),
                            List.of(result));
        }
        System.out.print(report.toTable().indent(3));
        ReportFiles.write(report, out);
        System.out.printf(
                "   plot %s, report %s%n",
                out.resolve(ReportFiles.PLOT + ".png"), out.resolve("report.html"));
        return result.recommendedEf() > 0 ? result.recommendedEf() : EF;
    }

    private void compareWithSecondProcess(Path index, Path queryFile, BatchSearchResult mine)
            throws IOException, InterruptedException {
        Path csv = dir.resolve("second-process.csv");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-modules=jdk.incubator.vector");
        command.add("--enable-native-access=ALL-UNNAMED");
        String kernel = System.getProperty("hnswmap.distance.kernel");
        if (kernel != null) {
            command.add("-Dhnswmap.distance.kernel=" + kernel);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        command.addAll(
                List.of(
                        Main.class.getName(),
                        "query",
                        index.toString(),
                        "--queries",
                        queryFile.toString(),
                        "-k",
                        String.valueOf(K),
                        "--out",
                        csv.toString()));
        long start = System.nanoTime();
        Process child = new ProcessBuilder(command).inheritIO().start();
        int exit = child.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (exit != 0) {
            throw new IOException("the second process failed with exit code " + exit);
        }
        int compared = compare(mine, Files.readAllLines(csv));
        System.out.printf(
                "5. second process (pid %d): a new JVM opened the index read-only beside the"
                        + " writer and answered the %,d queries with the stored ef in %.2f s"
                        + " including JVM start-up; its %,d labels and distances are identical"
                        + " to the writer's, to the bit.%n",
                child.pid(), mine.size(), seconds, compared);
    }

    /** Compares CSV rows {@code query,rank,label,distance} with in-process results. */
    static int compare(BatchSearchResult mine, List<String> csvLines) throws IOException {
        int compared = 0;
        for (String line : csvLines.subList(1, csvLines.size())) {
            String[] f = line.split(",");
            int q = Integer.parseInt(f[0]);
            int rank = Integer.parseInt(f[1]);
            long label = Long.parseLong(f[2]);
            float distance = Float.parseFloat(f[3]);
            if (mine.labels()[q][rank] != label
                    || Float.floatToIntBits(mine.distances()[q][rank])
                            != Float.floatToIntBits(distance)) {
                throw new IOException(
                        String.format(
                                "query %d rank %d: this process found %d at %s, the second"
                                        + " process %d at %s",
                                q,
                                rank,
                                mine.labels()[q][rank],
                                mine.distances()[q][rank],
                                label,
                                distance));
            }
            compared++;
        }
        int expected = java.util.Arrays.stream(mine.labels()).mapToInt(l -> l.length).sum();
        if (compared != expected) {
            throw new IOException(
                    "the second process returned "
                            + compared
                            + " neighbours, expected "
                            + expected);
        }
        return compared;
    }
}
