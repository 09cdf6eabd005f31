package org.hnswmap.tools;

import java.util.List;

/**
 * The sweep of one index configuration: its parameters, what building it cost (NaN seconds when the
 * index was built earlier), its file size, the measured points in ef order, and the smallest ef
 * meeting the target recall (-1 when none or no target), and the re-rank pool the sweep ran with
 * ({@link org.hnswmap.index.HnswIndex#setRerankPool}; NaN: the codes' own). Immutable.
 */
public record TuneResult(
        int m,
        int efConstruction,
        TraversalKind traversal,
        double buildSeconds,
        long indexBytes,
        int elements,
        List<SweepPoint> points,
        int recommendedEf,
        double rerankPool) {

    /** A result swept with the codes' own re-rank pool. */
    public TuneResult(
            int m,
            int efConstruction,
            TraversalKind traversal,
            double buildSeconds,
            long indexBytes,
            int elements,
            List<SweepPoint> points,
            int recommendedEf) {
        this(
                m,
                efConstruction,
                traversal,
                buildSeconds,
                indexBytes,
                elements,
                points,
                recommendedEf,
                Double.NaN);
    }

    /**
     * A short name for plots and tables, e.g. {@code "M=16 efC=200"}, or {@code "M=16 efC=200
     * int8"} for an index with a traversal copy, {@code "M=16 efC=200 binary pool 0.25"} when the
     * sweep set a re-rank pool.
     */
    public String name() {
        return nameOf(m, efConstruction, traversal)
                + (Double.isNaN(rerankPool) ? "" : " pool " + poolLabel(rerankPool));
    }

    /** A pool as typed: {@code 0.25}, {@code 2}. */
    static String poolLabel(double pool) {
        return pool == Math.rint(pool) ? Long.toString((long) pool) : Double.toString(pool);
    }

    /** {@link #name()} of a configuration. */
    public static String nameOf(int m, int efConstruction, TraversalKind traversal) {
        return "M="
                + m
                + " efC="
                + efConstruction
                + (traversal == TraversalKind.FLOAT32 ? "" : " " + traversal.label());
    }

    /** The measured point at the recommended ef, or null. */
    public SweepPoint recommendedPoint() {
        return points.stream().filter(p -> p.ef() == recommendedEf).findFirst().orElse(null);
    }
}
