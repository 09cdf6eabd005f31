package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads refreshing one reader while the writer commits: each adoption must be whole (a
 * newer commit never paired with an older upper-level limit, which made searches fail on nodes of
 * the newer commit) and a reader's commit never goes back.
 */
class RefreshRaceTest {

    private static final int DIM = 8;
    private static final int THREADS = 3;

    @TempDir Path dir;

    @Test
    void shouldAdoptCommitsWholeAndInOrderWhenRefreshedConcurrently() throws Exception {
        Path index = dir.resolve("idx");
        try (HnswIndex writer =
                HnswIndex.create(
                        index,
                        IndexConfig.builder(Space.L2, DIM)
                                .maxElements(20_000)
                                .m(4) // many nodes with upper levels
                                .efConstruction(16)
                                .build())) {
            writer.addItems(
                    RandomVectors.uniform(200, DIM, 1), RandomVectors.sequentialLabels(200, 0), 1);
            writer.commit();
            try (HnswIndex reader = HnswIndex.open(index)) {
                AtomicBoolean done = new AtomicBoolean();
                List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
                List<Thread> threads = new ArrayList<>();
                float[] query = new float[DIM];
                for (int t = 0; t < THREADS; t++) {
                    threads.add(
                            Thread.ofPlatform()
                                    .start(
                                            () -> {
                                                long seen = 0;
                                                try {
                                                    while (!done.get()) {
                                                        reader.refresh();
                                                        long g = reader.commitGeneration();
                                                        assertTrue(g >= seen, "went back");
                                                        seen = g;
                                                        reader.knnQuery(query, 5, 20);
                                                    }
                                                } catch (Throwable e) {
                                                    failures.add(e);
                                                }
                                            }));
                }
                for (int batch = 1; batch <= 60 && failures.isEmpty(); batch++) {
                    writer.addItems(
                            RandomVectors.uniform(100, DIM, 100 + batch),
                            RandomVectors.sequentialLabels(100, 100L * (batch + 1)),
                            1);
                    writer.commit();
                }
                done.set(true);
                for (Thread t : threads) {
                    t.join();
                }
                assertEquals(List.of(), failures);
                reader.refresh();
                assertEquals(writer.commitGeneration(), reader.commitGeneration());
                assertEquals(List.of(), reader.verify());
            }
        }
    }
}
