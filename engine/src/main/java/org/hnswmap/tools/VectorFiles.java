package org.hnswmap.tools;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Readers and writers of the vector files users bring: .fvecs, .bvecs, .ivecs (ann-benchmarks /
 * TEXMEX), .npy (float32, C order) and IDX image files (MNIST, Fashion-MNIST; gzip or plain). Every
 * read streams the file once and fails with one clear {@link IOException} naming the file and the
 * problem (wrong magic, impossible shape, truncation). Stateless.
 */
public final class VectorFiles {

    /** Largest dimension accepted from a file, the engine's own limit. */
    public static final int MAX_DIMENSION = 65_536;

    private static final int IDX_UBYTE_3D = 0x00000803;
    private static final int BUFFER_BYTES = 1 << 16;

    private VectorFiles() {}

    /** Reads vectors by extension: {@code .fvecs}, {@code .bvecs}, {@code .npy} or IDX. */
    public static float[][] read(Path file) {
        return Checked.get(file, () -> readIo(file));
    }

    private static float[][] readIo(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".fvecs")) {
            return readFvecs(file);
        }
        if (name.endsWith(".bvecs")) {
            return readBvecs(file);
        }
        if (name.endsWith(".npy")) {
            return NpyFiles.readFloat32Matrix(file);
        }
        if (name.contains("idx3-ubyte")) {
            return readIdxImages(file);
        }
        throw new IOException(
                file
                        + ": unknown vector file type (expected .fvecs, .bvecs, .npy or an"
                        + " idx3-ubyte file)");
    }

    /**
     * Reads labels, one per vector: {@code .npy} of int64/int32/uint32/uint64, or text with one
     * decimal integer per line (blank lines and lines starting with {@code #} skipped).
     */
    public static long[] readLabels(Path file) {
        return Checked.get(file, () -> readLabelsIo(file));
    }

    private static long[] readLabelsIo(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".npy")) {
            return NpyFiles.readIntegerVector(file);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        long[] out = new long[lines.size()];
        int n = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                out[n++] = Long.parseLong(line);
            } catch (NumberFormatException e) {
                throw new IOException(
                        file + ": line " + (i + 1) + " is not an integer label: '" + line + "'");
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * An IDX file of unsigned-byte images, each flattened to a float row of pixel values 0..255.
     */
    public static float[][] readIdxImages(Path file) {
        return Checked.get(file, () -> readIdxImagesIo(file));
    }

    private static float[][] readIdxImagesIo(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(open(file))) {
            int magic = in.readInt();
            if (magic != IDX_UBYTE_3D) {
                throw new IOException(
                        file
                                + ": not an IDX image file (magic 0x"
                                + Integer.toHexString(magic)
                                + ")");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0 || rows <= 0 || cols <= 0 || (long) rows * cols > MAX_DIMENSION) {
                throw new IOException(
                        file + ": impossible IDX shape " + count + " x " + rows + " x " + cols);
            }
            int dim = rows * cols;
            // Rows are allocated as they are read: a header claiming more rows than the file
            // holds ends in "truncated", not in a giant allocation.
            List<float[]> out = new ArrayList<>(Math.min(count, 1 << 16));
            byte[] row = new byte[dim];
            for (int i = 0; i < count; i++) {
                in.readFully(row);
                float[] vector = new float[dim];
                for (int j = 0; j < dim; j++) {
                    vector[j] = row[j] & 0xff;
                }
                out.add(vector);
            }
            return out.toArray(new float[0][]);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX file", e);
        }
    }

    /** An .fvecs file: per row a little-endian int32 dimension then that many float32. */
    public static float[][] readFvecs(Path file) {
        return Checked.get(file, () -> readFvecsIo(file));
    }

    private static float[][] readFvecsIo(Path file) throws IOException {
        return readVecs(
                        file,
                        4,
                        "fvecs",
                        (bytes, dim) -> {
                            float[] row = new float[dim];
                            bytes.asFloatBuffer().get(row);
                            return row;
                        })
                .toArray(new float[0][]);
    }

    /** A .bvecs file: per row a little-endian int32 dimension then that many unsigned bytes. */
    public static float[][] readBvecs(Path file) {
        return Checked.get(file, () -> readBvecsIo(file));
    }

    private static float[][] readBvecsIo(Path file) throws IOException {
        return readVecs(
                        file,
                        1,
                        "bvecs",
                        (bytes, dim) -> {
                            float[] row = new float[dim];
                            for (int j = 0; j < dim; j++) {
                                row[j] = bytes.get(j) & 0xff;
                            }
                            return row;
                        })
                .toArray(new float[0][]);
    }

    /** An .ivecs file: per row a little-endian int32 count then that many int32. */
    public static int[][] readIvecs(Path file) {
        return Checked.get(file, () -> readIvecsIo(file));
    }

    private static int[][] readIvecsIo(Path file) throws IOException {
        return readVecs(
                        file,
                        4,
                        "ivecs",
                        (bytes, dim) -> {
                            int[] row = new int[dim];
                            bytes.asIntBuffer().get(row);
                            return row;
                        })
                .toArray(new int[0][]);
    }

    /** Writes an .ivecs file (replacing it). */
    public static void writeIvecs(Path file, int[][] rows) {
        Checked.run(file, () -> writeIvecsIo(file, rows));
    }

    private static void writeIvecsIo(Path file, int[][] rows) throws IOException {
        try (OutputStream out =
                new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES)) {
            for (int[] row : rows) {
                ByteBuffer b =
                        ByteBuffer.allocate(4 + 4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(row.length);
                for (int v : row) {
                    b.putInt(v);
                }
                out.write(b.array());
            }
        }
    }

    /** Writes an .fvecs file (replacing it). */
    public static void writeFvecs(Path file, float[][] rows) {
        Checked.run(file, () -> writeFvecsIo(file, rows));
    }

    private static void writeFvecsIo(Path file, float[][] rows) throws IOException {
        try (OutputStream out =
                new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES)) {
            for (float[] row : rows) {
                ByteBuffer b =
                        ByteBuffer.allocate(4 + 4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(row.length);
                b.asFloatBuffer().put(row);
                out.write(b.array());
            }
        }
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ByteBuffer littleEndianRow, int dim);
    }

    private static <T> List<T> readVecs(
            Path file, int componentBytes, String kind, RowReader<T> reader) throws IOException {
        long length = Files.size(file);
        if (length < 4) {
            throw new IOException(file + ": not a ." + kind + " file (only " + length + " bytes)");
        }
        List<T> rows = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(open(file))) {
            byte[] header = new byte[4];
            in.readFully(header);
            int dim = littleEndianInt(header);
            if (dim < 1 || dim > MAX_DIMENSION) {
                throw new IOException(
                        file + ": not a ." + kind + " file (first row has dimension " + dim + ")");
            }
            long rowBytes = 4L + (long) componentBytes * dim;
            if (length % rowBytes != 0) {
                throw new IOException(
                        String.format(
                                "%s: truncated or not a .%s file: %d bytes is not a whole number of"
                                        + " %d-byte rows (dimension %d)",
                                file, kind, length, rowBytes, dim));
            }
            byte[] body = new byte[componentBytes * dim];
            ByteBuffer bodyBuffer = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
            for (long r = 0, n = length / rowBytes; r < n; r++) {
                if (r > 0) {
                    in.readFully(header);
                    int d = littleEndianInt(header);
                    if (d != dim) {
                        throw new IOException(
                                String.format(
                                        "%s: row %d has dimension %d in a file of dimension %d",
                                        file, r, d, dim));
                    }
                }
                in.readFully(body);
                rows.add(reader.read(bodyBuffer, dim));
            }
        } catch (EOFException e) {
            throw new IOException(file + ": truncated ." + kind + " file", e);
        }
        return rows;
    }

    private static int littleEndianInt(byte[] b) {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        InputStream in =
                file.toString().endsWith(".gz") ? new GZIPInputStream(raw, BUFFER_BYTES) : raw;
        return new BufferedInputStream(in, BUFFER_BYTES);
    }
}
