package org.hnswmap.tools;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongConsumer;
import org.hnswmap.index.ClusteredInsertOrder;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;

/**
 * Builds an index from vectors in memory, in chunks so that long builds can report progress, and
 * commits it. Stateless.
 */
public final class IndexBuilder {

    /** What a build cost: wall time and the size of the files it wrote. */
    public record BuildStats(int elements, double seconds, long fileBytes) {
        public double insertsPerSecond() {
            return elements / seconds;
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
        return build(dir, config, vectors, labels, threads, false, progress);
    }

    /**
     * As {@link #build(Path, IndexConfig, float[][], long[], int, LongConsumer)}; with {@code
     * clusteredInserts} the rows go in {@link ClusteredInsertOrder} (see {@link
     * HnswIndex#setClusteredInserts}), its time included in the build's.
     */
    public static BuildStats build(
            Path dir,
            IndexConfig config,
            float[][] vectors,
            long[] labels,
            int threads,
            boolean clusteredInserts,
            LongConsumer progress) {
        long start = System.nanoTime();
        long[] rowLabels = labels != null ? labels : rowNumbers(vectors.length);
        if (clusteredInserts) {
            int[] order = ClusteredInsertOrder.of(vectors, config.randomSeed(), threads);
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
        try (HnswIndex index = HnswIndex.create(dir, config)) {
            for (int from = 0; from < vectors.length; from += chunk) {
                int to = Math.min(vectors.length, from + chunk);
                index.addItems(
                        Arrays.copyOfRange(vectors, from, to),
                        Arrays.copyOfRange(rowLabels, from, to),
                        threads);
                if (progress != null) {
                    progress.accept(to);
                }
            }
            index.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new BuildStats(vectors.length, seconds, index.fileSizeBytes());
        }
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
