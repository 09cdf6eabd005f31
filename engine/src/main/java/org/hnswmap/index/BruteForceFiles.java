package org.hnswmap.index;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.DimensionMismatchException;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.error.InvalidVectorException;

/**
 * hnswlib's brute-force index file ({@code BFIndex.save_index} / {@code load_index}, {@code
 * bruteforce.h}), so that exact indexes move between the two libraries. Little-endian, as hnswlib
 * writes it on x86 and ARM:
 *
 * <pre>
 * offset 0   u64 maxElements
 * offset 8   u64 sizePerElement   4 * dimension + 8
 * offset 16  u64 count            elements in use, slots 0..count-1
 * offset 24  maxElements slots of sizePerElement bytes: the vector (f32 x dimension), then its
 *            label (u64); slots from count on are unused (hnswlib writes whatever its buffer held,
 *            this class writes zeros)
 * </pre>
 *
 * Neither the space nor the dimension is in the file: as in hnswlib, the caller gives them, and the
 * slot size must match the dimension. Cosine vectors are stored normalized, as hnswlib stores them.
 * Stateless.
 */
final class BruteForceFiles {

    private static final int HEADER_BYTES = 24;
    private static final int LABEL_BYTES = Long.BYTES;

    private BruteForceFiles() {}

    /**
     * Writes {@code rows[0..count)} and their labels to {@code file} through a temporary file moved
     * into place, so a failed save never leaves a partial file under the name.
     */
    static void save(
            Path file, int maxElements, int dimension, float[][] rows, long[] labels, int count) {
        int slot = dimension * Float.BYTES + LABEL_BYTES;
        Path parent = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(parent, file.getFileName().toString(), ".part");
            try (FileOutputStream file0 = new FileOutputStream(temp.toFile());
                    OutputStream out = new BufferedOutputStream(file0, 1 << 16)) {
                ByteBuffer header =
                        ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                header.putLong(maxElements).putLong(slot).putLong(count).flip();
                writeFully(out, header);
                ByteBuffer buffer =
                        ByteBuffer.allocate(Math.max(slot, 1 << 16) / slot * slot)
                                .order(ByteOrder.LITTLE_ENDIAN);
                byte[] zeros = new byte[slot];
                for (int i = 0; i < maxElements; i++) {
                    if (buffer.remaining() < slot) {
                        writeFully(out, buffer.flip());
                        buffer.clear();
                    }
                    if (i < count) {
                        for (float x : rows[i]) {
                            buffer.putFloat(x);
                        }
                        buffer.putLong(labels[i]);
                    } else {
                        buffer.put(zeros);
                    }
                }
                writeFully(out, buffer.flip());
                out.flush();
                file0.getFD().sync();
            }
            Files.move(
                    temp,
                    file,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            temp = null;
        } catch (IOException e) {
            throw new IndexIOException(file + ": cannot save the exact index: " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The save already failed; that error is the one to report.
                }
            }
        }
    }

    /** Reads a file {@link #save} or hnswlib wrote into a new index of {@code space}. */
    static BruteForceIndex load(Path file, Space space, int dimension) {
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            long size = Files.size(file);
            if (size < HEADER_BYTES) {
                throw new CorruptIndexException(
                        file + ": " + size + " bytes, too short for an exact index header");
            }
            ByteBuffer header = readFully(in, HEADER_BYTES);
            long maxElements = header.getLong();
            long slot = header.getLong();
            long count = header.getLong();
            long expectedSlot = (long) dimension * Float.BYTES + LABEL_BYTES;
            if (slot != expectedSlot) {
                throw new DimensionMismatchException(
                        file
                                + ": slots of "
                                + slot
                                + " bytes, not the "
                                + expectedSlot
                                + " of dimension "
                                + dimension
                                + (slot > LABEL_BYTES && (slot - LABEL_BYTES) % Float.BYTES == 0
                                        ? " (the file has dimension "
                                                + (slot - LABEL_BYTES) / Float.BYTES
                                                + ")"
                                        : ""));
            }
            if (maxElements < 0
                    || maxElements > Integer.MAX_VALUE - 8
                    || count < 0
                    || count > maxElements) {
                throw new CorruptIndexException(
                        file
                                + ": count "
                                + count
                                + " and maxElements "
                                + maxElements
                                + " make no index");
            }
            if (size < HEADER_BYTES + count * slot) {
                throw new CorruptIndexException(
                        file
                                + ": "
                                + size
                                + " bytes hold fewer than its "
                                + count
                                + " elements (truncated?)");
            }
            BruteForceIndex index = new BruteForceIndex(space, dimension, (int) maxElements);
            int perRead = (int) Math.max(1, (1 << 20) / slot);
            for (long first = 0; first < count; first += perRead) {
                int n = (int) Math.min(perRead, count - first);
                ByteBuffer block = readFully(in, (int) (n * slot));
                for (int i = 0; i < n; i++) {
                    float[] row = new float[dimension];
                    for (int d = 0; d < dimension; d++) {
                        row[d] = block.getFloat();
                        if (!Float.isFinite(row[d])) {
                            throw new InvalidVectorException(
                                    file
                                            + ": element "
                                            + (first + i)
                                            + " holds "
                                            + row[d]
                                            + " at component "
                                            + d);
                        }
                    }
                    long label = block.getLong();
                    if (!index.addStored(row, label)) {
                        throw new CorruptIndexException(
                                file + ": label " + label + " is stored twice");
                    }
                }
            }
            return index;
        } catch (NoSuchFileException e) {
            throw new IndexIOException(file + ": no such file", e);
        } catch (EOFException e) {
            throw new CorruptIndexException(file + ": ends inside its elements (truncated?)", e);
        } catch (IOException e) {
            throw new IndexIOException(file + ": cannot load the exact index: " + e, e);
        }
    }

    private static void writeFully(OutputStream out, ByteBuffer buffer) throws IOException {
        out.write(buffer.array(), buffer.position(), buffer.remaining());
        buffer.position(buffer.limit());
    }

    private static ByteBuffer readFully(DataInputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
