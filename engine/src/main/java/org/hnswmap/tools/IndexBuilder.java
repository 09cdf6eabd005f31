package org.hnswmap.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongConsumer;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.index.ClusteredInsertOrder;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.IndexDirectories;
import org.hnswmap.index.LocalityReorder;

/**
 * Builds an index from vectors in memory, in chunks so that long builds can report progress, and
 * commits it; optionally in a locality order at the end ({@link Options#reorder}). Stateless.
 */
public final class IndexBuilder {

    /**
     * What a build cost: wall time (the reorder's included) and the size of the files it wrote;
     * {@code reorderSeconds} is the reorder's share (0 without one).
     */
    public record BuildStats(int elements, double seconds, long fileBytes, double reorderSeconds) {
        public double insertsPerSecond() {
            return elements / seconds;
        }
    }

    /**
     * How to build.
     *
     * @param threads insert threads (-1: every core)
     * @param clusteredInserts insert the rows in {@link ClusteredInsertOrder} (see {@link
     *     HnswIndex#setClusteredInserts}), its time included in the build's
     * @param reorder build in {@link #unorderedSibling}, then copy the index into its folder in a
     *     locality order ({@link LocalityReorder}) and remove the first folder
     */
    public record Options(int threads, boolean clusteredInserts, boolean reorder) {

        /** On {@code threads} threads, rows in the given order, no reorder. */
        public static Options threads(int threads) {
            return new Options(threads, false, false);
        }

        public Options withClusteredInserts(boolean enabled) {
            return new Options(threads, enabled, reorder);
        }

        public Options withReorder(boolean enabled) {
            return new Options(threads, clusteredInserts, enabled);
        }
    }

    private IndexBuilder() {}

    /**
     * Creates an index at {@code dir}, inserts {@code vectors} under {@code labels} (row numbers
     * when null) on {@code threads} threads (-1: every core), commits and closes it. {@code
     * progress} (may be null) receives the number of elements inserted so far after each chunk.
     */
    public static BuildStats build(
            Path dir,
            IndexConfig config,
            float[][] vectors,
            long[] labels,
            int threads,
            LongConsumer progress) {
        return build(dir, config, vectors, labels, Options.threads(threads), progress);
    }

    /** Where a build with {@link Options#reorder} puts the graph before the copy: DIR.unordered. */
    public static Path unorderedSibling(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".unordered");
    }

    /**
     * As {@link #build(Path, IndexConfig, float[][], long[], int, LongConsumer)}, with {@code
     * options}.
     *
     * @throws IllegalParameterException when {@link Options#reorder} and {@link #unorderedSibling}
     *     exists (left by an interrupted build: it is not removed unasked)
     */
    public static BuildStats build(
            Path dir,
            IndexConfig config,
            float[][] vectors,
            long[] labels,
            Options options,
            LongConsumer progress) {
        Path built = options.reorder() ? unorderedSibling(dir) : dir;
        if (options.reorder() && Files.exists(built)) {
            throw new IllegalParameterException(
                    built
                            + ": exists (left by an interrupted build with reorder?); remove it first");
        }
        long start = System.nanoTime();
        long[] rowLabels = labels != null ? labels : rowNumbers(vectors.length);
        if (options.clusteredInserts()) {
            int[] order = ClusteredInsertOrder.of(vectors, config.randomSeed(), options.threads());
            float[][] rows = new float[order.length][];
            long[] rowLabelsInOrder = new long[order.length];
            for (int i = 0; i < order.length; i++) {
                rows[i] = vectors[order[i]];
                rowLabelsInOrder[i] = rowLabels[order[i]];
            }
            vectors = rows;
            rowLabels = rowLabelsInOrder;
        }
        int chunk = chunkSize(vectors.length);
        long fileBytes;
        try (HnswIndex index = HnswIndex.create(built, config)) {
            if (config.traversalRegions() > 0) {
                // the regions come from the whole data, not from the first chunk
                index.trainTraversalCodes(vectors);
            }
            for (int from = 0; from < vectors.length; from += chunk) {
                int to = Math.min(vectors.length, from + chunk);
                index.addItems(
                        Arrays.copyOfRange(vectors, from, to),
                        Arrays.copyOfRange(rowLabels, from, to),
                        options.threads());
                if (progress != null) {
                    progress.accept(to);
                }
            }
            index.commit();
            fileBytes = index.fileSizeBytes();
        }
        double reorderSeconds = 0;
        if (options.reorder()) {
            long reorderStart = System.nanoTime();
            try (HnswIndex unordered = HnswIndex.open(built);
                    HnswIndex copy = LocalityReorder.copy(unordered, dir)) {
                fileBytes = copy.fileSizeBytes();
            }
            IndexDirectories.deleteRecursively(built);
            reorderSeconds = (System.nanoTime() - reorderStart) / 1e9;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new BuildStats(vectors.length, seconds, fileBytes, reorderSeconds);
    }

    /** Labels 0 .. n-1. */
    public static long[] rowNumbers(int n) {
        long[] labels = new long[n];
        Arrays.setAll(labels, i -> i);
        return labels;
    }

    /** About 200 chunks, each at least 256 elements so the threads stay busy. */
    private static int chunkSize(int n) {
        return Math.max(256, n / 200);
    }
}
