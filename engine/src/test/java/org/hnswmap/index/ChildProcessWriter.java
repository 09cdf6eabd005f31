package org.hnswmap.index;

import java.nio.file.Path;
import org.hnswmap.error.WriterLockedException;

/**
 * Run in a second JVM by {@link WriterLockTest}: tries to open an index for writing and prints
 * {@code refused: MESSAGE} or {@code opened} (then closes it). Args: indexDir.
 */
public final class ChildProcessWriter {

    private ChildProcessWriter() {}

    public static void main(String[] args) {
        try (HnswIndex writer = HnswIndex.openForWrite(Path.of(args[0]))) {
            System.out.println("opened " + writer.size());
        } catch (WriterLockedException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
