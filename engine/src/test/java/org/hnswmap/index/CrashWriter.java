package org.hnswmap.index;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hnswmap.testutil.RandomVectors;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: inserts batches and commits forever, printing
 * {@code COMMITTED n} after each commit returns, until it is killed. Element {@code label} always
 * has the vector {@link #vectorOf}. Args: indexDir.
 */
public final class CrashWriter {

    static final int DIM = 16;
    static final int BATCH = 40;
    static final int CAPACITY = 1_000_000;

    private CrashWriter() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        try (HnswIndex index =
                Files.exists(dir.resolve("index.meta"))
                        ? HnswIndex.openForWrite(dir)
                        : HnswIndex.create(
                                dir,
                                IndexConfig.builder(Space.L2, DIM)
                                        .maxElements(CAPACITY)
                                        .efConstruction(64)
                                        .build())) {
            while (true) {
                int first = index.size();
                float[][] vectors = new float[BATCH][];
                long[] labels = new long[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    labels[i] = first + i;
                    vectors[i] = vectorOf(labels[i]);
                }
                index.addItems(vectors, labels, 2);
                index.commit();
                System.out.println("COMMITTED " + index.size());
                System.out.flush();
            }
        }
    }

    static float[] vectorOf(long label) {
        return RandomVectors.uniform(1, DIM, 1_000 + label)[0];
    }
}
