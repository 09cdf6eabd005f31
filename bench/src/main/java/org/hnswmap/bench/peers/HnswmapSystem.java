package org.hnswmap.bench.peers;

import java.nio.file.Path;
import java.util.Arrays;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.Space;
import org.hnswmap.tools.TraversalKind;

/**
 * hnswmap itself: built, committed, closed, then opened read-only as a reader would; {@code
 * hnswmap-int8}, {@code hnswmap-int4} and {@code hnswmap-b1} are the same with int8, 4-bit or
 * one-bit traversal and float32 re-ranking.
 */
public final class HnswmapSystem implements AnnSystem {

    private final TraversalKind traversal;
    private HnswIndex index;
    private Path dir;
    private long capacity;

    /**
     * Builds with room for {@code capacity} elements (at least the rows given): a scale run sizes
     * the sparse files for far more rows than it inserts.
     */
    public HnswmapSystem(TraversalKind traversal) {
        this.traversal = traversal;
    }

    public void capacity(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return nameOf(traversal);
    }

    /**
     * The system name of a traversal: hnswmap, hnswmap-int8, hnswmap-int4, hnswmap-b1,
     * hnswmap-int8-regions or hnswmap-int4-regions.
     */
    public static String nameOf(TraversalKind traversal) {
        return switch (traversal) {
            case FLOAT32 -> "hnswmap";
            case INT8 -> "hnswmap-int8";
            case INT4 -> "hnswmap-int4";
            case BINARY -> "hnswmap-b1";
            case INT8_REGIONS -> "hnswmap-int8-regions";
            case INT4_REGIONS -> "hnswmap-int4-regions";
        };
    }

    /** The traversal of the hnswmap system named {@code name}, or null when it names none. */
    public static TraversalKind traversalNamed(String name) {
        for (TraversalKind t : TraversalKind.values()) {
            if (nameOf(t).equals(name)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public int[] buildThreads(int[] requested) {
        return requested;
    }

    @Override
    public double build(float[][] base, int threads, Path dir) {
        close();
        long[] labels = new long[base.length];
        Arrays.setAll(labels, i -> i);
        IndexConfig config =
                traversal
                        .configure(IndexConfig.builder(Space.L2, base[0].length))
                        .maxElements(Math.max(capacity, base.length))
                        .m(16)
                        .efConstruction(200)
                        .build();
        long start = System.nanoTime();
        try (HnswIndex writer = HnswIndex.create(dir, config)) {
            writer.addItems(base, labels, threads);
            writer.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        this.dir = dir;
        return seconds;
    }

    /** Opens the last build read-only; returns the milliseconds taken. */
    public double open() {
        long start = System.nanoTime();
        index = HnswIndex.open(dir);
        return (System.nanoTime() - start) / 1e6;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public long[] search(float[] query, int k, int ef) {
        if (index == null) {
            open();
        }
        return index.knnQuery(query, k, Math.max(ef, k)).labels();
    }

    @Override
    public long indexBytes() {
        if (index == null) {
            open();
        }
        return index.fileSizeBytes();
    }

    @Override
    public void close() {
        if (index != null) {
            index.close();
            index = null;
        }
    }
}
