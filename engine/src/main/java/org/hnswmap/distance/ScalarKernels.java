package org.hnswmap.distance;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Plain-Java kernels: the fallback when {@code jdk.incubator.vector} is absent or the scalar path
 * is forced with {@code -Dhnswmap.distance.kernel=scalar}.
 *
 * <p>They emulate {@link PanamaKernels} on 16 lanes operation for operation: element {@code i} of
 * the first {@code dim - dim % 16} goes by fused multiply-add into accumulator lane {@code i % 32}
 * (two 16-lane accumulators), the accumulators are added, the 16 lanes reduced by the same
 * butterfly, and the tail added one by one. Every step is an exactly rounded IEEE operation, so on
 * a 512-bit CPU the two give bit-identical distances and hence identical search results.
 *
 * <p>Stateless and thread-safe.
 */
final class ScalarKernels implements DistanceKernels {

    static final ValueLayout.OfFloat FLOAT_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int LANES = 16;
    private static final int ACCUMULATORS = 2 * LANES;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public float squaredL2(float[] query, MemorySegment rows, long rowOffsetBytes) {
        int dim = query.length;
        int bound = dim & -LANES;
        float[] acc = new float[ACCUMULATORS];
        for (int i = 0; i < bound; i++) {
            float d = query[i] - rows.get(FLOAT_LE, rowOffsetBytes + (long) i * Float.BYTES);
            acc[i & (ACCUMULATORS - 1)] = Math.fma(d, d, acc[i & (ACCUMULATORS - 1)]);
        }
        float sum = sumLanes(acc);
        for (int i = bound; i < dim; i++) {
            float d = query[i] - rows.get(FLOAT_LE, rowOffsetBytes + (long) i * Float.BYTES);
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dot(float[] query, MemorySegment rows, long rowOffsetBytes) {
        int dim = query.length;
        int bound = dim & -LANES;
        float[] acc = new float[ACCUMULATORS];
        for (int i = 0; i < bound; i++) {
            float y = rows.get(FLOAT_LE, rowOffsetBytes + (long) i * Float.BYTES);
            acc[i & (ACCUMULATORS - 1)] = Math.fma(query[i], y, acc[i & (ACCUMULATORS - 1)]);
        }
        float sum = sumLanes(acc);
        for (int i = bound; i < dim; i++) {
            sum += query[i] * rows.get(FLOAT_LE, rowOffsetBytes + (long) i * Float.BYTES);
        }
        return sum;
    }

    @Override
    public float squaredL2(MemorySegment rows, long aOffsetBytes, long bOffsetBytes, int dim) {
        int bound = dim & -LANES;
        float[] acc = new float[ACCUMULATORS];
        for (int i = 0; i < bound; i++) {
            long step = (long) i * Float.BYTES;
            float d =
                    rows.get(FLOAT_LE, aOffsetBytes + step)
                            - rows.get(FLOAT_LE, bOffsetBytes + step);
            acc[i & (ACCUMULATORS - 1)] = Math.fma(d, d, acc[i & (ACCUMULATORS - 1)]);
        }
        float sum = sumLanes(acc);
        for (int i = bound; i < dim; i++) {
            long step = (long) i * Float.BYTES;
            float d =
                    rows.get(FLOAT_LE, aOffsetBytes + step)
                            - rows.get(FLOAT_LE, bOffsetBytes + step);
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dot(MemorySegment rows, long aOffsetBytes, long bOffsetBytes, int dim) {
        int bound = dim & -LANES;
        float[] acc = new float[ACCUMULATORS];
        for (int i = 0; i < bound; i++) {
            long step = (long) i * Float.BYTES;
            float x = rows.get(FLOAT_LE, aOffsetBytes + step);
            acc[i & (ACCUMULATORS - 1)] =
                    Math.fma(
                            x,
                            rows.get(FLOAT_LE, bOffsetBytes + step),
                            acc[i & (ACCUMULATORS - 1)]);
        }
        float sum = sumLanes(acc);
        for (int i = bound; i < dim; i++) {
            long step = (long) i * Float.BYTES;
            sum +=
                    rows.get(FLOAT_LE, aOffsetBytes + step)
                            * rows.get(FLOAT_LE, bOffsetBytes + step);
        }
        return sum;
    }

    @Override
    public float squaredL2(float[] a, float[] b) {
        int bound = a.length & -LANES;
        float[] acc = new float[ACCUMULATORS];
        for (int i = 0; i < bound; i++) {
            float d = a[i] - b[i];
            acc[i & (ACCUMULATORS - 1)] = Math.fma(d, d, acc[i & (ACCUMULATORS - 1)]);
        }
        float sum = sumLanes(acc);
        for (int i = bound; i < a.length; i++) {
            float d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dot(float[] a, float[] b) {
        int bound = a.length & -LANES;
        float[] acc = new float[ACCUMULATORS];
        for (int i = 0; i < bound; i++) {
            acc[i & (ACCUMULATORS - 1)] = Math.fma(a[i], b[i], acc[i & (ACCUMULATORS - 1)]);
        }
        float sum = sumLanes(acc);
        for (int i = bound; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Override
    public float dotCodes(float[] query, MemorySegment rows, long codesOffsetBytes) {
        int dim = query.length;
        int bound = dim & -LANES;
        float[] acc = new float[ACCUMULATORS];
        for (int i = 0; i < bound; i++) {
            float code = rows.get(ValueLayout.JAVA_BYTE, codesOffsetBytes + i);
            acc[i & (ACCUMULATORS - 1)] = Math.fma(code, query[i], acc[i & (ACCUMULATORS - 1)]);
        }
        float sum = sumLanes(acc);
        for (int i = bound; i < dim; i++) {
            sum += query[i] * rows.get(ValueLayout.JAVA_BYTE, codesOffsetBytes + i);
        }
        return sum;
    }

    @Override
    public float dotNibbles(float[] query, MemorySegment rows, long codesOffsetBytes) {
        float[] acc = new float[ACCUMULATORS];
        for (int i = 0; i < query.length; i++) {
            int within = i & (NIBBLE_GROUP - 1);
            long at = codesOffsetBytes + (long) (i / NIBBLE_GROUP) * (NIBBLE_GROUP / 2);
            int packed = rows.get(ValueLayout.JAVA_BYTE, at + (within & 15));
            float code = within < 16 ? packed & 15 : (packed >>> 4) & 15;
            acc[i & (ACCUMULATORS - 1)] = Math.fma(code, query[i], acc[i & (ACCUMULATORS - 1)]);
        }
        return sumLanes(acc);
    }

    /** Adds the two 16-lane accumulators, then reduces as {@code PanamaKernels.sumLanes} does. */
    private static float sumLanes(float[] acc) {
        float[] v = new float[LANES];
        for (int l = 0; l < LANES; l++) {
            v[l] = acc[l] + acc[l + LANES];
        }
        for (int step = LANES / 2; step >= 1; step >>= 1) {
            float[] next = new float[LANES];
            for (int l = 0; l < LANES; l++) {
                next[l] = v[l] + v[l ^ step];
            }
            v = next;
        }
        return v[0];
    }

    @Override
    public long binaryCodeDot(long[] planes, int words, MemorySegment rows, long codesOffsetBytes) {
        return binaryCodeDotScalar(planes, words, rows, codesOffsetBytes);
    }

    /**
     * {@link #binaryCodeDot}; {@link Long#bitCount} is a single instruction where the CPU has it.
     */
    static long binaryCodeDotScalar(
            long[] planes, int words, MemorySegment rows, long codesOffsetBytes) {
        int ones = 0;
        int plane0 = 0;
        int plane1 = 0;
        int plane2 = 0;
        int plane3 = 0;
        for (int w = 0; w < words; w++) {
            long code = rows.get(LONG_LE, codesOffsetBytes + (long) w * Long.BYTES);
            ones += Long.bitCount(code);
            plane0 += Long.bitCount(code & planes[w]);
            plane1 += Long.bitCount(code & planes[words + w]);
            plane2 += Long.bitCount(code & planes[2 * words + w]);
            plane3 += Long.bitCount(code & planes[3 * words + w]);
        }
        long weighted = plane0 + 2L * plane1 + 4L * plane2 + 8L * plane3;
        return ((long) ones << 32) | weighted;
    }

    @Override
    public void hadamard(float[] v, int from, int length) {
        hadamardScalar(v, from, length);
    }

    /** {@link #hadamard}, for the SIMD kernels' fallback too. */
    static void hadamardScalar(float[] v, int from, int length) {
        for (int half = 1; half < length; half <<= 1) {
            for (int start = from; start < from + length; start += half << 1) {
                for (int i = start; i < start + half; i++) {
                    float a = v[i];
                    float b = v[i + half];
                    v[i] = a + b;
                    v[i + half] = a - b;
                }
            }
        }
    }
}
