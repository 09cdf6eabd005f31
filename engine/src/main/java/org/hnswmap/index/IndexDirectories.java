package org.hnswmap.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.hnswmap.error.IndexIOException;

/** Housekeeping of index folders. Thread-safe (stateless); the index must not be open. */
public final class IndexDirectories {

    private IndexDirectories() {}

    /** Deletes a folder and everything under it; a missing folder is fine. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new IndexIOException(dir + ": cannot delete: " + e, e);
        }
    }
}
