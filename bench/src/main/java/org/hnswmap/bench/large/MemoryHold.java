package org.hnswmap.bench.large;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Memory held away from a measured process by another one ({@code memory/lockmem.c}: mlock), and
 * what the machine has left. No system setting changes: killing the holder gives the memory back.
 */
final class MemoryHold {
    private MemoryHold() {}

    /** A search phase run while the memory is held. */
    interface Phase {
        void run() throws Exception;
    }

    /** Bytes of the regular files directly in {@code dir} (an index directory). */
    static long filesBytes(Path dir) throws IOException {
        long bytes = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                bytes += Files.size(f);
            }
        }
        return bytes;
    }

    /**
     * The memory a limited phase leaves, in MiB: {@code budgetMib} when above 0, else a quarter of
     * the hnswmap index's files (for the page cache) plus {@code jvmMib} (for the searcher's own
     * memory). Every engine searched on a data set is left the same.
     */
    static long budgetMib(long indexBytes, long budgetMib, long jvmMib) {
        return budgetMib > 0 ? budgetMib : indexBytes / 4 / (1 << 20) + jvmMib;
    }

    /** Runs {@code phase} while all but {@code budgetMib} of the available memory is held. */
    static void leaving(long budgetMib, Phase phase) throws Exception {
        Process holder = start(availableMib() - budgetMib);
        try {
            phase.run();
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    static long availableMib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.trim().split("\\s+")[1]) / 1024;
            }
        }
        throw new IOException("no MemAvailable in /proc/meminfo");
    }

    /**
     * Compiles {@code memory/lockmem.c} and starts it holding {@code mib}; waits until held. It
     * asks to exempt the holder from the OOM killer ({@code oom_score_adj} -1000, a setting of that
     * process only; refused without CAP_SYS_RESOURCE, as in this project's containers), so that a
     * measured process that outgrows what is left is the one stopped; a measured process can always
     * raise its own score, as {@code memory/hnswlib_load.cpp} does.
     */
    static Process start(long mib) throws Exception {
        Path work = Files.createTempDirectory("hnswmap-lockmem-");
        Path source = work.resolve("lockmem.c");
        try (InputStream in = MemoryHold.class.getResourceAsStream("/memory/lockmem.c")) {
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path binary = work.resolve("lockmem");
        Process cc =
                new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString())
                        .inheritIO()
                        .start();
        if (cc.waitFor() != 0) {
            throw new IllegalStateException("gcc failed on lockmem.c");
        }
        Process locker = new ProcessBuilder(binary.toString(), Long.toString(mib)).start();
        Runtime.getRuntime().addShutdownHook(new Thread(locker::destroyForcibly));
        try {
            Files.writeString(
                    Path.of("/proc", Long.toString(locker.pid()), "oom_score_adj"), "-1000");
        } catch (IOException e) {
            System.out.println(
                    "  (the holder stays exposed to the OOM killer: " + e.getMessage() + ")");
        }
        BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(locker.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null) {
            throw new IllegalStateException("lockmem exited before holding " + mib + " MiB");
        }
        System.out.println("  " + line + "; MemAvailable now " + availableMib() + " MiB");
        return locker;
    }
}
