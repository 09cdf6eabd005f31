package org.hnswmap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hnswmap.cli.FailureHandler.UsageException;
import org.hnswmap.tools.VectorFiles;

/** Loading and cross-checking the files a command is given. Stateless. */
final class Inputs {

    private Inputs() {}

    /** Vectors from a data file; a missing, empty or unreadable file is one clear error. */
    static float[][] vectors(Path file, String role) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": " + role + " file not found");
        }
        float[][] rows = VectorFiles.read(file);
        if (rows.length == 0) {
            throw new IOException(file + ": " + role + " file holds no vectors");
        }
        return rows;
    }

    /** Queries that must match {@code dimension}. */
    static float[][] queries(Path file, int dimension, String against) throws IOException {
        float[][] rows = vectors(file, "queries");
        if (rows[0].length != dimension) {
            throw new UsageException(
                    String.format(
                            "%s: queries have dimension %d, %s has dimension %d",
                            file, rows[0].length, against, dimension));
        }
        return rows;
    }

    /** Labels for {@code count} vectors, or null (row numbers) when no file is given. */
    static long[] labels(Path file, int count) throws IOException {
        if (file == null) {
            return null;
        }
        long[] labels = VectorFiles.readLabels(file);
        if (labels.length != count) {
            throw new UsageException(
                    file + ": " + labels.length + " labels for " + count + " vectors");
        }
        return labels;
    }

    /** Parses "8,16,32" into ints, each at least {@code min}. */
    static int[] intList(String text, String option, int min) {
        String[] parts = text.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new UsageException(option + ": '" + parts[i] + "' is not an integer");
            }
            if (out[i] < min) {
                throw new UsageException(option + ": " + out[i] + " is below " + min);
            }
        }
        return out;
    }
}
