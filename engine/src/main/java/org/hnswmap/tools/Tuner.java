package org.hnswmap.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.IndexDirectories;
import org.hnswmap.index.Space;

/**
 * The tuning workflow: sweep ef on one index, or build every (M, efConstruction) combination from
 * data and sweep each, and pick the smallest ef meeting a target recall. Stateless.
 */
public final class Tuner {

    /** Receives progress of long steps; every method may be a no-op. */
    public interface Listener {
        default void buildStarted(String name, int elements) {}

        default void buildProgress(long inserted) {}

        default void sweepStarted(String name, int efCount) {}

        default void sweepProgress(int ef) {}

        default void finished() {}
    }

    /** Data split into a base to index and held-out queries; base labels are row numbers. */
    public record Split(float[][] base, long[] baseLabels, float[][] queries) {}

    private Tuner() {}

    /** Sweeps ef on an open index; when {@code targetRecall} is a number, finds the smallest ef. */
    public static TuneResult tuneIndex(
            HnswIndex index,
            QuerySet queries,
            long[][] truth,
            EfSweep.Options options,
            double targetRecall,
            double buildSeconds,
            Listener listener) {
        listener.sweepStarted(
                TuneResult.nameOf(index.m(), index.efConstruction(), TraversalKind.of(index)),
                options.efs().length);
        IntConsumer progress = listener::sweepProgress;
        List<SweepPoint> points =
                new ArrayList<>(EfSweep.run(index, queries, truth, options, progress));
        int recommended = -1;
        if (!Double.isNaN(targetRecall)) {
            recommended =
                    EfSweep.smallestEfMeeting(index, queries, truth, points, targetRecall, options);
            int ef = recommended;
            if (ef > 0 && points.stream().noneMatch(p -> p.ef() == ef)) {
                points.add(EfSweep.measure(index, queries, truth, ef, options));
                points.sort(Comparator.comparingInt(SweepPoint::ef));
            }
        }
        listener.finished();
        return new TuneResult(
                index.m(),
                index.efConstruction(),
                TraversalKind.of(index),
                buildSeconds,
                index.fileSizeBytes(),
                index.size(),
                List.copyOf(points),
                recommended,
                index.getRerankPool());
    }

    /**
     * Builds one index per (M, efConstruction, traversal) in a fresh folder under {@code workDir}
     * (deleted afterwards), and tunes each on the same queries and ground truth.
     */
    public static List<TuneResult> tuneGrid(
            Space space,
            float[][] base,
            long[] baseLabels,
            QuerySet queries,
            long[][] truth,
            int[] ms,
            int[] efConstructions,
            List<TraversalKind> traversals,
            int buildThreads,
            EfSweep.Options options,
            double targetRecall,
            Path workDir,
            Listener listener) {
        List<TuneResult> results = new ArrayList<>();
        for (int m : ms) {
            for (int efc : efConstructions) {
                for (TraversalKind traversal : traversals) {
                    results.add(
                            buildAndTune(
                                    space,
                                    base,
                                    baseLabels,
                                    queries,
                                    truth,
                                    m,
                                    efc,
                                    traversal,
                                    buildThreads,
                                    options,
                                    targetRecall,
                                    workDir,
                                    listener));
                }
            }
        }
        return results;
    }

    private static TuneResult buildAndTune(
            Space space,
            float[][] base,
            long[] baseLabels,
            QuerySet queries,
            long[][] truth,
            int m,
            int efc,
            TraversalKind traversal,
            int buildThreads,
            EfSweep.Options options,
            double targetRecall,
            Path workDir,
            Listener listener) {
        Path dir = workDir.resolve("m" + m + "-efc" + efc + "-" + traversal.label());
        IndexConfig config =
                traversal
                        .configure(IndexConfig.builder(space, base[0].length))
                        .maxElements(base.length)
                        .m(m)
                        .efConstruction(efc)
                        .build();
        listener.buildStarted(TuneResult.nameOf(m, efc, traversal), base.length);
        LongConsumer progress = listener::buildProgress;
        IndexBuilder.BuildStats stats =
                IndexBuilder.build(dir, config, base, baseLabels, buildThreads, progress);
        listener.finished();
        try (HnswIndex index = HnswIndex.open(dir)) {
            return tuneIndex(
                    index, queries, truth, options, targetRecall, stats.seconds(), listener);
        } finally {
            IndexDirectories.deleteRecursively(dir);
        }
    }

    /** Holds out a seeded random sample of {@code queryCount} rows as queries. */
    public static Split holdOut(float[][] data, int queryCount, long seed) {
        if (queryCount < 1 || queryCount >= data.length) {
            throw new org.hnswmap.error.IllegalParameterException(
                    "cannot hold out " + queryCount + " of " + data.length + " rows as queries");
        }
        long[] rows = QuerySet.sample(IndexBuilder.rowNumbers(data.length), data.length, seed);
        java.util.Arrays.sort(rows, queryCount, rows.length);
        float[][] queries = new float[queryCount][];
        float[][] base = new float[data.length - queryCount][];
        long[] baseLabels = new long[base.length];
        for (int i = 0; i < rows.length; i++) {
            int row = (int) rows[i];
            if (i < queryCount) {
                queries[i] = data[row];
            } else {
                base[i - queryCount] = data[row];
                baseLabels[i - queryCount] = row;
            }
        }
        return new Split(base, baseLabels, queries);
    }
}
