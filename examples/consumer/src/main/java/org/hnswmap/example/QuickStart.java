package org.hnswmap.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.SearchResult;
import org.hnswmap.index.Space;

/**
 * The README's snippet, "Using the engine in your application": a writer builds and commits an
 * index, a reader opens the committed files and searches them.
 */
public final class QuickStart {

    private QuickStart() {}

    /** Builds an index of {@code rows} random vectors in {@code directory}; returns the reader's answer for row 42. */
    public static SearchResult run(Path directory, int rows) {
        int dim = 64;
        Random random = new Random(42);
        float[][] vectors = new float[rows][dim];
        long[] labels = new long[rows];
        for (int i = 0; i < rows; i++) {
            for (int d = 0; d < dim; d++) {
                vectors[i][d] = random.nextFloat();
            }
            labels[i] = 1_000L + i;
        }

        // README snippet starts
        IndexConfig config =
                IndexConfig.builder(Space.COSINE, dim)
                        .maxElements(rows)
                        .m(16)
                        .efConstruction(200)
                        .build();
        try (HnswIndex writer = HnswIndex.create(directory, config)) {
            writer.addItems(vectors, labels); // hnswlib's add_items
            writer.commit(); // readers see what is committed
        }
        try (HnswIndex reader = HnswIndex.open(directory)) { // maps the files: no load step
            reader.setEf(50);
            return reader.knnQuery(vectors[42], 10); // labels and distances, nearest first
        }
        // README snippet ends
    }

    public static void main(String[] args) throws Exception {
        Path directory = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("hnswmap-example-");
        SearchResult result = run(directory.resolve("index"), 5_000);
        System.out.println("nearest to row 42: label " + result.labels()[0] + " at distance " + result.distances()[0]);
        System.out.println("engine on the " + (HnswIndex.class.getModule().isNamed() ? "module path" : "class path")
                + ", kernels " + HnswIndex.kernelInUse());
    }
}
