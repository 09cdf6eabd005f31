package org.hnswmap.index;

import org.hnswmap.error.DimensionMismatchException;
import org.hnswmap.error.InvalidVectorException;

/** Validation and normalization of user vectors before they reach the engine. Stateless. */
final class VectorChecks {

    private VectorChecks() {}

    /**
     * Returns the vector to store or query with: a normalized copy for cosine, the caller's array
     * otherwise (never modified).
     */
    static float[] prepare(float[] vector, int dimension, Space space, String what) {
        if (vector == null) {
            throw new InvalidVectorException(what + " is null");
        }
        if (vector.length != dimension) {
            throw new DimensionMismatchException(
                    what
                            + " has dimension "
                            + vector.length
                            + ", the index has dimension "
                            + dimension);
        }
        double squaredNorm = 0;
        for (int i = 0; i < vector.length; i++) {
            float x = vector[i];
            if (!Float.isFinite(x)) {
                throw new InvalidVectorException(
                        what + " has a non-finite component " + x + " at index " + i);
            }
            squaredNorm += (double) x * x;
        }
        if (space != Space.COSINE) {
            return vector;
        }
        if (squaredNorm == 0) {
            throw new InvalidVectorException(
                    what + " is the zero vector, which has no cosine direction");
        }
        float inverse = (float) (1.0 / Math.sqrt(squaredNorm));
        float[] normalized = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            normalized[i] = vector[i] * inverse;
        }
        return normalized;
    }
}
