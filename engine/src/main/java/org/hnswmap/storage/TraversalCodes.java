package org.hnswmap.storage;

import java.util.List;
import org.hnswmap.graph.NodeScorer;

/**
 * A compact copy of the vectors that searches walk the graph on ({@link QuantizedVectors}: int8,
 * {@link BinaryVectors}: one bit per component), kept in step with the float32 rows by the writer.
 * Its distances are approximate; searches re-rank what they find with the float32 rows.
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
     * The centroid the codes are taken relative to, or null for codes without one (or before the
     * first row fixed it). A copy of an index that {@link #prepare}s its codes from this one vector
     * gets the same centroid bit for bit, so the same codes for the same rows.
     */
    default float[] centroid() {
        return null;
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
