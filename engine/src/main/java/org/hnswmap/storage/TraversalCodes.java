package org.hnswmap.storage;

import java.util.List;
import org.hnswmap.graph.NodeScorer;

/**
 * A compact copy of the vectors that searches walk the graph on ({@link QuantizedVectors}: int8 or
 * 4-bit, {@link BinaryVectors}: one bit per component), kept in step with the float32 rows by the
 * writer. Its distances are approximate; searches re-rank what they find with the float32 rows.
 *
 * <p>Implementations are thread-safe for one writer and any number of readers.
 */
interface TraversalCodes {

    /** Approximate distances from {@code query} (stored form: normalized for cosine). */
    NodeScorer queryScorer(float[] query);

    /** See {@link org.hnswmap.graph.GraphVectors#rerankPoolSize}. */
    default int rerankPoolSize(int beamWidth) {
        return beamWidth;
    }

    /**
     * Writer: called with the vectors of an insert (stored form) before any of their rows is
     * written, so codes that need statistics of the data can fix them. Does nothing by default.
     */
    default void prepare(List<float[]> vectors) {}

    /**
     * The centroids the codes are taken relative to (one for one-bit codes, one per region for
     * codes with traversal regions), or null for codes without any (or before the first insert
     * fixed them). A copy of an index that {@link #adoptCentroids adopts} them gets the same codes
     * for the same rows. Callers must not change them.
     */
    default float[][] centroids() {
        return null;
    }

    /**
     * Writer, before the first row is written: takes {@code centroids} (another index's {@link
     * #centroids}) as this file's.
     *
     * @throws IllegalArgumentException when these codes have no centroids or others in number
     */
    default void adoptCentroids(float[][] centroids) {
        throw new IllegalArgumentException("these codes have no centroids");
    }

    /**
     * Up to {@code most} of {@code rows}, evenly spaced from the first: the sample codes take their
     * statistics from.
     */
    static List<float[]> evenlySpaced(List<float[]> rows, int most) {
        int count = Math.min(rows.size(), most);
        List<float[]> sample = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sample.add(rows.get((int) ((long) i * rows.size() / count)));
        }
        return sample;
    }

    /** Writer: stores the codes of {@code vector} as the row of {@code node}. */
    void write(int node, float[] vector);

    /**
     * Null when the stored row of {@code node} is the encoding of {@code vector}, else what differs
     * (for verification).
     */
    String mismatch(int node, float[] vector);

    /** Null when the file's own header (if it has one) is sound, else what is wrong. */
    default String headerProblem() {
        return null;
    }
}
