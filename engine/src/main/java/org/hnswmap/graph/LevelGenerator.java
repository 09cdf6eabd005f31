package org.hnswmap.graph;

import java.util.SplittableRandom;

/**
 * Draws the top level of each new node: {@code floor(-ln(U) * mL)} with {@code mL = 1 / ln(M)}
 * (Malkov and Yashunin, algorithm 1). Seeded, so a single-threaded build is reproducible.
 *
 * <p>Thread-safe: draws are serialized.
 */
public final class LevelGenerator {

    /** Hard cap on levels; a draw beyond it (probability below M^-30) is clamped. */
    public static final int MAX_LEVEL = 30;

    private final SplittableRandom random;
    private final double levelMultiplier;

    public LevelGenerator(long seed, int m) {
        this.random = new SplittableRandom(seed);
        this.levelMultiplier = 1.0 / Math.log(m);
    }

    public synchronized int nextLevel() {
        double u = 1.0 - random.nextDouble(); // in (0, 1]
        int level = (int) (-Math.log(u) * levelMultiplier);
        return Math.min(level, MAX_LEVEL);
    }
}
