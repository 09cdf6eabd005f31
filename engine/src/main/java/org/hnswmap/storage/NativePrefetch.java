package org.hnswmap.storage;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
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
        static final Loaded LOADED = load();
        static final MethodHandle ROWS = LOADED.rows();
        static final MethodHandle RANGE = LOADED.range();

        static {
            String status = LOADED.status();
            if (status.startsWith(CANNOT_LOAD) || status.startsWith(BROKEN)) {
                LOG.log(
                        Level.INFO,
                        "hnswmap: prefetch library {0}; touching lines instead",
                        status);
            }
        }
    }

    /** What {@link #load} found: both downcalls, or neither, and why ({@link #status()}). */
    private record Loaded(MethodHandle rows, MethodHandle range, String status) {
        static Loaded without(String status) {
            return new Loaded(null, null, status);
        }
    }

    /** {@link #status()} of a library that is shipped but that this machine would not load. */
    static final String CANNOT_LOAD = "cannot load";

    /**
     * {@link #status()} of a library that loaded but lacks what the engine calls: a build fault.
     */
    static final String BROKEN = "broken";

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

    /** Loads the library and makes its downcalls, or says why not. */
    private static Loaded load() {
        if ("touch".equals(System.getProperty(PROPERTY))) {
            return Loaded.without("not used (-D" + PROPERTY + "=touch)");
        }
        String resource = resourceName();
        if (resource == null) {
            return Loaded.without("not built for this platform");
        }
        SymbolLookup library;
        try (InputStream in = NativePrefetch.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Loaded.without("not built for this platform (" + resource + ")");
            }
            Path file = Files.createTempFile("hnswmap-prefetch-", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                library = SymbolLookup.libraryLookup(file, Arena.global());
            } finally {
                // loaded (or not): the mapping outlives the file, and nothing is left behind
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            // no temporary file, a noexec temporary directory, native access denied: this
            // machine's choice, not a fault of the library
            return Loaded.without(CANNOT_LOAD + " (" + e + ")");
        }
        try {
            return new Loaded(
                    downcall(
                            library,
                            "hnswmap_prefetch_rows",
                            ValueLayout.JAVA_LONG, // base address
                            ValueLayout.ADDRESS, // ids (a heap array)
                            ValueLayout.JAVA_INT, // count
                            ValueLayout.JAVA_LONG, // stride
                            ValueLayout.JAVA_LONG, // first row's offset
                            ValueLayout.JAVA_INT), // lines
                    downcall(
                            library,
                            "hnswmap_prefetch_range",
                            ValueLayout.JAVA_LONG, // base address
                            ValueLayout.JAVA_LONG, // offset
                            ValueLayout.JAVA_LONG), // length
                    "loaded");
        } catch (RuntimeException e) {
            return Loaded.without(BROKEN + " (" + e + ")");
        }
    }

    /** A critical downcall (heap arrays allowed) to the library's void function {@code name}. */
    private static MethodHandle downcall(
            SymbolLookup library, String name, MemoryLayout... arguments) {
        return Linker.nativeLinker()
                .downcallHandle(
                        library.find(name).orElseThrow(),
                        FunctionDescriptor.ofVoid(arguments),
                        Linker.Option.critical(true));
    }

    /**
     * Why the prefetch library is or is not in use: {@code "loaded"}, not used by request, not
     * built for this platform, {@link #CANNOT_LOAD} here, or {@link #BROKEN}.
     */
    static String status() {
        return Calls.LOADED.status();
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
