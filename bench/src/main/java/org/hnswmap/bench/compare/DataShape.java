package org.hnswmap.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.hnswmap.index.Space;
import org.hnswmap.tools.GroundTruth;
import org.hnswmap.tools.SyntheticData;
import org.hnswmap.tools.VectorFiles;

/**
 * The four data shapes every speed claim is measured on, each written once as {@code base.fvecs},
 * {@code queries.fvecs} and {@code groundtruth.ivecs} (exact top 100 by brute force) in a folder of
 * its own, so every system's process reads the same files. The queries are split in two halves:
 * parameters are chosen on the first ({@code tune}) and reported on the second ({@code report}).
 */
public enum DataShape {
    /**
     * Fashion-MNIST (Debian's {@code dataset-fashion-mnist}): 60,000 x 784 base, 10,000 queries.
     */
    FASHION("fashion", Space.L2, 0.95, 0.99, new int[] {10, 12, 16, 20, 30, 40, 60, 80, 120, 200}),
    /** The hnswlib tutorial's shape: 10,000 x 128 uniform in [0, 1) (seed 42), 2,000 queries. */
    UNIFORM_10K("uniform10k", Space.L2, 0.8, 0.9, new int[] {20, 40, 60, 80, 120, 160, 240, 320}),
    /** 100,000 x 128 uniform (seed 42), 2,000 queries: low recall at usual ef. */
    UNIFORM_100K("uniform100k", Space.L2, 0.6, 0.75, new int[] {80, 160, 240, 320, 480, 640, 960}),
    /**
     * 200,000 x 96 from a mixture of 200 Gaussian clusters (centres N(0, 1), spread 0.4 per
     * component), normalized and searched with cosine; 2,000 queries from the same mixture.
     */
    CLUSTERED(
            "clustered",
            Space.COSINE,
            0.95,
            0.99,
            new int[] {10, 15, 20, 30, 40, 60, 80, 120, 160, 240, 400});

    static final int GROUND_TRUTH_K = 100;
    private static final Path FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int SYNTHETIC_QUERIES = 2_000;

    private final String id;
    private final Space space;
    private final double lowTarget;
    private final double highTarget;
    private final int[] defaultEfs;

    DataShape(String id, Space space, double lowTarget, double highTarget, int[] defaultEfs) {
        this.id = id;
        this.space = space;
        this.lowTarget = lowTarget;
        this.highTarget = highTarget;
        this.defaultEfs = defaultEfs;
    }

    public String id() {
        return id;
    }

    public Space space() {
        return space;
    }

    /** The two recalls@10 at which QPS ratios are read. */
    public double[] targets() {
        return new double[] {lowTarget, highTarget};
    }

    public int[] defaultEfs() {
        return defaultEfs.clone();
    }

    /** Rows of the base set. */
    public int baseRows() {
        return switch (this) {
            case FASHION -> 60_000;
            case UNIFORM_10K -> 10_000;
            case UNIFORM_100K -> 100_000;
            case CLUSTERED -> 200_000;
        };
    }

    public static DataShape parse(String id) {
        for (DataShape shape : values()) {
            if (shape.id.equals(id)) {
                return shape;
            }
        }
        throw new IllegalArgumentException(
                "unknown data shape " + id + " (fashion, uniform10k, uniform100k, clustered)");
    }

    /** The shape's files in {@code root/id}, written on first use. */
    public ShapeFiles prepare(Path root) throws IOException {
        Path dir = root.resolve(id);
        ShapeFiles files =
                new ShapeFiles(
                        dir.resolve("base.fvecs"),
                        dir.resolve("queries.fvecs"),
                        dir.resolve("groundtruth.ivecs"));
        if (Files.exists(files.groundTruth())) {
            return files;
        }
        Files.createDirectories(dir);
        float[][] base;
        float[][] queries;
        switch (this) {
            case FASHION -> {
                base = VectorFiles.readIdxImages(FASHION_DIR.resolve("train-images-idx3-ubyte.gz"));
                queries =
                        VectorFiles.readIdxImages(FASHION_DIR.resolve("t10k-images-idx3-ubyte.gz"));
            }
            case UNIFORM_10K -> {
                base = SyntheticData.uniform(baseRows(), 128, 42);
                queries = SyntheticData.uniform(SYNTHETIC_QUERIES, 128, 4242);
            }
            case UNIFORM_100K -> {
                base = SyntheticData.uniform(baseRows(), 128, 42);
                queries = SyntheticData.uniform(SYNTHETIC_QUERIES, 128, 4242);
            }
            case CLUSTERED -> {
                float[][] centres = gaussian(200, 96, 1.0f, null, new SplittableRandom(7));
                base = gaussian(baseRows(), 96, 0.4f, centres, new SplittableRandom(42));
                queries =
                        gaussian(SYNTHETIC_QUERIES, 96, 0.4f, centres, new SplittableRandom(4242));
            }
            default -> throw new AssertionError(this);
        }
        System.out.printf(
                "preparing %s: %,d x %d base, %,d queries, exact top %d by brute force%n",
                id, base.length, base[0].length, queries.length, GROUND_TRUTH_K);
        long[][] truth = GroundTruth.compute(space, base, null, queries, GROUND_TRUTH_K, -1);
        VectorFiles.writeFvecs(files.base(), base);
        VectorFiles.writeFvecs(files.queries(), queries);
        // Written last: its presence says the folder is complete.
        Path partial = dir.resolve("groundtruth.ivecs.partial");
        VectorFiles.writeIvecs(partial, GroundTruth.toIvecs(truth));
        Files.move(partial, files.groundTruth());
        return files;
    }

    /**
     * {@code n} rows around randomly picked {@code centres} (or around the origin), each component
     * Gaussian with deviation {@code spread}; normalized when centred on clusters, since that shape
     * is searched with cosine and every system is then given the same unit rows.
     */
    private static float[][] gaussian(
            int n, int dim, float spread, float[][] centres, SplittableRandom random) {
        float[][] out = new float[n][dim];
        for (float[] row : out) {
            float[] centre = centres == null ? null : centres[random.nextInt(centres.length)];
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                row[j] = (float) (normal(random) * spread + (centre == null ? 0 : centre[j]));
                norm += row[j] * (double) row[j];
            }
            if (centre != null) {
                float inv = (float) (1 / Math.sqrt(norm));
                for (int j = 0; j < dim; j++) {
                    row[j] *= inv;
                }
            }
        }
        return out;
    }

    private static double normal(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Where a prepared shape's three files are. */
    public record ShapeFiles(Path base, Path queries, Path groundTruth) {}
}
