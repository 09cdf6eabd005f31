package org.hnswmap.storage;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the OS is told about how mapped files are read ({@code madvise}) and how much of them is in
 * memory ({@code mincore}), through FFM downcalls into the C library. Linux only; elsewhere, or
 * when the downcalls cannot be made (native access denied), every advice is a no-op and residency
 * is unknown (-1): advice changes speed, never answers.
 *
 * <p>NOTE: the downcalls are made on first use only, so a JVM that never searches an index larger
 * than memory never performs a restricted FFM call (JDK 25 warns about one unless started with
 * {@code --enable-native-access=org.hnswmap.engine}, or {@code =ALL-UNNAMED} on the class path).
 *
 * <p>Stateless and thread-safe.
 */
final class MemoryAdvice {

    private static final System.Logger LOG = System.getLogger(MemoryAdvice.class.getName());

    /** {@code MADV_RANDOM}: no read-around on a fault, only the page touched is read. */
    private static final int MADV_RANDOM = 1;

    /** {@code MADV_WILLNEED}: start reading these pages now, without waiting for them. */
    private static final int MADV_WILLNEED = 3;

    static final long PAGE = 4096;

    private MemoryAdvice() {}

    /** The downcalls, made when first needed (holder idiom). */
    private static final class Calls {
        static final MethodHandle MADVISE;
        static final MethodHandle MINCORE;

        static {
            MethodHandle madvise = null;
            MethodHandle mincore = null;
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                try {
                    Linker linker = Linker.nativeLinker();
                    madvise =
                            linker.downcallHandle(
                                    linker.defaultLookup().find("madvise").orElseThrow(),
                                    FunctionDescriptor.of(
                                            ValueLayout.JAVA_INT,
                                            ValueLayout.ADDRESS,
                                            ValueLayout.JAVA_LONG,
                                            ValueLayout.JAVA_INT));
                    mincore =
                            linker.downcallHandle(
                                    linker.defaultLookup().find("mincore").orElseThrow(),
                                    FunctionDescriptor.of(
                                            ValueLayout.JAVA_INT,
                                            ValueLayout.ADDRESS,
                                            ValueLayout.JAVA_LONG,
                                            ValueLayout.ADDRESS));
                } catch (RuntimeException e) {
                    LOG.log(
                            Level.INFO,
                            "hnswmap: no madvise/mincore ({0}); larger-than-memory reads go"
                                    + " unadvised",
                            e);
                    madvise = null;
                    mincore = null;
                }
            }
            MADVISE = madvise;
            MINCORE = mincore;
        }
    }

    /** Tells the OS the segment is read at random: a fault reads its page, not 128 KiB around. */
    static void random(MemorySegment segment) {
        advise(segment, 0, segment.byteSize(), MADV_RANDOM);
    }

    /** Asks the OS to start reading {@code [offset, offset + length)} of the segment now. */
    static void willNeed(MemorySegment segment, long offset, long length) {
        advise(segment, offset, length, MADV_WILLNEED);
    }

    private static void advise(MemorySegment segment, long offset, long length, int advice) {
        MethodHandle madvise = Calls.MADVISE;
        if (madvise == null || length <= 0) {
            return;
        }
        // madvise wants a page-aligned start; mappings start on a page.
        long start = segment.address() + offset;
        long aligned = start & -PAGE;
        try {
            int ignored =
                    (int)
                            madvise.invokeExact(
                                    MemorySegment.ofAddress(aligned),
                                    length + (start - aligned),
                                    advice);
        } catch (Throwable t) {
            // Advice only: a refusal changes speed, never answers.
        }
    }

    /**
     * Bytes of the segment in memory now ({@code mincore}), or -1 when unknown (not Linux, or no
     * native access).
     */
    static long residentBytes(MemorySegment segment) {
        MethodHandle mincore = Calls.MINCORE;
        if (mincore == null || segment.byteSize() == 0) {
            return mincore == null ? -1 : 0;
        }
        long pages = (segment.byteSize() + PAGE - 1) / PAGE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vec = arena.allocate(pages);
            int rc =
                    (int)
                            mincore.invokeExact(
                                    MemorySegment.ofAddress(segment.address()),
                                    segment.byteSize(),
                                    vec);
            if (rc != 0) {
                return -1;
            }
            long resident = 0;
            for (long p = 0; p < pages; p++) {
                resident += vec.get(ValueLayout.JAVA_BYTE, p) & 1;
            }
            return Math.min(resident * PAGE, segment.byteSize());
        } catch (Throwable t) {
            return -1;
        }
    }

    /** {@code MemAvailable} of {@code /proc/meminfo} in bytes, or -1 when unknown. */
    static long memAvailableBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
