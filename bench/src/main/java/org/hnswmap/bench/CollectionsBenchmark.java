package org.hnswmap.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three places the engine kept boxed JDK collections, each against the Agrona primitive
 * collection that replaced it, on the work the engine gives them: the duplicate-label check of a
 * 100,000-row batch ({@code Inserter}), label-to-slot lookups of the exact index ({@code
 * BruteForceIndex}), and the candidate set of a neighbourhood repair, 17 lists of 32 ids with
 * repeats, filled then iterated ({@code HnswBuilder}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@State(Scope.Benchmark)
public class CollectionsBenchmark {

    private static final int BATCH = 100_000;
    private static final int LISTS = 17;
    private static final int DEGREE = 32;

    private long[] labels;
    private Map<Long, Integer> jdkSlots;
    private Long2LongHashMap agronaSlots;
    private int[] repairIds;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        labels = new long[BATCH];
        jdkSlots = new HashMap<>();
        agronaSlots = new Long2LongHashMap(-1);
        for (int i = 0; i < BATCH; i++) {
            labels[i] = random.nextLong();
            jdkSlots.put(labels[i], i);
            agronaSlots.put(labels[i], i);
        }
        // Neighbours of neighbours overlap: ids drawn from a pool of 200.
        repairIds = new int[LISTS * DEGREE];
        for (int i = 0; i < repairIds.length; i++) {
            repairIds[i] = 1_000_000 + random.nextInt(200) * 7;
        }
    }

    @Benchmark
    public int labelCheckJdk() {
        Set<Long> seen = new HashSet<>(BATCH * 2);
        for (long label : labels) {
            if (!seen.add(label)) {
                return -1;
            }
        }
        return seen.size();
    }

    @Benchmark
    public int labelCheckAgrona() {
        LongHashSet seen = new LongHashSet(BATCH * 2);
        for (long label : labels) {
            if (!seen.add(label)) {
                return -1;
            }
        }
        return seen.size();
    }

    @Benchmark
    public long slotLookupJdk() {
        long sum = 0;
        for (long label : labels) {
            sum += jdkSlots.get(label);
        }
        return sum;
    }

    @Benchmark
    public long slotLookupAgrona() {
        long sum = 0;
        for (long label : labels) {
            sum += agronaSlots.get(label);
        }
        return sum;
    }

    @Benchmark
    public long repairSetJdk() {
        Set<Integer> candidates = new LinkedHashSet<>();
        for (int id : repairIds) {
            candidates.add(id);
        }
        long sum = 0;
        for (int id : candidates) {
            sum += id;
        }
        return sum;
    }

    @Benchmark
    public long repairSetAgrona() {
        IntHashSet candidates = new IntHashSet();
        for (int id : repairIds) {
            candidates.add(id);
        }
        long sum = 0;
        for (IntHashSet.IntIterator it = candidates.iterator(); it.hasNext(); ) {
            sum += it.nextValue();
        }
        return sum;
    }
}
