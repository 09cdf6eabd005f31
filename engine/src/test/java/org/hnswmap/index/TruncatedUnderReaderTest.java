package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.hnswmap.error.IndexFileChangedException;
import org.hnswmap.storage.IndexFileNames;
import org.hnswmap.testutil.FileBytes;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file truncated underneath an open reader (another process's {@code cp} over it, say) gives
 * {@link IndexFileChangedException} naming the file, not a SIGBUS that kills the JVM: also once the
 * search loop is compiled by C2 with the SIMD kernel inlined, which is where the JDK alone would
 * crash (PanamaKernels.faultGuard).
 */
class TruncatedUnderReaderTest {

    private static final int N = 2_000;
    private static final int DIM = 64;
    private static final int WARM_UP_QUERIES = 30_000; // enough for C2 to compile the search

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {IndexFileNames.VECTORS, IndexFileNames.LEVEL0, IndexFileNames.NODES})
    void shouldThrowNamingTheFileWhenItIsTruncatedWhileMapped(String file) throws IOException {
        float[][] data = RandomVectors.uniform(N, DIM, 11);
        Path index = dir.resolve("t");
        try (HnswIndex w =
                HnswIndex.create(
                        index, IndexConfig.builder(Space.L2, DIM).maxElements(N).build())) {
            w.addItems(data, RandomVectors.sequentialLabels(N, 0), 1);
            w.commit();
        }
        try (HnswIndex r = HnswIndex.open(index)) {
            for (int i = 0; i < WARM_UP_QUERIES; i++) {
                r.knnQuery(data[i % N], 1, 10);
            }
            assertEquals(7L, r.knnQuery(data[7], 1, 10).labels()[0]);
            FileBytes.truncate(index.resolve(file), 0);
            IndexFileChangedException e = null;
            for (int i = 0; i < 50 && e == null; i++) {
                try {
                    r.knnQuery(data[N - 1 - i], 5, 20);
                } catch (IndexFileChangedException thrown) {
                    e = thrown;
                }
            }
            assertTrue(e != null, "no search met the truncated " + file);
            assertTrue(e.getMessage().contains(file + ": truncated to 0 bytes"), e.getMessage());
            assertThrows(IndexFileChangedException.class, r::verify);
        }
    }
}
