package org.hnswmap.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.hnswmap.error.IndexIOException;

/**
 * Makes file creations and deletions in a directory durable (fsync of the directory itself), so
 * that a power loss after a commit cannot bring back a deleted journal or lose a new label table.
 * Stateless and thread-safe.
 */
final class DirectorySync {

    private DirectorySync() {}

    /** Syncs {@code directory}; a file system that cannot sync directories is skipped silently. */
    static void sync(Path directory) {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException e) {
            // Not every platform opens directories as channels; their file systems order metadata.
        } catch (IOException e) {
            if (isDirectoryOpenRefused(e)) {
                return;
            }
            throw new IndexIOException("cannot sync directory " + directory + ": " + e, e);
        }
    }

    private static boolean isDirectoryOpenRefused(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Is a directory") || m.contains("Access is denied");
    }
}
