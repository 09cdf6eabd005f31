package org.hnswmap.tools;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.hnswmap.error.VectorFileException;

/**
 * The file readers' one exception convention: their I/O code throws {@link IOException} inside, and
 * their public methods turn it into {@link VectorFileException} naming the file, like every other
 * failure of the engine's API (an unchecked {@link org.hnswmap.error.HnswmapException}).
 */
final class Checked {

    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws IOException;
    }

    @FunctionalInterface
    interface IoRunnable {
        void run() throws IOException;
    }

    private Checked() {}

    static <T> T get(Path file, IoSupplier<T> body) {
        try {
            return body.get();
        } catch (NoSuchFileException e) {
            throw new VectorFileException(file + ": no such file", e);
        } catch (IOException e) {
            String message = e.getMessage();
            throw new VectorFileException(
                    message != null && message.startsWith(file.toString())
                            ? message
                            : file + ": " + e,
                    e);
        }
    }

    static void run(Path file, IoRunnable body) {
        get(
                file,
                () -> {
                    body.run();
                    return null;
                });
    }
}
