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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One-query search latency on a built, committed index opened read-only (as a reader process
 * would): 20,000 uniform 128-d rows, M 16, efConstruction 200, k 10; queries cycle through 1,000
 * fresh uniform vectors. The index is built once per trial in a temporary folder.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
@State(Scope.Thread)
public class SearchBenchmark {

    static final int ROWS = 20_000;
    static final int DIMENSION = 128;

    @Param({"10", "50", "200"})
    int ef;

    private Path dir;
    private HnswIndex index;
    private float[][] queries;
    private int next;

    @Setup(Level.Trial)
    public void build() throws IOException {
        dir = Files.createTempDirectory("hnswmap-jmh-search-");
        float[][] rows = SyntheticData.uniform(ROWS, DIMENSION, 1);
        long[] labels = new long[ROWS];
        java.util.Arrays.setAll(labels, i -> i);
        IndexConfig config =
                IndexConfig.builder(Space.L2, DIMENSION)
                        .maxElements(ROWS)
                        .m(16)
                        .efConstruction(200)
                        .build();
        try (HnswIndex writer = HnswIndex.create(dir.resolve("i"), config)) {
            writer.addItems(rows, labels, 2);
            writer.commit();
        }
        index = HnswIndex.open(dir.resolve("i"));
        queries = SyntheticData.uniform(1_000, DIMENSION, 2);
    }

    @Benchmark
    public long search() {
        float[] q = queries[next];
        next = (next + 1) % queries.length;
        return index.knnQuery(q, 10, ef).labels()[0];
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        index.close();
        IndexDirectories.deleteRecursively(dir);
    }
}
