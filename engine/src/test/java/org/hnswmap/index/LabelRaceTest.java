package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threads updating, deleting and undeleting the same few labels at once. Two updates of one label
 * once both retired its node (counted twice: retiredCount above deletedCount) and both inserted the
 * label; an undelete racing an update cleared the deleted mark of a retired node. The next open
 * then refused the index.
 */
class LabelRaceTest {

    private static final int LABELS = 4;
    private static final int THREADS = 4;
    private static final int OPS = 1_500;

    @TempDir Path dir;

    @Test
    void shouldKeepCountsConsistentWhenOneLabelIsChangedByManyThreads() throws Exception {
        Path index = dir.resolve("idx");
        try (HnswIndex w =
                HnswIndex.create(
                        index,
                        IndexConfig.builder(Space.L2, 4)
                                .maxElements(LABELS + THREADS * OPS + 10)
                                .m(4)
                                .efConstruction(20)
                                .build())) {
            for (int l = 0; l < LABELS; l++) {
                w.addItem(new float[] {l, 1, 2, 3}, l);
            }
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                threads.add(
                        Thread.ofPlatform()
                                .start(
                                        () -> {
                                            try {
                                                start.await();
                                                churn(w, new SplittableRandom(seed));
                                            } catch (Throwable e) {
                                                failures.add(e);
                                            }
                                        }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(List.of(), failures);
            assertEquals(LABELS, w.size(), "each label held once");
            assertEquals(List.of(), w.verify());
            w.commit();
        }
        try (HnswIndex r = HnswIndex.open(index)) {
            assertEquals(LABELS, r.size());
            assertTrue(r.getDeletedCount() >= 0 && r.getDeletedCount() <= LABELS);
            assertEquals(List.of(), r.verify());
        }
    }

    private static void churn(HnswIndex w, SplittableRandom random) {
        for (int i = 0; i < OPS; i++) {
            long label = random.nextInt(LABELS);
            switch (random.nextInt(3)) {
                case 0 -> w.addItem(new float[] {random.nextFloat(), 1, 2, 3}, label);
                case 1 -> w.markDeleted(label);
                default -> w.unmarkDeleted(label);
            }
        }
    }
}
