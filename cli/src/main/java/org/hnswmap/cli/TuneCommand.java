package org.hnswmap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hnswmap.cli.FailureHandler.UsageException;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexDirectories;
import org.hnswmap.index.Space;
import org.hnswmap.tools.EfSweep;
import org.hnswmap.tools.GroundTruth;
import org.hnswmap.tools.QuerySet;
import org.hnswmap.tools.TraversalKind;
import org.hnswmap.tools.TuneReport;
import org.hnswmap.tools.TuneResult;
import org.hnswmap.tools.Tuner;
import org.hnswmap.tools.VectorFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hnswmap tune}: recall and latency over a range of ef, the smallest ef meeting a target
 * recall (stored in the index as its default ef), and optionally a grid of (M, efConstruction)
 * builds compared on one plot.
 */
@Command(
        name = "tune",
        mixinStandardHelpOptions = true,
        description = {
            "Sweeps ef on an index (or on indexes built from --data for each --m and"
                    + " --ef-construction) and reports recall@k, QPS, mean/p50/p99 latency, build"
                    + " time and index size: table on stdout, tune.csv, tune.json,"
                    + " recall-latency.png/.svg and report.html under --out.",
            "Ground truth: --groundtruth FILE.ivecs, or computed exactly (and saved as"
                    + " groundtruth.ivecs). Without --queries, a held-out sample of --data is used,"
                    + " or, on an index, a sample of its elements leave-one-out.",
            "--target-recall R picks the smallest ef whose recall@k >= R and, on an index, stores"
                    + " it as the index's default ef (every later reader uses it)."
        })
