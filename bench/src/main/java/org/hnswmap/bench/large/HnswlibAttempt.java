package org.hnswmap.bench.large;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.HnswlibFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * hnswlib on the larger-than-memory index (issue 21's peer "what happens when it tries"): the index
 * of a {@link LargeIndexRun} directory exported to hnswlib's file format, then loaded by hnswlib's
 * own C++ ({@code memory/hnswlib_load.cpp}) as its users load it, once with all the memory and once
 * with the memory held away exactly as {@code LargeIndexRun run} holds it for hnswmap's searches.
 * Reports what the loader printed, how it ended, its peak resident set and the wall time.
 */
@Command(
        name = "hnswlib-attempt",
        mixinStandardHelpOptions = true,
        description = "hnswlib loading the large index, with all memory and with it held away")
public final class HnswlibAttempt implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "a LargeIndexRun directory")
    Path dir;

    @Option(names = "--jvm-mib", defaultValue = "1024", description = "as LargeIndexRun run's")
    long jvmMib;

    @Option(names = "--skip-cached", defaultValue = "false")
    boolean skipCached;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HnswlibAttempt()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LargeIndexRun.Dataset data = LargeIndexRun.Dataset.read(dir);
        Path file = dir.resolve("hnswlib.bin");
        long indexBytes = MemoryHold.filesBytes(dir.resolve("index"));
        if (!Files.exists(file)) {
            long t0 = System.nanoTime();
            try (HnswIndex index = HnswIndex.open(dir.resolve("index"))) {
                HnswlibFiles.exportIndex(index, file);
            }
            System.out.printf(
                    Locale.ROOT,
                    "exported to %s in %.0f s%n",
                    file,
                    (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(
                Locale.ROOT,
                "hnswlib file %.2f GiB (hnswmap's files %.2f GiB)%n",
                Files.size(file) / (double) (1L << 30),
                indexBytes / (double) (1L << 30));
        Path query = dir.resolve("query0.f32");
        float[] q = data.generator().query(0);
        ByteBuffer b = ByteBuffer.allocate(q.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(q);
        Files.write(query, b.array());
        Path loader = compile();
        if (!skipCached) {
            System.out.println("== all memory");
            attempt(loader, file, data.dimension(), query);
        }
        long budget = MemoryHold.budgetMib(indexBytes, 0, jvmMib);
        System.out.println(
                "== memory held away as for hnswmap's searches: " + budget + " MiB left");
        MemoryHold.leaving(budget, () -> attempt(loader, file, data.dimension(), query));
        return 0;
    }

    private static Path compile() throws Exception {
        Path work = Files.createTempDirectory("hnswmap-hnswlib-");
        Path source = work.resolve("hnswlib_load.cpp");
        try (InputStream in =
                HnswlibAttempt.class.getResourceAsStream("/memory/hnswlib_load.cpp")) {
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path binary = work.resolve("hnswlib_load");
        Process cc =
                new ProcessBuilder(
                                "g++",
                                "-O3",
                                "-march=native",
                                "-DNDEBUG",
                                "-o",
                                binary.toString(),
                                source.toString())
                        .inheritIO()
                        .start();
        if (cc.waitFor() != 0) {
            throw new IllegalStateException("g++ failed (apt-get install g++ libhnswlib-dev)");
        }
        return binary;
    }

    /** Runs the loader, polling its peak resident set until it ends. */
    private static void attempt(Path loader, Path file, int dimension, Path query)
            throws Exception {
        long t0 = System.nanoTime();
        Process p =
                new ProcessBuilder(
                                loader.toString(),
                                file.toString(),
                                Integer.toString(dimension),
                                query.toString())
                        .redirectErrorStream(true)
                        .start();
        AtomicLong peakKib = new AtomicLong();
        Thread poll =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    Path status =
                                            Path.of("/proc", Long.toString(p.pid()), "status");
                                    while (p.isAlive()) {
                                        try {
                                            for (String line : Files.readAllLines(status)) {
                                                if (line.startsWith("VmHWM:")) {
                                                    peakKib.set(
                                                            Long.parseLong(line.split("\\s+")[1]));
                                                }
                                            }
                                            Thread.sleep(100);
                                        } catch (Exception e) {
                                            return;
                                        }
                                    }
                                });
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.printf(
                        Locale.ROOT, "  [%.1f s] %s%n", (System.nanoTime() - t0) / 1e9, line);
            }
        }
        int exit = p.waitFor();
        poll.join();
        String how =
                exit == 0
                        ? "exit 0"
                        : exit == 137 || exit == 128 + 9
                                ? "killed by SIGKILL (the OOM killer: no swap, the memory is held)"
                                : "exit " + exit;
        System.out.printf(
                Locale.ROOT,
                "  ended after %.1f s: %s; peak resident set seen %.2f GiB%n",
                (System.nanoTime() - t0) / 1e9,
                how,
                peakKib.get() / (double) (1 << 20));
    }
}
