package org.hnswmap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.IndexDirectories;
import org.hnswmap.index.Space;
import org.hnswmap.tools.SyntheticData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Insert throughput: each invocation creates an empty index (capacity 10,000, 128-d uniform, M 16,
 * efConstruction 200) and inserts 10,000 rows with {@code threads} threads, then commits. The score
 * is microseconds per insert (commit included); inserts per second = 1e6 / score.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
@State(Scope.Benchmark)
public class InsertBenchmark {

    static final int ROWS = 10_000;
    static final int DIMENSION = 128;

    @Param({"1", "2"})
    int threads;

    private float[][] rows;
    private long[] labels;
    private Path dir;

    @Setup(Level.Trial)
    public void data() {
        rows = SyntheticData.uniform(ROWS, DIMENSION, 1);
        labels = new long[ROWS];
        java.util.Arrays.setAll(labels, i -> i);
    }

    @Setup(Level.Invocation)
    public void folder() throws IOException {
        dir = Files.createTempDirectory("hnswmap-jmh-insert-");
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long insert() {
        IndexConfig config =
                IndexConfig.builder(Space.L2, DIMENSION)
                        .maxElements(ROWS)
                        .m(16)
                        .efConstruction(200)
                        .build();
        try (HnswIndex index = HnswIndex.create(dir.resolve("i"), config)) {
            index.addItems(rows, labels, threads);
            index.commit();
            return index.commitGeneration();
        }
    }

    @TearDown(Level.Invocation)
    public void remove() throws IOException {
        IndexDirectories.deleteRecursively(dir);
    }
}
