package org.hnswmap.storage;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;

/**
 * Prefetch instructions for mapped rows and records, through FFM critical downcalls into the
 * engine's one native library ({@code engine/src/main/c/hnswmap_prefetch.c}). Java has no prefetch
 * instruction: the pure-Java way ({@link PrefetchingScorer}'s touch pass) loads one int of each
 * line, and such a load holds its place in the CPU's reorder window until the line arrives, where a
 * prefetch retires at once and lets the scoring that follows run under the misses
 * (bench/RESULTS.md, stop 38, measures it).
 *
 * <p>The library is built by the engine's Maven build where a C compiler is present (Linux; the
 * platform of the build) and travels inside the jar; it is copied to a temporary file, loaded and
 * the file deleted on first use. Where it is missing, cannot be loaded (another platform, a {@code
 * noexec} temporary directory, native access denied), or {@code -Dhnswmap.prefetch=touch} asks for
 * it, {@link #available()} is false and callers touch lines instead: a prefetch is a hint, so
 * answers are the same either way.
 *
 * <p>NOTE: the base address is passed as a plain integer, not as a segment: a prefetch never
 * faults, so a mapping closed or remapped meanwhile is harmless, and the call skips the segment's
 * liveness check. The ids are read from the heap array in place (a critical downcall with heap
 * access), after {@link #rows} checked their count against its length.
 *
 * <p>Stateless and thread-safe.
 */
final class NativePrefetch {

    /**
     * System property: {@code touch} keeps the pure-Java touch pass even where the library loads.
     */
    static final String PROPERTY = "hnswmap.prefetch";

    private static final System.Logger LOG = System.getLogger(NativePrefetch.class.getName());

    private static final String LIBRARY = "libhnswmap-prefetch.so";

    private NativePrefetch() {}

    /** The downcalls, made when first needed (holder idiom), or null when unavailable. */
    private static final class Calls {
        static final MethodHandle ROWS;
        static final MethodHandle RANGE;

        static {
            MethodHandle[] handles = load();
            ROWS = handles == null ? null : handles[0];
            RANGE = handles == null ? null : handles[1];
        }
    }

    /**
     * The resource of this platform's library, relative to this class, or null when none is built.
     */
    static String resourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return null;
        }
        return "native/linux-" + System.getProperty("os.arch", "unknown") + "/" + LIBRARY;
    }

    private static MethodHandle[] load() {
        if ("touch".equals(System.getProperty(PROPERTY))) {
            return null;
        }
        String resource = resourceName();
        if (resource == null) {
            return null;
        }
        try (InputStream in = NativePrefetch.class.getResourceAsStream(resource)) {
            if (in == null) {
                LOG.log(
                        Level.DEBUG,
                        "hnswmap: no prefetch library for this platform ({0}); touching lines"
                                + " instead",
                        resource);
                return null;
            }
            Path file = Files.createTempFile("hnswmap-prefetch-", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                SymbolLookup library = SymbolLookup.libraryLookup(file, Arena.global());
                Linker linker = Linker.nativeLinker();
                Linker.Option critical = Linker.Option.critical(true);
                MethodHandle rows =
                        linker.downcallHandle(
                                library.find("hnswmap_prefetch_rows").orElseThrow(),
                                FunctionDescriptor.ofVoid(
                                        ValueLayout.JAVA_LONG,
                                        ValueLayout.ADDRESS,
                                        ValueLayout.JAVA_INT,
                                        ValueLayout.JAVA_LONG,
                                        ValueLayout.JAVA_LONG,
                                        ValueLayout.JAVA_INT),
                                critical);
                MethodHandle range =
                        linker.downcallHandle(
                                library.find("hnswmap_prefetch_range").orElseThrow(),
                                FunctionDescriptor.ofVoid(
                                        ValueLayout.JAVA_LONG,
                                        ValueLayout.JAVA_LONG,
                                        ValueLayout.JAVA_LONG),
                                critical);
                return new MethodHandle[] {rows, range};
            } finally {
                // loaded (or not): the mapping outlives the file, and nothing is left behind
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    Level.INFO,
                    "hnswmap: prefetch library not loaded ({0}); touching lines instead",
                    e.toString());
            return null;
        }
    }

    /** Whether the prefetch downcalls are in use. */
    static boolean available() {
        return Calls.ROWS != null;
    }

    /**
     * Prefetches, for each of {@code ids[0 .. count)}, {@code lines} cache lines from the start of
     * its row at {@code firstRowOffset + id * stride} in {@code rows}, and the row's last byte.
     * Only when {@link #available()}.
     */
    static void rows(
            MemorySegment rows, long firstRowOffset, long stride, int[] ids, int count, int lines) {
        Objects.checkFromIndexSize(0, count, ids.length);
        try {
            Calls.ROWS.invokeExact(
                    rows.address(),
                    MemorySegment.ofArray(ids),
                    count,
                    stride,
                    firstRowOffset,
                    lines);
        } catch (Throwable t) {
            throw new IllegalStateException("hnswmap: prefetch downcall failed", t);
        }
    }

    /**
     * Prefetches the cache lines of {@code [offset, offset + length)} of {@code segment}. Only when
     * {@link #available()}.
     */
    static void range(MemorySegment segment, long offset, long length) {
        try {
            Calls.RANGE.invokeExact(segment.address(), offset, length);
        } catch (Throwable t) {
            throw new IllegalStateException("hnswmap: prefetch downcall failed", t);
        }
    }
}
