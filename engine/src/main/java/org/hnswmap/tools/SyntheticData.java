package org.hnswmap.tools;

import java.util.SplittableRandom;

/** Seeded synthetic vectors, as the hnswlib tutorial makes them. Stateless. */
public final class SyntheticData {

    private SyntheticData() {}

    /** {@code n} vectors of {@code dim} components uniform in [0, 1). */
    public static float[][] uniform(int n, int dim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] out = new float[n][dim];
        for (float[] row : out) {
            for (int j = 0; j < dim; j++) {
                row[j] = (float) random.nextDouble();
            }
        }
        return out;
    }
}
