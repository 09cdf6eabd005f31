package org.hnswmap.bench.large;

import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * A clustered data set too large to hold, generated row by row: row {@code i} is the same in every
 * process and every pass, so the build, the ground truth and the searcher regenerate what they need
 * instead of reading a file of rows as large as the index. {@code clusters} Gaussian centres in
 * {@code dimension} dimensions (unit variance per component); a row is its centre, plus a point of
 * a {@link #LATENT}-dimensional Gaussian mapped into the full space by one fixed random matrix
 * (scaled by {@code spread}), plus a little isotropic noise, normalized (searched with cosine).
 * Embeddings vary along few directions; isotropic noise in all 768 would make every neighbour
 * nearly as far as any other (the hardest case, unlike the data such an index serves). Queries are
 * rows of the same mixture drawn from another seed. Immutable; serializable, so that Spark tasks
 * generate their partitions' rows (the Spark bench).
 */
public final class ClusteredRows implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private static final long QUERY_SEED_OFFSET = 1L << 40;

    /** Dimensions along which rows of a cluster vary. */
    static final int LATENT = 48;

    /** Standard deviation of the isotropic noise, per component. */
    private static final double NOISE = 0.05;

    private final int dimension;
    private final float[][] centres;

    /** {@code LATENT x dimension}: the latent point's map into the full space. */
    private final float[][] basis;

    private final double spread;
    private final long seed;

    public ClusteredRows(int dimension, int clusters, double spread, long seed) {
        this.dimension = dimension;
        this.spread = spread;
        this.seed = seed;
        this.centres = new float[clusters][dimension];
        SplittableRandom random = new SplittableRandom(seed);
        for (float[] centre : centres) {
            for (int d = 0; d < dimension; d++) {
                centre[d] = (float) random.nextGaussian();
            }
        }
        this.basis = new float[LATENT][dimension];
        for (float[] direction : basis) {
            for (int d = 0; d < dimension; d++) {
                direction[d] = (float) random.nextGaussian();
            }
        }
    }

    public int dimension() {
        return dimension;
    }

    /** Base row {@code i}. */
    public float[] row(long i) {
        return draw(seed * 0x9E3779B97F4A7C15L + i);
    }

    /** Query {@code q} (not a base row). */
    public float[] query(int q) {
        return draw(seed * 0x9E3779B97F4A7C15L + QUERY_SEED_OFFSET + q);
    }

    /** Rows {@code [first, first + count)}, generated in parallel (the common pool). */
    public float[][] rows(long first, int count) {
        return generate(count, i -> row(first + i));
    }

    /** Queries {@code [first, first + count)}, generated in parallel (the common pool). */
    public float[][] queries(int first, int count) {
        return generate(count, i -> query(first + i));
    }

    private static float[][] generate(int count, IntFunction<float[]> one) {
        float[][] out = new float[count][];
        IntStream.range(0, count).parallel().forEach(i -> out[i] = one.apply(i));
        return out;
    }

    private float[] draw(long rowSeed) {
        SplittableRandom random = new SplittableRandom(rowSeed);
        float[] centre = centres[random.nextInt(centres.length)];
        float[] v = centre.clone();
        for (float[] direction : basis) {
            float z = (float) (spread * random.nextGaussian());
            for (int d = 0; d < dimension; d++) {
                v[d] += z * direction[d];
            }
        }
        double norm = 0;
        for (int d = 0; d < dimension; d++) {
            v[d] += (float) (NOISE * random.nextGaussian());
            norm += (double) v[d] * v[d];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < dimension; d++) {
            v[d] *= scale;
        }
        return v;
    }
}
