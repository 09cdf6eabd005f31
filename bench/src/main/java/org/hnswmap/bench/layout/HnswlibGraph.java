package org.hnswmap.bench.layout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A graph read whole from a file in hnswlib's {@code save_index} layout (hnswlib 0.6-0.8; what
 * {@code hnswmap export-hnswlib} and the comparison's hnswlib worker write): level-0 lists, upper
 * lists, float32 rows and labels, in plain arrays and one native segment. The probe lays these out
 * again in the layouts it compares, so both search the very same graph.
 *
 * <p>Immutable after {@link #read}; thread-safe.
 */
final class HnswlibGraph {

    static final ValueLayout.OfFloat FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** hnswlib's header: six size_t, an int, an unsigned int, three size_t, a double, a size_t. */
    private static final int HEADER_BYTES = 6 * 8 + 4 + 4 + 3 * 8 + 8 + 8;

    final int size;
    final int dimension;
    final int maxDegree0;
    final int entry;
    final int maxLevel;

    /** Level-0 neighbours of node {@code i}: {@code level0[i * maxDegree0 ..][0 .. count0[i])}. */
    final int[] level0;

    final int[] count0;

    /** {@code upper[i][l - 1]}: neighbours of node {@code i} on level {@code l >= 1}. */
    final int[][][] upper;

    final long[] labels;

    /** Float32 rows, {@code dimension} floats each, node after node. */
    final MemorySegment rows;

    private HnswlibGraph(
            int size,
            int dimension,
            int maxDegree0,
            int entry,
            int maxLevel,
            int[] level0,
            int[] count0,
            int[][][] upper,
            long[] labels,
            MemorySegment rows) {
        this.size = size;
        this.dimension = dimension;
        this.maxDegree0 = maxDegree0;
        this.entry = entry;
        this.maxLevel = maxLevel;
        this.level0 = level0;
        this.count0 = count0;
        this.upper = upper;
        this.labels = labels;
        this.rows = rows;
    }

    static HnswlibGraph read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                Arena arena = Arena.ofConfined()) {
            MemorySegment in = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            ByteBuffer header =
                    in.asSlice(0, HEADER_BYTES).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            header.getLong(); // offsetLevel0
            header.getLong(); // max_elements
            int size = Math.toIntExact(header.getLong());
            int perElement = Math.toIntExact(header.getLong());
            int labelOffset = Math.toIntExact(header.getLong());
            int dataOffset = Math.toIntExact(header.getLong());
            int maxLevel = header.getInt();
            int entry = header.getInt();
            int maxDegree = Math.toIntExact(header.getLong());
            int maxDegree0 = Math.toIntExact(header.getLong());
            int dimension = (labelOffset - dataOffset) / Float.BYTES;
            ValueLayout.OfInt i32 =
                    ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            ValueLayout.OfLong i64 =
                    ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            int[] level0 = new int[size * maxDegree0];
            int[] count0 = new int[size];
            long[] labels = new long[size];
            MemorySegment rows = Arena.global().allocate((long) size * dimension * Float.BYTES, 64);
            for (int node = 0; node < size; node++) {
                long at = HEADER_BYTES + (long) node * perElement;
                // the list size is the low 16 bits; hnswlib keeps a deleted mark above them
                count0[node] = in.get(i32, at) & 0xffff;
                for (int j = 0; j < count0[node]; j++) {
                    level0[node * maxDegree0 + j] = in.get(i32, at + 4 + 4L * j);
                }
                MemorySegment.copy(
                        in,
                        at + dataOffset,
                        rows,
                        (long) node * dimension * Float.BYTES,
                        (long) dimension * Float.BYTES);
                labels[node] = in.get(i64, at + labelOffset);
            }
            int[][][] upper = new int[size][][];
            long at = HEADER_BYTES + (long) size * perElement;
            int upperRecord = Integer.BYTES * (maxDegree + 1);
            for (int node = 0; node < size; node++) {
                int bytes = in.get(i32, at);
                at += Integer.BYTES;
                upper[node] = new int[bytes / upperRecord][];
                for (int level = 0; level < upper[node].length; level++) {
                    long record = at + (long) level * upperRecord;
                    int[] ids = new int[in.get(i32, record) & 0xffff];
                    for (int j = 0; j < ids.length; j++) {
                        ids[j] = in.get(i32, record + 4 + 4L * j);
                    }
                    upper[node][level] = ids;
                }
                at += bytes;
            }
            return new HnswlibGraph(
                    size,
                    dimension,
                    maxDegree0,
                    entry,
                    maxLevel,
                    level0,
                    count0,
                    upper,
                    labels,
                    rows);
        }
    }

    /** Byte offset of {@code node}'s float32 row in {@link #rows}. */
    long rowOffset(int node) {
        return (long) node * dimension * Float.BYTES;
    }
}
