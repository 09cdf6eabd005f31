package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches in the writer's process while other threads insert and commit: no error, valid answers.
 */
class ConcurrentSearchTest {

    @TempDir Path dir;

    @Test
    void shouldReturnValidResultsWhenSearchingDuringMultiThreadedInserts() throws Exception {
        int n = 4_000;
        int dim = 16;
        float[][] data = RandomVectors.uniform(n, dim, 21);
        long[] labels = RandomVectors.sequentialLabels(n, 10_000);
        try (HnswIndex index =
                HnswIndex.create(
                        dir.resolve("c"),
                        IndexConfig.builder(Space.L2, dim)
                                .maxElements(n)
                                .efConstruction(64)
                                .build())) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong searches = new AtomicLong();
            Thread searcher =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        int q = 0;
                                        while (!done.get() && failure.get() == null) {
                                            try {
                                                SearchResult r =
                                                        index.knnQuery(data[q++ % n], 10, 32);
                                                checkValid(r, labels[0], labels[n - 1]);
                                                searches.incrementAndGet();
                                            } catch (Throwable t) {
                                                failure.set(t);
                                            }
                                        }
                                    });
            Thread committer =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        while (!done.get() && failure.get() == null) {
                                            try {
                                                index.commit();
                                                Thread.sleep(5);
                                            } catch (Throwable t) {
                                                failure.set(t);
                                            }
                                        }
                                    });
            index.addItems(data, labels, 2);
            done.set(true);
            searcher.join();
            committer.join();
            assertNull(failure.get(), () -> "failure during concurrent use: " + failure.get());
            assertTrue(searches.get() > 10, "searches ran: " + searches.get());
            assertEquals(n, index.size());
            assertEquals(java.util.List.of(), index.verify());
            int found = 0;
            for (int i = 0; i < n; i += 40) {
                found += index.knnQuery(data[i], 1, 50).labels()[0] == labels[i] ? 1 : 0;
            }
            assertEquals(100, found, "self-search hits");
        }
    }

    private static void checkValid(SearchResult r, long minLabel, long maxLabel) {
        for (int i = 0; i < r.size(); i++) {
            long label = r.labels()[i];
            if (label < minLabel || label > maxLabel) {
                throw new AssertionError("label " + label + " was never inserted");
            }
            if (i > 0 && r.distances()[i] < r.distances()[i - 1]) {
                throw new AssertionError(
                        "distances not sorted: " + java.util.Arrays.toString(r.distances()));
            }
        }
    }
}
