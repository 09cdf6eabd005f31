package org.hnswmap.bench.layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 4-bit rows, the next step down from int8 (glass's SQ4U, a multi-bit RaBitQ code): 16 levels from
 * 0, two codes a byte, so a 128-d row is 80 bytes (two cache lines) instead of 144. Each 16-byte
 * group holds 32 components: component {@code 32g + j} in the low half of byte {@code j}, component
 * {@code 32g + 16 + j} in its high half, so one 16-byte load widens to two 16-lane float vectors.
 *
 * <p>NOTE: this kernel lives in the bench, not in the engine's distance layer, because no engine
 * code reads 4-bit codes: it is a prototype to measure what such codes would buy, and it needs
 * 512-bit vectors ({@link #supported}).
 */
final class FourBitCodes extends CodeFormat {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_512;
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_128;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int GROUP_BYTES = 16;
    private static final int GROUP_COMPONENTS = 32;

    /** The query with zeros up to a whole group; the padding stays zero. */
    private final float[] padded;

    FourBitCodes(int dimension) {
        super(0, 16);
        padded = new float[groups(dimension) * GROUP_COMPONENTS];
    }

    /** Whether this CPU has the 512-bit vectors the kernel is written for. */
    static boolean supported() {
        return FloatVector.SPECIES_PREFERRED.length() >= FLOATS.length();
    }

    private static int groups(int dimension) {
        return (dimension + GROUP_COMPONENTS - 1) / GROUP_COMPONENTS;
    }

    @Override
    String name() {
        return "4-bit";
    }

    @Override
    int rowBytes(int dimension) {
        return HEADER + groups(dimension) * GROUP_BYTES;
    }

    @Override
    void store(MemorySegment rows, long codesAt, int component, int code) {
        int within = component % GROUP_COMPONENTS;
        long at = codesAt + (long) (component / GROUP_COMPONENTS) * GROUP_BYTES + within % 16;
        byte old = rows.get(ValueLayout.JAVA_BYTE, at);
        rows.set(
                ValueLayout.JAVA_BYTE,
                at,
                (byte) (within < 16 ? (old & 0xf0) | code : (old & 0x0f) | (code << 4)));
    }

    @Override
    void prepare(float[] query) {
        System.arraycopy(query, 0, padded, 0, query.length);
    }

    @Override
    double codeDot(MemorySegment rows, long codesAt) {
        FloatVector low = FloatVector.zero(FLOATS);
        FloatVector high = FloatVector.zero(FLOATS);
        long at = codesAt;
        for (int q = 0; q < padded.length; q += GROUP_COMPONENTS, at += GROUP_BYTES) {
            IntVector bytes =
                    (IntVector)
                            ByteVector.fromMemorySegment(BYTES, rows, at, LE)
                                    .convertShape(VectorOperators.B2I, IntVector.SPECIES_512, 0);
            FloatVector lows = (FloatVector) bytes.and(15).convert(VectorOperators.I2F, 0);
            FloatVector highs =
                    (FloatVector)
                            bytes.lanewise(VectorOperators.ASHR, 4)
                                    .and(15)
                                    .convert(VectorOperators.I2F, 0);
            low = lows.fma(FloatVector.fromArray(FLOATS, padded, q), low);
            high = highs.fma(FloatVector.fromArray(FLOATS, padded, q + 16), high);
        }
        return low.add(high).reduceLanes(VectorOperators.ADD);
    }
}
