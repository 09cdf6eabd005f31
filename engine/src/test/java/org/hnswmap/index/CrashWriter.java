package org.hnswmap.index;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.hnswmap.testutil.RandomVectors;
import org.hnswmap.tools.TraversalKind;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: a mixed workload, committed round after round
 * until it is killed, printing {@code COMMITTED n} after each commit returns (main labels {@code 0
 * .. n-1} are then committed). Each round inserts 40 main labels, updates 5 of the earlier ones,
 * inserts 5 churn labels (from {@link #CHURN}) with replace-deleted, deletes 3 churn labels, and
 * doubles the capacity when it runs short (resize). A vector carries its version in component 0, so
 * the checker can recompute it: {@link #vectorOf}. Args: indexDir [traversal] (a {@link
 * TraversalKind} name: a new index keeps those traversal codes; float32 by default).
 */
public final class CrashWriter {

    static final int DIM = 16;
    static final int BATCH = 40;
    static final long CHURN = 1_000_000_000L;
    static final int INITIAL_CAPACITY = 200;

    private CrashWriter() {}

    public static void main(String[] args) {
        run(
                Path.of(args[0]),
                Long.MAX_VALUE,
                false,
                args.length > 1 ? TraversalKind.parse(args[1]) : TraversalKind.FLOAT32);
    }

    static void run(Path dir, long rounds, boolean abandonLast) {
        run(dir, rounds, abandonLast, TraversalKind.FLOAT32);
    }

    /**
     * Runs {@code rounds} rounds (forever in the child JVM) of the workload; with {@code
     * abandonLast}, the last round's work is not committed (the writer closes as if it died).
     */
    static void run(Path dir, long rounds, boolean abandonLast, TraversalKind traversal) {
        try (HnswIndex index =
                Files.exists(dir.resolve("index.meta"))
                        ? HnswIndex.openForWrite(dir)
                        : HnswIndex.create(
                                dir,
                                traversal
                                        .configure(IndexConfig.builder(Space.L2, DIM))
                                        .maxElements(INITIAL_CAPACITY)
                                        .efConstruction(64)
                                        .allowReplaceDeleted(true)
                                        .build())) {
            if (rounds == Long.MAX_VALUE) {
                System.out.println("KERNEL " + index.kernelName()); // the parent checks it
            }
            long[] ids = index.getIdsList();
            long nextMain = Arrays.stream(ids).filter(l -> l < CHURN).max().orElse(-1) + 1;
            long nextChurn = Arrays.stream(ids).filter(l -> l >= CHURN).max().orElse(CHURN - 1) + 1;
            SplittableRandom random = new SplittableRandom(nextMain * 31 + nextChurn);
            int version = 1 + random.nextInt(1 << 20); // below 2^21 for many rounds
            for (long round = 0; round < rounds; round++) {
                if (index.size() + 2 * BATCH > index.getMaxElements()) {
                    index.resizeIndex(index.getMaxElements() * 2);
                }
                add(index, nextMain, BATCH, 0, false);
                for (int i = 0; i < 5 && nextMain > 0; i++) {
                    long label = random.nextLong(nextMain);
                    index.addItem(vectorOf(label, version++), label);
                }
                add(index, nextChurn, 5, version++, true);
                nextChurn += 5;
                deleteSomeChurn(index, random);
                nextMain += BATCH;
                if (abandonLast && round == rounds - 1) {
                    return;
                }
                index.commit();
                System.out.println("COMMITTED " + nextMain);
                System.out.flush();
            }
        }
    }

    private static void add(HnswIndex index, long first, int n, int version, boolean replace) {
        float[][] vectors = new float[n][];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = first + i;
            vectors[i] = vectorOf(labels[i], version);
        }
        index.addItems(vectors, labels, 2, replace);
    }

    private static void deleteSomeChurn(HnswIndex index, SplittableRandom random) {
        List<Long> live = new ArrayList<>();
        for (long label : index.getIdsList()) {
            if (label >= CHURN && !index.isMarkedDeleted(label)) {
                live.add(label);
            }
        }
        for (int i = 0; i < 3 && !live.isEmpty(); i++) {
            index.markDeleted(live.remove(random.nextInt(live.size())));
        }
    }

    /**
     * The vector of {@code label} at {@code version}; component 0 holds {@code version / 2^21}
     * (exact in float, and in [0, 1) like the other components so the data stays uniform).
     */
    static float[] vectorOf(long label, int version) {
        float[] v = RandomVectors.uniform(1, DIM, 1_000 + label * 1_000_003L + version)[0];
        v[0] = version / VERSION_SCALE;
        return v;
    }

    /** The vector a stored one should be, from the version it carries. */
    static float[] expected(long label, float[] stored) {
        return vectorOf(label, Math.round(stored[0] * VERSION_SCALE));
    }

    private static final float VERSION_SCALE = 1 << 21;
}
