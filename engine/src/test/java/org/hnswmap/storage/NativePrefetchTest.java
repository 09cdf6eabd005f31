package org.hnswmap.storage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NativePrefetch}: the Maven build ships the library wherever it had a C compiler, the
 * engine loads it unless told to touch lines, and a prefetch never reads the memory it names (a
 * stray or closed address must not crash the JVM) while its ids are bounds-checked.
 */
class NativePrefetchTest {

    @TempDir Path dir;

    @Test
    void shouldShipAndLoadTheLibraryWhereTheBuildHadACompiler() throws Exception {
        assumeTrue(
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "the library is built for Linux only");
        assumeTrue(compilerOnPath(), "no C compiler: the build ships no library");
        String resource = NativePrefetch.resourceName();
        try (InputStream in = NativePrefetch.class.getResourceAsStream(resource)) {
            assertNotNull(in, "the build had `cc` but shipped no " + resource);
        }
        String status = NativePrefetch.status();
        assertFalse(status.startsWith(NativePrefetch.BROKEN), status);
        if ("touch".equals(System.getProperty(NativePrefetch.PROPERTY))) {
            assertFalse(NativePrefetch.available(), "-D" + NativePrefetch.PROPERTY + "=touch");
        } else {
            // a machine may refuse to load it (a noexec temporary directory): then it says so
            assertTrue(
                    NativePrefetch.available() || status.startsWith(NativePrefetch.CANNOT_LOAD),
                    status);
            assertEquals(NativePrefetch.available(), status.equals("loaded"), status);
        }
    }

    @Test
    void shouldTellWhichWayAnIndexPrefetches() throws IOException {
        StoreConfig config = new StoreConfig(MetaHeaderDescriptor.SPACE_L2, 4, 4, 8, 20, 0, 1, 0);
        Path index = dir.resolve("t");
        try (StoreWriter writer = IndexStore.create(index, config, 16, 10)) {
            writer.addNode(0, 0, new float[] {1, 2, 3, 4});
            writer.commit(1);
        }
        try (IndexStore store = IndexStore.open(index, false)) {
            assertEquals(NativePrefetch.available() ? "native" : "touch", store.prefetchName());
            if ("touch".equals(System.getProperty(NativePrefetch.PROPERTY))) {
                assertEquals("touch", store.prefetchName(), "-Dhnswmap.prefetch=touch is obeyed");
            }
        }
    }

    @Test
    void shouldNeverReadTheRowsItPrefetches() throws IOException {
        assumeTrue(NativePrefetch.available(), "pure-Java run: nothing is prefetched");
        MemorySegment rows = mapped(4096);
        // ids far past the mapping or negative, a page-sized stride: addresses nothing maps
        int[] ids = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 12345678};
        assertDoesNotThrow(() -> NativePrefetch.rows(rows, 64, 80, ids, ids.length, 2));
        assertDoesNotThrow(() -> NativePrefetch.rows(rows, 0, 4096, ids, ids.length, 64));
        assertDoesNotThrow(() -> NativePrefetch.range(rows, -1L << 40, 1 << 20));
        // a mapping closed meanwhile: the address is still passed, and still harmless
        MemorySegment closed;
        try (Arena arena = Arena.ofShared()) {
            closed = map(arena, 4096);
        }
        assertFalse(closed.scope().isAlive());
        assertDoesNotThrow(() -> NativePrefetch.rows(closed, 0, 64, ids, 2, 1));
        assertDoesNotThrow(() -> NativePrefetch.range(closed, 0, 4096));
    }

    @Test
    void shouldRefuseMoreIdsThanTheArrayHolds() throws IOException {
        assumeTrue(NativePrefetch.available(), "pure-Java run: nothing is prefetched");
        MemorySegment rows = mapped(4096);
        int[] ids = {1, 2, 3};
        assertThrows(
                IndexOutOfBoundsException.class, () -> NativePrefetch.rows(rows, 0, 64, ids, 4, 1));
        assertThrows(
                IndexOutOfBoundsException.class,
                () -> NativePrefetch.rows(rows, 0, 64, ids, -1, 1));
        assertDoesNotThrow(() -> NativePrefetch.rows(rows, 0, 64, ids, 3, 1));
    }

    @Test
    void shouldScoreTheSameRowsWithOrWithoutIt() throws IOException {
        // the scorer's answers are those of the one-row distance whichever way the lines came in
        MemorySegment rows = mapped(64 * 1024);
        for (long at = 0; at < rows.byteSize(); at += Integer.BYTES) {
            rows.set(ValueLayout.JAVA_INT_UNALIGNED, at, (int) (at * 2654435761L));
        }
        PrefetchingScorer scorer =
                new PrefetchingScorer(rows, 80, 16, PrefetchingScorer.ALL_LINES) {
                    @Override
                    public float distance(int node) {
                        return rows.get(ValueLayout.JAVA_INT_UNALIGNED, rowOffset(node) + 8);
                    }
                };
        int[] nodes = {3, 700, 1, 42, 800, 5};
        float[] out = new float[nodes.length];
        scorer.distances(nodes, nodes.length, out);
        for (int i = 0; i < nodes.length; i++) {
            assertEquals(scorer.distance(nodes[i]), out[i], "node " + nodes[i]);
        }
    }

    private MemorySegment mapped(long bytes) throws IOException {
        return map(Arena.ofAuto(), bytes);
    }

    private MemorySegment map(Arena arena, long bytes) throws IOException {
        Path file = Files.createTempFile(dir, "rows", ".bin");
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        }
    }

    private static boolean compilerOnPath() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("cc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
