package org.hnswmap.distance;

import static org.hnswmap.distance.ScalarKernels.FLOAT_LE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Java Vector API: the only class that imports {@code jdk.incubator.vector}. It is
 * loaded reflectively by {@link KernelProvider} only when the module is present.
 *
 * <p>Each kernel runs one fused multiply-add per lane over {@link #SPECIES} (512-bit where the CPU
 * has it), block {@code b} of {@code LANES} floats into accumulator {@code b % 2}; then adds the
 * two accumulators, reduces the lanes by a fixed butterfly ({@link #sumLanes}) and adds the tail
 * (dim not a multiple of the lane count) one float at a time. NOTE: {@code reduceLanes(ADD)} is not
 * used because its order differs between the interpreter and the C2 intrinsic, which made the same
 * query return distances differing in the last bit depending on JIT warm-up; lane-wise adds and
 * shuffles are exact in every tier. {@link ScalarKernels} emulates this scheme for 16 lanes, so the
 * two give bit-identical distances on 512-bit CPUs. NOTE: the species is a {@code static final}
 * constant on purpose: passed as a parameter it costs about 500x (STACK.md, 4d), and each kernel
 * stays well under C2's 325-bytecode inlining limit so that the search loop inlines it.
 *
 * <p>Stateless and thread-safe.
 */
final class PanamaKernels implements DistanceKernels {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final long STEP_BYTES = (long) LANES * Float.BYTES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /**
     * Bytes loaded per block of {@code LANES} codes: {@code LANES} bytes, but at least 64 bits (the
     * smallest byte shape); on 128-bit CPUs the upper half of each load is ignored, hence the
     * 4-byte padding rule of {@link DistanceKernels#dotCodes}.
     */
    private static final VectorSpecies<Byte> CODE_SPECIES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, LANES * 8)));

    private static final VectorShuffle<Float> XOR8 =
            VectorShuffle.fromOp(SPECIES, i -> (i ^ 8) & (LANES - 1));
    private static final VectorShuffle<Float> XOR4 =
            VectorShuffle.fromOp(SPECIES, i -> (i ^ 4) & (LANES - 1));
    private static final VectorShuffle<Float> XOR2 =
            VectorShuffle.fromOp(SPECIES, i -> (i ^ 2) & (LANES - 1));
    private static final VectorShuffle<Float> XOR1 =
            VectorShuffle.fromOp(SPECIES, i -> (i ^ 1) & (LANES - 1));

    /**
     * Lane signs of the in-register Hadamard stage {@code h}: -1 where lane bit {@code h} is set.
     */
    private static final FloatVector[] STAGE_SIGNS = stageSigns();

    private static FloatVector[] stageSigns() {
        FloatVector[] signs = new FloatVector[LANES];
        for (int h = 1; h < LANES; h <<= 1) {
            float[] lanes = new float[LANES];
            for (int l = 0; l < LANES; l++) {
                lanes[l] = (l & h) == 0 ? 1f : -1f;
            }
            signs[h] = FloatVector.fromArray(SPECIES, lanes, 0);
        }
        return signs;
    }

    /**
     * Sum of the lanes in a fixed order: a butterfly of lane-wise adds, the same in every JIT tier.
     */
    static float sumLanes(FloatVector v) {
        if (LANES >= 16) {
            v = v.add(v.rearrange(XOR8));
        }
        if (LANES >= 8) {
            v = v.add(v.rearrange(XOR4));
        }
        if (LANES >= 4) {
            v = v.add(v.rearrange(XOR2));
        }
        v = v.add(v.rearrange(XOR1));
        return v.lane(0);
    }

    /**
     * Zero, read through a plain {@link MemorySegment} access. NOTE: it makes the compiled search
     * loop that inlines a kernel an "unsafe access" method for HotSpot, which then turns a SIGBUS
     * (a mapped file truncated underneath) anywhere in it into an {@link InternalError} instead of
     * crashing the JVM; Vector API loads alone do not set that mark (JDK 25, measured: without it a
     * truncated {@code vectors.f32} killed the reader). Adding {@code x * 0f} to a sum of finite
     * values leaves it bit-identical.
     */
    private static float faultGuard(MemorySegment rows, long offsetBytes) {
        return rows.get(FLOAT_LE, offsetBytes) * 0f;
    }

    /**
     * {@link #faultGuard} for int8 code rows: it reads a byte, because four code bytes read as a
     * float can be a NaN, and {@code NaN * 0f} is NaN.
     */
    private static float codeFaultGuard(MemorySegment rows, long offsetBytes) {
        return rows.get(ValueLayout.JAVA_BYTE, offsetBytes) * 0f;
    }

    @Override
    public String name() {
        return "panama-" + SPECIES.vectorBitSize();
    }

    @Override
    public float squaredL2(float[] query, MemorySegment rows, long rowOffsetBytes) {
        int dim = query.length;
        int bound = SPECIES.loopBound(dim);
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        long at = rowOffsetBytes;
        for (; i + LANES < bound; i += 2 * LANES, at += 2 * STEP_BYTES) {
            FloatVector d0 =
                    FloatVector.fromArray(SPECIES, query, i)
                            .sub(FloatVector.fromMemorySegment(SPECIES, rows, at, LE));
            FloatVector d1 =
                    FloatVector.fromArray(SPECIES, query, i + LANES)
                            .sub(FloatVector.fromMemorySegment(SPECIES, rows, at + STEP_BYTES, LE));
            acc0 = d0.fma(d0, acc0);
            acc1 = d1.fma(d1, acc1);
        }
        if (i < bound) {
            FloatVector d0 =
                    FloatVector.fromArray(SPECIES, query, i)
                            .sub(FloatVector.fromMemorySegment(SPECIES, rows, at, LE));
            acc0 = d0.fma(d0, acc0);
            i += LANES;
        }
        float sum = sumLanes(acc0.add(acc1));
        for (; i < dim; i++) {
            float d = query[i] - rows.get(FLOAT_LE, rowOffsetBytes + (long) i * Float.BYTES);
            sum += d * d;
        }
        return sum + faultGuard(rows, rowOffsetBytes);
    }

    /**
     * Four rows in one loop, two accumulators each, in the order of {@link #squaredL2(float[],
     * MemorySegment, long)}; the blocks and the tail of each row are those of the one-row kernel,
     * so each distance is bit-identical to it.
     */
    @Override
    public void squaredL2x4(
            float[] query,
            MemorySegment rows,
            long row0,
            long row1,
            long row2,
            long row3,
            float[] out,
            int outAt) {
        int bound = SPECIES.loopBound(query.length);
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = FloatVector.zero(SPECIES);
        FloatVector b0 = FloatVector.zero(SPECIES);
        FloatVector b1 = FloatVector.zero(SPECIES);
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = FloatVector.zero(SPECIES);
        FloatVector d0 = FloatVector.zero(SPECIES);
        FloatVector d1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (long at = 0; i < bound; i += LANES, at += STEP_BYTES) {
            FloatVector q = FloatVector.fromArray(SPECIES, query, i);
            FloatVector ea = q.sub(FloatVector.fromMemorySegment(SPECIES, rows, row0 + at, LE));
            FloatVector eb = q.sub(FloatVector.fromMemorySegment(SPECIES, rows, row1 + at, LE));
            FloatVector ec = q.sub(FloatVector.fromMemorySegment(SPECIES, rows, row2 + at, LE));
            FloatVector ed = q.sub(FloatVector.fromMemorySegment(SPECIES, rows, row3 + at, LE));
            if ((i & LANES) == 0) {
                a0 = ea.fma(ea, a0);
                b0 = eb.fma(eb, b0);
                c0 = ec.fma(ec, c0);
                d0 = ed.fma(ed, d0);
            } else {
                a1 = ea.fma(ea, a1);
                b1 = eb.fma(eb, b1);
                c1 = ec.fma(ec, c1);
                d1 = ed.fma(ed, d1);
            }
        }
        out[outAt] = l2Tail(query, i, sumLanes(a0.add(a1)), rows, row0);
        out[outAt + 1] = l2Tail(query, i, sumLanes(b0.add(b1)), rows, row1);
        out[outAt + 2] = l2Tail(query, i, sumLanes(c0.add(c1)), rows, row2);
        out[outAt + 3] = l2Tail(query, i, sumLanes(d0.add(d1)), rows, row3);
    }

    /** {@code sum} plus the squared differences of components {@code from..} one by one. */
    private static float l2Tail(
            float[] query, int from, float sum, MemorySegment rows, long rowOffsetBytes) {
        for (int i = from; i < query.length; i++) {
            float d = query[i] - rows.get(FLOAT_LE, rowOffsetBytes + (long) i * Float.BYTES);
            sum += d * d;
        }
        return sum + faultGuard(rows, rowOffsetBytes);
    }

    /** Four rows in one loop, as {@link #squaredL2x4}. */
    @Override
    public void dotx4(
            float[] query,
            MemorySegment rows,
            long row0,
            long row1,
            long row2,
            long row3,
            float[] out,
            int outAt) {
        int bound = SPECIES.loopBound(query.length);
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = FloatVector.zero(SPECIES);
        FloatVector b0 = FloatVector.zero(SPECIES);
        FloatVector b1 = FloatVector.zero(SPECIES);
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = FloatVector.zero(SPECIES);
        FloatVector d0 = FloatVector.zero(SPECIES);
        FloatVector d1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (long at = 0; i < bound; i += LANES, at += STEP_BYTES) {
            FloatVector q = FloatVector.fromArray(SPECIES, query, i);
            FloatVector ya = FloatVector.fromMemorySegment(SPECIES, rows, row0 + at, LE);
            FloatVector yb = FloatVector.fromMemorySegment(SPECIES, rows, row1 + at, LE);
            FloatVector yc = FloatVector.fromMemorySegment(SPECIES, rows, row2 + at, LE);
            FloatVector yd = FloatVector.fromMemorySegment(SPECIES, rows, row3 + at, LE);
            if ((i & LANES) == 0) {
                a0 = q.fma(ya, a0);
                b0 = q.fma(yb, b0);
                c0 = q.fma(yc, c0);
                d0 = q.fma(yd, d0);
            } else {
                a1 = q.fma(ya, a1);
                b1 = q.fma(yb, b1);
                c1 = q.fma(yc, c1);
                d1 = q.fma(yd, d1);
            }
        }
        out[outAt] = dotTail(query, i, sumLanes(a0.add(a1)), rows, row0);
        out[outAt + 1] = dotTail(query, i, sumLanes(b0.add(b1)), rows, row1);
        out[outAt + 2] = dotTail(query, i, sumLanes(c0.add(c1)), rows, row2);
        out[outAt + 3] = dotTail(query, i, sumLanes(d0.add(d1)), rows, row3);
    }

    /** {@code sum} plus the products of components {@code from..} one by one. */
    private static float dotTail(
            float[] query, int from, float sum, MemorySegment rows, long rowOffsetBytes) {
        for (int i = from; i < query.length; i++) {
            sum += query[i] * rows.get(FLOAT_LE, rowOffsetBytes + (long) i * Float.BYTES);
        }
        return sum + faultGuard(rows, rowOffsetBytes);
    }

    @Override
    public float dot(float[] query, MemorySegment rows, long rowOffsetBytes) {
        int dim = query.length;
        int bound = SPECIES.loopBound(dim);
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        long at = rowOffsetBytes;
        for (; i + LANES < bound; i += 2 * LANES, at += 2 * STEP_BYTES) {
            acc0 =
                    FloatVector.fromArray(SPECIES, query, i)
                            .fma(FloatVector.fromMemorySegment(SPECIES, rows, at, LE), acc0);
            acc1 =
                    FloatVector.fromArray(SPECIES, query, i + LANES)
                            .fma(
                                    FloatVector.fromMemorySegment(
                                            SPECIES, rows, at + STEP_BYTES, LE),
                                    acc1);
        }
        if (i < bound) {
            acc0 =
                    FloatVector.fromArray(SPECIES, query, i)
                            .fma(FloatVector.fromMemorySegment(SPECIES, rows, at, LE), acc0);
            i += LANES;
        }
        float sum = sumLanes(acc0.add(acc1));
        for (; i < dim; i++) {
            sum += query[i] * rows.get(FLOAT_LE, rowOffsetBytes + (long) i * Float.BYTES);
        }
        return sum + faultGuard(rows, rowOffsetBytes);
    }

    @Override
    public float squaredL2(MemorySegment rows, long aOffsetBytes, long bOffsetBytes, int dim) {
        int bound = SPECIES.loopBound(dim);
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        long a = aOffsetBytes;
        long b = bOffsetBytes;
        for (; i < bound; i += LANES, a += STEP_BYTES, b += STEP_BYTES) {
            FloatVector d =
                    FloatVector.fromMemorySegment(SPECIES, rows, a, LE)
                            .sub(FloatVector.fromMemorySegment(SPECIES, rows, b, LE));
            if ((i & LANES) == 0) {
                acc0 = d.fma(d, acc0);
            } else {
                acc1 = d.fma(d, acc1);
            }
        }
        float sum = sumLanes(acc0.add(acc1));
        for (; i < dim; i++, a += Float.BYTES, b += Float.BYTES) {
            float d = rows.get(FLOAT_LE, a) - rows.get(FLOAT_LE, b);
            sum += d * d;
        }
        return sum + faultGuard(rows, aOffsetBytes);
    }

    @Override
    public float dot(MemorySegment rows, long aOffsetBytes, long bOffsetBytes, int dim) {
        int bound = SPECIES.loopBound(dim);
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        long a = aOffsetBytes;
        long b = bOffsetBytes;
        for (; i < bound; i += LANES, a += STEP_BYTES, b += STEP_BYTES) {
            FloatVector x = FloatVector.fromMemorySegment(SPECIES, rows, a, LE);
            FloatVector y = FloatVector.fromMemorySegment(SPECIES, rows, b, LE);
            if ((i & LANES) == 0) {
                acc0 = x.fma(y, acc0);
            } else {
                acc1 = x.fma(y, acc1);
            }
        }
        float sum = sumLanes(acc0.add(acc1));
        for (; i < dim; i++, a += Float.BYTES, b += Float.BYTES) {
            sum += rows.get(FLOAT_LE, a) * rows.get(FLOAT_LE, b);
        }
        return sum + faultGuard(rows, aOffsetBytes);
    }

    /** Codes {@code at..at+LANES) as floats: one widening load, exact. */
    private static FloatVector codes(MemorySegment rows, long at) {
        return (FloatVector)
                ByteVector.fromMemorySegment(CODE_SPECIES, rows, at, LE)
                        .convertShape(VectorOperators.B2F, SPECIES, 0);
    }

    @Override
    public float dotCodes(float[] query, MemorySegment rows, long codesOffsetBytes) {
        int dim = query.length;
        int bound = SPECIES.loopBound(dim);
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        long at = codesOffsetBytes;
        for (; i + LANES < bound; i += 2 * LANES, at += 2 * LANES) {
            acc0 = codes(rows, at).fma(FloatVector.fromArray(SPECIES, query, i), acc0);
            acc1 =
                    codes(rows, at + LANES)
                            .fma(FloatVector.fromArray(SPECIES, query, i + LANES), acc1);
        }
        if (i < bound) {
            acc0 = codes(rows, at).fma(FloatVector.fromArray(SPECIES, query, i), acc0);
            i += LANES;
        }
        float sum = sumLanes(acc0.add(acc1));
        for (; i < dim; i++) {
            sum += query[i] * rows.get(ValueLayout.JAVA_BYTE, codesOffsetBytes + i);
        }
        return sum + codeFaultGuard(rows, codesOffsetBytes);
    }

    /**
     * Each 16-byte group is loaded {@code LANES} bytes at a time; the low and the high halves of
     * those bytes are two blocks of {@code LANES} components ({@code 32g + k} and {@code 32g + 16 +
     * k}), each going to the accumulator of its block's parity, as every kernel here does.
     */
    @Override
    public float dotNibbles(float[] query, MemorySegment rows, long codesOffsetBytes) {
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        long at = codesOffsetBytes;
        for (int g = 0; g < query.length; g += NIBBLE_GROUP, at += NIBBLE_GROUP / 2) {
            for (int k = 0; k < NIBBLE_GROUP / 2; k += LANES) {
                ByteVector packed = ByteVector.fromMemorySegment(CODE_SPECIES, rows, at + k, LE);
                FloatVector low =
                        (FloatVector)
                                packed.and((byte) 15).convertShape(VectorOperators.B2F, SPECIES, 0);
                // LSHR on byte lanes shifts the lane's 8 bits: the high half, zero-extended
                FloatVector high =
                        (FloatVector)
                                packed.lanewise(VectorOperators.LSHR, 4)
                                        .convertShape(VectorOperators.B2F, SPECIES, 0);
                FloatVector lowQuery = FloatVector.fromArray(SPECIES, query, g + k);
                FloatVector highQuery = FloatVector.fromArray(SPECIES, query, g + 16 + k);
                if (((g + k) & LANES) == 0) {
                    acc0 = low.fma(lowQuery, acc0);
                } else {
                    acc1 = low.fma(lowQuery, acc1);
                }
                if (((g + 16 + k) & LANES) == 0) {
                    acc0 = high.fma(highQuery, acc0);
                } else {
                    acc1 = high.fma(highQuery, acc1);
                }
            }
        }
        return sumLanes(acc0.add(acc1)) + codeFaultGuard(rows, codesOffsetBytes);
    }

    @Override
    public float squaredL2(float[] a, float[] b) {
        int bound = SPECIES.loopBound(a.length);
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector d =
                    FloatVector.fromArray(SPECIES, a, i).sub(FloatVector.fromArray(SPECIES, b, i));
            if ((i & LANES) == 0) {
                acc0 = d.fma(d, acc0);
            } else {
                acc1 = d.fma(d, acc1);
            }
        }
        float sum = sumLanes(acc0.add(acc1));
        for (; i < a.length; i++) {
            float d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dot(float[] a, float[] b) {
        int bound = SPECIES.loopBound(a.length);
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, i);
            FloatVector y = FloatVector.fromArray(SPECIES, b, i);
            if ((i & LANES) == 0) {
                acc0 = x.fma(y, acc0);
            } else {
                acc1 = x.fma(y, acc1);
            }
        }
        float sum = sumLanes(acc0.add(acc1));
        for (; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /**
     * The scalar kernel: {@link Long#bitCount} compiles to one POPCNT per word, and the estimates
     * wait on the loads of the code rows, not on popcounts. Lane-wise 256- and 512-bit popcount
     * versions were no faster, and the 256-bit one was not always compiled well (bench/RESULTS.md,
     * the measurements and their history).
     */
    @Override
    public long binaryCodeDot(long[] planes, int words, MemorySegment rows, long codesOffsetBytes) {
        return ScalarKernels.binaryCodeDotScalar(planes, words, rows, codesOffsetBytes);
    }

    /**
     * Stages below 16 inside each 16-lane vector: lane {@code l} becomes {@code sign * v[l] + v[l ^
     * h]}, i.e. {@code a + b} or {@code (-b) + a}, which IEEE arithmetic makes equal to the scalar
     * {@code a - b}; then the stages from 16 on with whole vectors. Other lane counts use the
     * scalar loop.
     */
    @Override
    public void hadamard(float[] v, int from, int length) {
        if (LANES != 16 || length < LANES) {
            ScalarKernels.hadamardScalar(v, from, length);
            return;
        }
        for (int i = from; i < from + length; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, v, i);
            x = x.mul(STAGE_SIGNS[1]).add(x.rearrange(XOR1));
            x = x.mul(STAGE_SIGNS[2]).add(x.rearrange(XOR2));
            x = x.mul(STAGE_SIGNS[4]).add(x.rearrange(XOR4));
            x = x.mul(STAGE_SIGNS[8]).add(x.rearrange(XOR8));
            x.intoArray(v, i);
        }
        for (int half = LANES; half < length; half <<= 1) {
            for (int start = from; start < from + length; start += half << 1) {
                for (int i = start; i < start + half; i += LANES) {
                    FloatVector a = FloatVector.fromArray(SPECIES, v, i);
                    FloatVector b = FloatVector.fromArray(SPECIES, v, i + half);
                    a.add(b).intoArray(v, i);
                    a.sub(b).intoArray(v, i + half);
                }
            }
        }
    }
}