final class TuneCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "INDEX",
            description = "Index folder to tune (omit with --data and a grid).")
    Path index;

    @Option(names = "--data", paramLabel = "FILE", description = "Vectors to build from (grid).")
    Path data;

    @Option(
            names = {"-q", "--queries"},
            paramLabel = "FILE",
            description = "Query vectors.")
    Path queries;

    @Option(names = "--groundtruth", paramLabel = "FILE", description = "Exact top-k, .ivecs.")
    Path groundTruth;

    @Option(names = "-k", defaultValue = "10", description = "Neighbours (default: 10).")
    int k;

    @Option(
            names = "--efs",
            paramLabel = "LIST",
            description = "ef values, e.g. 10,20,40 (default: k, then 16..800).")
    String efs;

    @Option(names = "--target-recall", paramLabel = "R", description = "Target recall@k in (0, 1].")
    Double targetRecall;

    @Option(names = "--no-store", description = "Do not store the chosen ef in the index.")
    boolean noStore;

    @Option(names = "--m", paramLabel = "LIST", description = "M values to build, e.g. 8,16,32.")
    String ms;

    @Option(
            names = "--ef-construction",
            paramLabel = "LIST",
            description = "efConstruction values to build, e.g. 100,200,400.")
    String efConstructions;

    @Option(
            names = "--traversal",
            paramLabel = "LIST",
            description =
                    "Traversals to build, from float32, int8, int4, binary, int8-regions,"
                            + " int4-regions (the int8 or 4-bit rows as residuals to 256 k-means"
                            + " centroids; default: float32); one index per M, efConstruction and"
                            + " traversal.")
    String traversals;

    @Option(
            names = "--rerank-pools",
            paramLabel = "LIST",
            description =
                    "On an INDEX with traversal codes: re-rank pools to sweep, as multiples of the"
                            + " beam width, e.g. 0.125,0.25,0.5,2 (HnswIndex.setRerankPool); one"
                            + " curve per pool. A pool is per handle, not stored: the chosen ef is"
                            + " then not stored either.")
    String rerankPools;

    @Option(
            names = "--space",
            defaultValue = "l2",
            description = "Space for --data builds (default: ${DEFAULT-VALUE}).")
    String space;

    @Option(
            names = "--sample",
            defaultValue = "1000",
            description = "Queries to hold out or sample when --queries is absent (default: 1000).")
    int sample;

    @Option(
            names = "--repeats",
            defaultValue = "3",
            description = "Timed passes per ef (default: 3).")
    int repeats;

    @Mixin ThreadsOption threadsOption;

    @Option(names = "--seed", defaultValue = "42", description = "Sampling seed (default: 42).")
    long seed;

    @Option(
            names = {"-o", "--out"},
            defaultValue = "hnswmap-tune",
            paramLabel = "DIR",
            description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        validate();
        Files.createDirectories(out);
        if (ms != null || efConstructions != null || traversals != null || index == null) {
            writeReport(grid());
            return 0;
        }
        TuneReport report = onIndex();
        writeReport(report);
        if (rerankPools != null) {
            System.out.println(
                    "no ef stored: it goes with its re-rank pool, which is set per handle"
                            + " (HnswIndex.setRerankPool), not stored in the index");
            return 0;
        }
        int chosen = report.results().get(0).recommendedEf();
        if (chosen > 0 && !noStore) {
            storeEf(chosen);
        }
        return 0;
    }

    private void validate() {
        if (index == null && data == null) {
            throw new UsageException("give an INDEX to tune, or --data to build from");
        }
        if (index != null && data != null) {
            throw new UsageException("give either an INDEX or --data, not both");
        }
        if (index == null && rerankPools != null) {
            throw new UsageException("--rerank-pools tunes an existing INDEX, not --data builds");
        }
        if (index != null && (ms != null || efConstructions != null || traversals != null)) {
            throw new UsageException(
                    "--m, --ef-construction and --traversal build from --data, not an INDEX");
        }
        if (targetRecall != null && !(targetRecall > 0 && targetRecall <= 1)) {
            throw new UsageException("--target-recall must be in (0, 1], not " + targetRecall);
        }
        if (k < 1 || repeats < 1 || sample < 1) {
            throw new UsageException("-k, --repeats and --sample must be at least 1");
        }
        if (groundTruth != null && queries == null) {
            throw new UsageException("--groundtruth needs the --queries it was computed for");
        }
    }

    private EfSweep.Options options() {
        int[] grid = efs != null ? Inputs.intList(efs, "--efs", 1) : EfSweep.defaultEfs(k);
        return new EfSweep.Options(k, grid, repeats, threadsOption.threads);
    }

    private double target() {
        return targetRecall == null ? Double.NaN : targetRecall;
    }

    private TuneReport onIndex() throws IOException {
        double[] pools = rerankPools();
        List<TuneResult> results = new ArrayList<>();
        QuerySet qs;
        String spaceName;
        String kernel;
        int dimension;
        try (HnswIndex idx = HnswIndex.open(index)) {
            qs =
                    queries != null
                            ? QuerySet.of(Inputs.queries(queries, idx.dimension(), "the index"))
                            : QuerySet.sampleOf(idx, sample, seed);
            long[][] truth = truth(idx, qs);
            if (pools.length > 0 && TraversalKind.of(idx) == TraversalKind.FLOAT32) {
                throw new UsageException(
                        "--rerank-pools needs an index with traversal codes (int8, int4 or binary);"
                                + " "
                                + index
                                + " searches float32 rows and re-ranks nothing");
            }
            double[] sweeps = pools.length > 0 ? pools : new double[] {Double.NaN};
            for (double pool : sweeps) {
                if (!Double.isNaN(pool)) {
                    idx.setRerankPool(pool);
                }
                try (Progress bar =
                        Progress.start(common.quiet, "tune", options().efs().length, "ef")) {
                    results.add(
                            Tuner.tuneIndex(
                                    idx,
                                    qs,
                                    truth,
                                    options(),
                                    target(),
                                    Double.NaN,
                                    new BarListener(bar)));
                }
            }
            spaceName = idx.space().name();
            kernel = idx.kernelName();
            dimension = idx.dimension();
        }
        return new TuneReport(
                spaceName,
                dimension,
                qs.size(),
                qs.hasSelfLabels(),
                k,
                target(),
                repeats,
                kernel,
                results);
    }

    /** The parsed --rerank-pools, empty when absent. */
    private double[] rerankPools() {
        if (rerankPools == null) {
            return new double[0];
        }
        String[] parts = rerankPools.split(",");
        double[] pools = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                pools[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException(
                        "--rerank-pools: '" + parts[i].trim() + "' is not a number");
            }
            if (!(pools[i] > 0 && pools[i] <= 64)) {
                throw new UsageException(
                        "--rerank-pools: a pool must be above 0 and at most 64, not " + parts[i]);
            }
        }
        return pools;
    }

    private long[][] truth(HnswIndex idx, QuerySet qs) throws IOException {
        if (groundTruth != null) {
            long[][] truth = GroundTruth.fromIvecs(VectorFiles.readIvecs(groundTruth));
            String problem = GroundTruth.mismatch(idx, qs, truth, k);
            if (problem != null) {
                throw new UsageException(groundTruth + ": " + problem);
            }
            return truth;
        }
        System.out.printf("computing exact ground truth for %,d queries...%n", qs.size());
        long[][] truth = GroundTruth.compute(idx, qs, k, threadsOption.threads);
        saveTruth(truth);
        return truth;
    }

    private void saveTruth(long[][] truth) throws IOException {
        try {
            VectorFiles.writeIvecs(out.resolve("groundtruth.ivecs"), GroundTruth.toIvecs(truth));
        } catch (IllegalArgumentException e) {
            System.out.println("ground truth not saved: " + e.getMessage());
        }
    }

    private void storeEf(int ef) {
        try (HnswIndex writer = HnswIndex.openForWrite(index)) {
            writer.setEf(ef);
            writer.commit();
        }
        System.out.printf("stored ef %d as the default ef of %s%n", ef, index);
    }

    private TuneReport grid() throws IOException {
        float[][] all = Inputs.vectors(data, "data");
        Space sp = Space.parse(space);
        float[][] base;
        long[] baseLabels;
        QuerySet qs;
        if (queries != null) {
            base = all;
            baseLabels = null;
            qs = QuerySet.of(Inputs.queries(queries, all[0].length, data.toString()));
        } else {
            Tuner.Split split = Tuner.holdOut(all, Math.min(sample, all.length / 10), seed);
            base = split.base();
            baseLabels = split.baseLabels();
            qs = QuerySet.of(split.queries());
        }
        long[][] truth;
        if (groundTruth != null) {
            truth = GroundTruth.fromIvecs(VectorFiles.readIvecs(groundTruth));
            if (truth.length != qs.size() || truth[0].length < k) {
                throw new UsageException(
                        groundTruth
                                + ": "
                                + truth.length
                                + " rows of "
                                + truth[0].length
                                + " for "
                                + qs.size()
                                + " queries and k "
                                + k);
            }
        } else {
            System.out.printf(
                    "computing exact ground truth for %,d queries over %,d vectors...%n",
                    qs.size(), base.length);
            truth =
                    GroundTruth.compute(
                            sp, base, baseLabels, qs.vectors(), k, threadsOption.threads);
            saveTruth(truth);
        }
        int[] mList = ms != null ? Inputs.intList(ms, "--m", 2) : new int[] {16};
        int[] efcList =
                efConstructions != null
                        ? Inputs.intList(efConstructions, "--ef-construction", 1)
                        : new int[] {200};
        Path work = Files.createTempDirectory(out.toAbsolutePath(), "builds-");
        try {
            GridListener listener = new GridListener(common.quiet, options().efs().length);
            List<TuneResult> results =
                    Tuner.tuneGrid(
                            sp,
                            base,
                            baseLabels,
                            qs,
                            truth,
                            mList,
                            efcList,
                            traversalList(),
                            threadsOption.threads,
                            options(),
                            target(),
                            work,
                            listener);
            return new TuneReport(
                    sp.name(),
                    all[0].length,
                    qs.size(),
                    false,
                    k,
                    target(),
                    repeats,
                    HnswIndex.kernelInUse(),
                    results);
        } finally {
            IndexDirectories.deleteRecursively(work);
        }
    }

    private void writeReport(TuneReport report) throws IOException {
        System.out.println();
        System.out.print(report.toTable());
        ReportFiles.write(report, out);
        System.out.printf(
                "wrote %s: tune.csv, tune.json, recall-latency.png, recall-latency.svg,"
                        + " report.html%n",
                out);
    }

    /** Steps a bar once per swept ef. */
    private record BarListener(Progress bar) implements Tuner.Listener {
        @Override
        public void sweepProgress(int ef) {
            bar.step();
        }
    }

    /** One bar per build and one per sweep. */
    private static final class GridListener implements Tuner.Listener {
        private final boolean quiet;
        private final int efCount;
        private Progress bar;

        GridListener(boolean quiet, int efCount) {
            this.quiet = quiet;
            this.efCount = efCount;
        }

        @Override
        public void buildStarted(String name, int elements) {
            bar = Progress.start(quiet, "build " + name, elements, "vectors");
        }

        @Override
        public void buildProgress(long inserted) {
            bar.stepTo(inserted);
        }

        @Override
        public void sweepStarted(String name, int efs) {
            bar = Progress.start(quiet, "tune " + name, efCount, "ef");
        }

        @Override
        public void sweepProgress(int ef) {
            bar.step();
        }

        @Override
        public void finished() {
            bar.close();
        }
    }

    private List<TraversalKind> traversalList() {
        if (traversals == null) {
            return List.of(TraversalKind.FLOAT32);
        }
        List<TraversalKind> kinds = new ArrayList<>();
        for (String name : traversals.split(",")) {
            try {
                kinds.add(TraversalKind.parse(name));
            } catch (RuntimeException e) {
                throw new UsageException("--traversal: " + e.getMessage());
            }
        }
        return kinds;
    }
}
