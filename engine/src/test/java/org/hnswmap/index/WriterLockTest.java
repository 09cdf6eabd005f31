package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hnswmap.error.WriterLockedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per index, across processes: the OS lock must survive a refused attempt in the
 * holder's own JVM (closing any descriptor of the lock file would drop a POSIX lock), and another
 * path to the same directory is the same index.
 */
class WriterLockTest {

    @TempDir Path dir;

    private HnswIndex create(Path where) {
        HnswIndex index =
                HnswIndex.create(where, IndexConfig.builder(Space.L2, 4).maxElements(10).build());
        index.addItem(new float[] {1, 2, 3, 4}, 1);
        index.commit();
        return index;
    }

    @Test
    void shouldRefuseSecondProcessAfterRefusedAttemptInSameJvm() throws Exception {
        Path index = dir.resolve("idx");
        try (HnswIndex writer = create(index)) {
            assertThrows(WriterLockedException.class, () -> HnswIndex.openForWrite(index));
            assertThrows(WriterLockedException.class, () -> HnswIndex.openForWrite(index));
            String child = runChild(index);
            assertTrue(
                    child.startsWith("refused: ") && child.contains("another process"),
                    "a second process must be refused while the first writer is open: " + child);
            writer.addItem(new float[] {4, 3, 2, 1}, 2);
            writer.commit();
        }
        assertTrue(runChild(index).startsWith("opened 2"), "the lock is released on close");
    }

    @Test
    void shouldRefuseSameDirectoryThroughAnotherPath() throws Exception {
        Path index = dir.resolve("idx");
        Path link = Files.createSymbolicLink(dir.resolve("link"), index.getFileName());
        try (HnswIndex writer = create(index)) {
            assertThrows(WriterLockedException.class, () -> HnswIndex.openForWrite(link));
            assertTrue(runChild(index).startsWith("refused: "), "the lock still holds");
        }
        try (HnswIndex again = HnswIndex.openForWrite(link)) {
            assertEquals(1, again.size());
        }
    }

    @Test
    void shouldLetSecondWriterInAfterClose() {
        Path index = dir.resolve("idx");
        create(index).close();
        try (HnswIndex first = HnswIndex.openForWrite(index)) {
            assertEquals(1, first.size());
        }
        try (HnswIndex second = HnswIndex.openForWrite(index)) {
            assertEquals(1, second.size());
        }
    }

    private static String runChild(Path index) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process =
                new ProcessBuilder(
                                List.of(
                                        java,
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        ChildProcessWriter.class.getName(),
                                        index.toString()))
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        String out =
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, process.exitValue(), "child JVM failed; output: " + out);
        return out;
    }
}
