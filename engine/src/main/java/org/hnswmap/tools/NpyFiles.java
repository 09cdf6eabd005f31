package org.hnswmap.tools;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1 to 3): float32 matrices in C order for vectors, 1-D
 * integer arrays for labels. Only little-endian data is read; anything else is refused with a
 * message saying how to convert it. Stateless.
 */
public final class NpyFiles {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER_BYTES = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyFiles() {}

    /** A parsed header: element type, and the shape with unit axes kept. */
    record Header(String descr, long[] shape) {}

    /** A 2-D float32 array as rows (a 1-D array is one row). */
    public static float[][] readFloat32Matrix(Path file) {
        return Checked.get(file, () -> readFloat32MatrixIo(file));
    }

    private static float[][] readFloat32MatrixIo(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(VectorFiles.open(file))) {
            Header h = readHeader(file, in);
            if (!h.descr().equals("<f4")) {
                throw new IOException(
                        file
                                + ": element type '"
                                + h.descr()
                                + "' is not little-endian float32 ('<f4'); convert it with"
                                + " numpy's .astype('float32')");
            }
            long rows = h.shape().length == 1 ? 1 : h.shape()[0];
            long dim = h.shape()[h.shape().length - 1];
            if (h.shape().length > 2 || dim < 1 || dim > VectorFiles.MAX_DIMENSION) {
                throw new IOException(file + ": shape " + shapeText(h) + " is not (rows, dim)");
            }
            requireLength(file, h, rows * dim * 4);
            float[][] out = new float[Math.toIntExact(rows)][(int) dim];
            byte[] bytes = new byte[(int) dim * 4];
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : out) {
                in.readFully(bytes);
                buffer.asFloatBuffer().get(row);
            }
            return out;
        } catch (EOFException e) {
            throw new IOException(file + ": truncated .npy file", e);
        }
    }

    /** A 1-D (or n x 1) array of int64, int32, uint32 or uint64 values that fit a long. */
    public static long[] readIntegerVector(Path file) {
        return Checked.get(file, () -> readIntegerVectorIo(file));
    }

    private static long[] readIntegerVectorIo(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(VectorFiles.open(file))) {
            Header h = readHeader(file, in);
            int width =
                    switch (h.descr()) {
                        case "<i8", "<u8" -> 8;
                        case "<i4", "<u4" -> 4;
                        default ->
                                throw new IOException(
                                        file
                                                + ": element type '"
                                                + h.descr()
                                                + "' is not a little-endian integer type (<i8,"
                                                + " <i4, <u4, <u8)");
                    };
            boolean column = h.shape().length == 2 && h.shape()[1] == 1;
            if (h.shape().length != 1 && !column) {
                throw new IOException(file + ": shape " + shapeText(h) + " is not (n,)");
            }
            long n = h.shape()[0];
            requireLength(file, h, n * width);
            long[] out = new long[Math.toIntExact(n)];
            byte[] bytes = new byte[width];
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < out.length; i++) {
                in.readFully(bytes);
                out[i] = decodeInteger(file, h.descr(), buffer, i);
            }
            return out;
        } catch (EOFException e) {
            throw new IOException(file + ": truncated .npy file", e);
        }
    }

    /** Writes a float32 matrix in C order as a version 1.0 file (replacing it). */
    public static void writeFloat32Matrix(Path file, float[][] rows) {
        Checked.run(file, () -> writeFloat32MatrixIo(file, rows));
    }

    private static void writeFloat32MatrixIo(Path file, float[][] rows) throws IOException {
        int dim = rows.length == 0 ? 0 : rows[0].length;
        String dict =
                "{'descr': '<f4', 'fortran_order': False, 'shape': ("
                        + rows.length
                        + ", "
                        + dim
                        + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(MAGIC);
            out.write(new byte[] {1, 0, (byte) header.length(), (byte) (header.length() >>> 8)});
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            for (float[] row : rows) {
                ByteBuffer b = ByteBuffer.allocate(4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(row);
                out.write(b.array());
            }
        }
    }

    static Header readHeader(Path file, DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException(file + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        long headerLength;
        if (major == 1) {
            headerLength = in.readUnsignedByte() | in.readUnsignedByte() << 8;
        } else if (major == 2 || major == 3) {
            headerLength = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
        } else {
            throw new IOException(file + ": .npy format version " + major + " is not supported");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new IOException(file + ": .npy header of " + headerLength + " bytes");
        }
        byte[] text = new byte[(int) headerLength];
        in.readFully(text);
        return parseHeader(file, new String(text, StandardCharsets.ISO_8859_1));
    }

    private static Header parseHeader(Path file, String dict) throws IOException {
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new IOException(file + ": malformed .npy header: " + dict.strip());
        }
        if (fortran.group(1).equals("True")) {
            throw new IOException(
                    file + ": array is in Fortran order; save it with numpy.ascontiguousarray");
        }
        String[] parts = shape.group(1).split(",");
        long[] dims = new long[parts.length];
        int n = 0;
        for (String part : parts) {
            if (!part.isBlank()) {
                try {
                    dims[n++] = Long.parseLong(part.strip());
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": malformed .npy shape (" + shape.group(1) + ")");
                }
            }
        }
        if (n == 0) {
            throw new IOException(file + ": .npy holds a scalar, not an array");
        }
        return new Header(descr.group(1), java.util.Arrays.copyOf(dims, n));
    }

    private static void requireLength(Path file, Header h, long dataBytes) throws IOException {
        if (dataBytes < 0 || dataBytes > Files.size(file)) {
            throw new IOException(
                    file
                            + ": shape "
                            + shapeText(h)
                            + " needs "
                            + dataBytes
                            + " bytes of data, the file has "
                            + Files.size(file));
        }
    }

    private static long decodeInteger(Path file, String descr, ByteBuffer b, int index)
            throws IOException {
        long value =
                switch (descr) {
                    case "<i8", "<u8" -> b.getLong(0);
                    case "<i4" -> b.getInt(0);
                    default -> Integer.toUnsignedLong(b.getInt(0));
                };
        if (descr.equals("<u8") && value < 0) {
            throw new IOException(
                    file + ": label at " + index + " exceeds the int64 range of labels");
        }
        return value;
    }

    private static String shapeText(Header h) {
        return java.util.Arrays.toString(h.shape()).replace('[', '(').replace(']', ')');
    }
}
