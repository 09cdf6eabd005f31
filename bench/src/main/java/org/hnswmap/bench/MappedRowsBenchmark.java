package org.hnswmap.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.hnswmap.distance.DistanceKernels;
import org.hnswmap.distance.KernelProvider;
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
 * SIMD L2 distance from a heap query to rows of a file mapped read-only (as readers map
 * vectors.f32), 256 MB of rows (larger than this CPU's caches): {@code cached} scores the same 64
 * rows again and again; {@code random} scores 64 rows at random positions per invocation, each a
 * likely cache miss, the access pattern of a graph search. ns per distance. {@code l2FourRows}
 * scores the same rows four at a time ({@link DistanceKernels#squaredL2x4}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class MappedRowsBenchmark {

    private static final int BATCH = 64;
    private static final long FILE_BYTES = 256L << 20;
    private static final DistanceKernels SIMD = KernelProvider.simd();

    @Param({"128", "784"})
    int dim;

    @Param({"cached", "random"})
    String access;

    private Path file;
    private Arena arena;
    private MemorySegment rows;
    private float[] query;
    private long stride;
    private int[] order;
    private int next;
    private final float[] four = new float[4];

    @Setup(Level.Trial)
    public void map() throws IOException {
        stride = (dim * 4L + 63) / 64 * 64;
        int rowCount = (int) (FILE_BYTES / stride);
        file = Files.createTempFile("hnswmap-jmh-rows-", ".f32");
        SplittableRandom random = new SplittableRandom(dim);
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        try (Arena writeArena = Arena.ofConfined();
                FileChannel ch =
                        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment out =
                    ch.map(FileChannel.MapMode.READ_WRITE, 0, stride * rowCount, writeArena);
            for (long r = 0; r < rowCount; r++) {
                for (int i = 0; i < dim; i++) {
                    out.set(f, r * stride + i * 4L, (float) random.nextDouble());
                }
            }
            out.force();
        }
        arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            rows = ch.map(FileChannel.MapMode.READ_ONLY, 0, stride * rowCount, arena);
        }
        query = new float[dim];
        for (int i = 0; i < dim; i++) {
            query[i] = (float) random.nextDouble();
        }
        order = new int[1 << 20];
        for (int i = 0; i < order.length; i++) {
            order[i] = access.equals("cached") ? i % BATCH : random.nextInt(rowCount);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float l2() {
        float sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += SIMD.squaredL2(query, rows, order[next++ & (order.length - 1)] * stride);
        }
        return sum;
    }

    /** The same distances as {@link #l2}, four rows a kernel call (their loads interleaved). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float l2FourRows() {
        float sum = 0;
        for (int i = 0; i < BATCH; i += 4) {
            SIMD.squaredL2x4(query, rows, nextRow(), nextRow(), nextRow(), nextRow(), four, 0);
            sum += four[0] + four[1] + four[2] + four[3];
        }
        return sum;
    }

    private long nextRow() {
        return order[next++ & (order.length - 1)] * stride;
    }

    @TearDown(Level.Trial)
    public void unmap() throws IOException {
        arena.close();
        Files.deleteIfExists(file);
    }
}
