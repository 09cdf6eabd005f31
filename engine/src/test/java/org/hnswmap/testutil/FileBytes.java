package org.hnswmap.testutil;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Byte-level damage to files, for corruption and verification tests (little-endian). */
public final class FileBytes {

    private FileBytes() {}

    public static void writeShort(Path file, long offset, short value) throws IOException {
        write(
                file,
                offset,
                ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(value).array());
    }

    public static void writeInt(Path file, long offset, int value) throws IOException {
        write(
                file,
                offset,
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    public static void writeLong(Path file, long offset, long value) throws IOException {
        write(
                file,
                offset,
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    /** XORs the byte at {@code offset} with 0x5A. */
    public static int readInt(Path file, long offset) throws IOException {
        return java.nio.ByteBuffer.wrap(read(file, offset, Integer.BYTES))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt();
    }

    public static long readLong(Path file, long offset) throws IOException {
        return java.nio.ByteBuffer.wrap(read(file, offset, Long.BYTES))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong();
    }

    public static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x5A);
        }
    }

    public static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    public static byte[] read(Path file, long offset, int length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] out = new byte[length];
            raf.seek(offset);
            raf.readFully(out);
            return out;
        }
    }

    private static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(bytes);
        }
    }
}
