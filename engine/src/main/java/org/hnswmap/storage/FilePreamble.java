package org.hnswmap.storage;

import static org.hnswmap.storage.FileHeaderDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.NotAnIndexException;
import org.hnswmap.error.UnsupportedFormatVersionException;

/**
 * Writes and validates the preamble every index file starts with ({@link FileHeaderDescriptor}).
 * Validation follows storage-format.md, "Validation on open": length, magic, kind, major version,
 * CRC, then the fields that tie the file to its index. Stateless.
 */
final class FilePreamble {

    static final ValueLayout.OfInt INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Little-endian int for atomic access modes (acquire/release/opaque) on mapped files. */
    static final java.lang.invoke.VarHandle ATOMIC_INT =
            ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    /** Little-endian long for atomic access modes; the offset must be a multiple of 8. */
    static final java.lang.invoke.VarHandle ATOMIC_LONG =
            ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    static final ValueLayout.OfShort SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private FilePreamble() {}

    static void write(MemorySegment file, int kind, long[] indexId, int headerLength, int stride) {
        file.set(LONG, MAGIC_OFFSET, MAGIC);
        file.set(INT, FILE_KIND_OFFSET, kind);
        file.set(SHORT, FORMAT_MAJOR_OFFSET, (short) FORMAT_MAJOR);
        file.set(SHORT, FORMAT_MINOR_OFFSET, (short) FORMAT_MINOR);
        file.set(LONG, INDEX_ID_OFFSET, indexId[0]);
        file.set(LONG, INDEX_ID_OFFSET + 8, indexId[1]);
        file.set(INT, HEADER_LENGTH_OFFSET, headerLength);
        file.set(INT, RECORD_STRIDE_OFFSET, stride);
        file.set(INT, PREAMBLE_CRC_OFFSET, Checksums.crc32c(file, 0, PREAMBLE_CRC_OFFSET));
    }

    /**
     * Checks the preamble of {@code file} (mapped over its whole length) and returns its index id.
     *
     * @throws NotAnIndexException when the magic or the kind is wrong
     * @throws UnsupportedFormatVersionException when written by another major version
     * @throws CorruptIndexException when truncated or when the CRC does not match
     */
    static long[] validate(MemorySegment file, Path path, int expectedKind) {
        if (file.byteSize() < PREAMBLE_LENGTH) {
            throw new CorruptIndexException(
                    path
                            + ": truncated: "
                            + file.byteSize()
                            + " bytes, shorter than the "
                            + PREAMBLE_LENGTH
                            + "-byte preamble");
        }
        if (file.get(LONG, MAGIC_OFFSET) != MAGIC) {
            throw new NotAnIndexException(path + ": not an hnswmap index file (wrong magic)");
        }
        int kind = file.get(INT, FILE_KIND_OFFSET);
        if (kind != expectedKind) {
            throw new NotAnIndexException(
                    path
                            + ": is a "
                            + kindName(kind)
                            + " file, expected the "
                            + kindName(expectedKind)
                            + " file (field fileKind)");
        }
        int major = Short.toUnsignedInt(file.get(SHORT, FORMAT_MAJOR_OFFSET));
        if (major > FORMAT_MAJOR) {
            throw new UnsupportedFormatVersionException(
                    path
                            + ": written by a newer hnswmap: format "
                            + major
                            + "."
                            + Short.toUnsignedInt(file.get(SHORT, FORMAT_MINOR_OFFSET))
                            + ", this version reads format "
                            + FORMAT_MAJOR
                            + ".x (field formatMajor)");
        }
        if (major < 1) {
            throw new CorruptIndexException(
                    path + ": format version 0 does not exist (field formatMajor)");
        }
        if (major < FORMAT_MAJOR) {
            throw new UnsupportedFormatVersionException(
                    path
                            + ": written by an older hnswmap: format "
                            + major
                            + ".x, whose neighbour lists are not kept per commit; this version"
                            + " reads format "
                            + FORMAT_MAJOR
                            + ".x. Convert it with the hnswmap that wrote it (hnswmap"
                            + " export-hnswlib) and this one (hnswmap import-hnswlib), or rebuild"
                            + " it (field formatMajor)");
        }
        int crc = Checksums.crc32c(file, 0, PREAMBLE_CRC_OFFSET);
        if (crc != file.get(INT, PREAMBLE_CRC_OFFSET)) {
            throw new CorruptIndexException(
                    path + ": preamble checksum mismatch (field preambleCrc32c)");
        }
        return new long[] {file.get(LONG, INDEX_ID_OFFSET), file.get(LONG, INDEX_ID_OFFSET + 8)};
    }

    /** Checks that a data file belongs to the index {@code indexId} and has the expected stride. */
    static void checkBelongs(MemorySegment file, Path path, long[] indexId, int expectedStride) {
        long[] id = {file.get(LONG, INDEX_ID_OFFSET), file.get(LONG, INDEX_ID_OFFSET + 8)};
        if (id[0] != indexId[0] || id[1] != indexId[1]) {
            throw new CorruptIndexException(
                    path
                            + ": belongs to another index (field indexId differs from the meta file's)");
        }
        int stride = file.get(INT, RECORD_STRIDE_OFFSET);
        if (stride != expectedStride) {
            throw new CorruptIndexException(
                    path
                            + ": record stride "
                            + stride
                            + " bytes, the configuration implies "
                            + expectedStride
                            + " (field recordStride)");
        }
    }
}
