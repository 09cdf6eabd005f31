package org.hnswmap.tools;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Readers of the vector files users bring: IDX image files (MNIST, Fashion-MNIST; gzip or plain)
 * and .fvecs. Each read fails with one clear {@link IOException} naming the file and the problem.
 * Stateless.
 */
public final class VectorFiles {

    private static final int IDX_UBYTE_3D = 0x00000803;

    private VectorFiles() {}

    /** Reads by extension: {@code .fvecs}, or IDX ({@code -idx3-ubyte}, optionally {@code .gz}). */
    public static float[][] read(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".fvecs")) {
            return readFvecs(file);
        }
        if (name.contains("idx3-ubyte")) {
            return readIdxImages(file);
        }
        throw new IOException(
                file + ": unknown vector file type (expected .fvecs or an idx3-ubyte file)");
    }

    /**
     * An IDX file of unsigned-byte images, each flattened to a float row of pixel values 0..255.
     */
    public static float[][] readIdxImages(Path file) throws IOException {
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
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
            if (count < 0 || rows <= 0 || cols <= 0 || (long) rows * cols > 1 << 20) {
                throw new IOException(
                        file + ": impossible IDX shape " + count + " x " + rows + " x " + cols);
            }
            int dim = rows * cols;
            float[][] out = new float[count][dim];
            byte[] row = new byte[dim];
            for (float[] vector : out) {
                in.readFully(row);
                for (int j = 0; j < dim; j++) {
                    vector[j] = row[j] & 0xff;
                }
            }
            return out;
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX file", e);
        }
    }

    /** An .fvecs file: per row a little-endian int32 dimension then that many float32. */
    public static float[][] readFvecs(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.remaining() < 4) {
            throw new IOException(file + ": empty .fvecs file");
        }
        int dim = bytes.getInt(0);
        long rowBytes = 4L + 4L * dim;
        if (dim <= 0 || bytes.remaining() % rowBytes != 0) {
            throw new IOException(
                    file
                            + ": not an .fvecs file of dimension "
                            + dim
                            + " (length "
                            + bytes.remaining()
                            + ")");
        }
        float[][] out = new float[(int) (bytes.remaining() / rowBytes)][dim];
        for (float[] row : out) {
            int d = bytes.getInt();
            if (d != dim) {
                throw new IOException(
                        file + ": row of dimension " + d + " in a file of dimension " + dim);
            }
            bytes.asFloatBuffer().get(row);
            bytes.position(bytes.position() + 4 * dim);
        }
        return out;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    }
}
