package org.hnswmap.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Query-to-row distances as the search loop runs them (heap query, rows in an off-heap segment),
 * scalar vs SIMD, cache-resident: 64 rows per invocation. Setup checks both kernels agree. The
 * {@code codes} benchmarks read the same rows' bytes as int8 codes ({@code dotCodes}) and as 4-bit
 * codes ({@code dotNibbles}, the query zero-padded to whole groups of 32), as traversal does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "--add-modules=jdk.incubator.vector",
            "--sun-misc-unsafe-memory-access=allow"
        })
@State(Scope.Thread)
public class DistanceKernelBenchmark {

    private static final int ROWS = 64;
    private static final DistanceKernels SCALAR = KernelProvider.scalar();
    private static final DistanceKernels SIMD = KernelProvider.simd();

    @Param({"97", "128", "784"})
    int dim;

    private float[] query;
    private float[] paddedQuery;
    private MemorySegment rows;
    private long stride;
    private Arena arena;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(dim);
        query = new float[dim];
        for (int i = 0; i < dim; i++) {
            query[i] = (float) random.nextDouble();
        }
        paddedQuery =
                java.util.Arrays.copyOf(
                        query,
                        (dim + DistanceKernels.NIBBLE_GROUP - 1)
                                / DistanceKernels.NIBBLE_GROUP
                                * DistanceKernels.NIBBLE_GROUP);
        stride = (dim * 4L + 63) / 64 * 64;
        arena = Arena.ofShared();
        rows = arena.allocate(stride * ROWS, 64);
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < ROWS; r++) {
            for (int i = 0; i < dim; i++) {
                rows.set(f, r * stride + i * 4L, (float) random.nextDouble());
            }
        }
        if (Float.compare(
                                SCALAR.squaredL2(query, rows, stride),
                                SIMD.squaredL2(query, rows, stride))
                        != 0
                && SIMD.name().equals("panama-512")) {
            throw new IllegalStateException("scalar and SIMD kernels disagree");
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public float l2Simd() {
        float sum = 0;
        for (int r = 0; r < ROWS; r++) {
            sum += SIMD.squaredL2(query, rows, r * stride);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public float l2Scalar() {
        float sum = 0;
        for (int r = 0; r < ROWS; r++) {
            sum += SCALAR.squaredL2(query, rows, r * stride);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public float dotSimd() {
        float sum = 0;
        for (int r = 0; r < ROWS; r++) {
            sum += SIMD.dot(query, rows, r * stride);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public float dotScalar() {
        float sum = 0;
        for (int r = 0; r < ROWS; r++) {
            sum += SCALAR.dot(query, rows, r * stride);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public float int8CodesSimd() {
        float sum = 0;
        for (int r = 0; r < ROWS; r++) {
            sum += SIMD.dotCodes(query, rows, r * stride);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public float int4CodesSimd() {
        float sum = 0;
        for (int r = 0; r < ROWS; r++) {
            sum += SIMD.dotNibbles(paddedQuery, rows, r * stride);
        }
        return sum;
    }
}
