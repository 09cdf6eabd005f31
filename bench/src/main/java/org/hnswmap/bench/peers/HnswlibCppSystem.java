package org.hnswmap.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * hnswlib itself (C++, Debian's {@code libhnswlib-dev} 0.6.2 headers), compiled on first use with
 * {@code g++ -O3 -march=native} from the {@code hnswlib/hnswlib_ffm.cpp} resource and called
 * through the FFM API from the runner's JVM, so it meets the same machine conditions as the Java
 * systems under the interleaved protocol. One downcall per query (tens of nanoseconds against tens
 * of microseconds per query). Labels are row numbers; the size is that of {@code saveIndex}.
 *
 * <p>Needs {@code g++} and {@code libhnswlib-dev} ({@code apt-get install g++ libhnswlib-dev}). Not
 * thread-safe, like every {@link AnnSystem}.
 */
final class HnswlibCppSystem implements AnnSystem {

    private static final String SOURCE = "hnswlib/hnswlib_ffm.cpp";
    private static final Linker LINKER = Linker.nativeLinker();

    private final Arena arena = Arena.ofShared();
    private final MethodHandle create;
    private final MethodHandle add;
    private final MethodHandle setEf;
    private final MethodHandle search;
    private final MethodHandle save;
    private final MethodHandle free;
    private MemorySegment handle = MemorySegment.NULL;
    private MemorySegment query;
    private MemorySegment labels;
    private int currentEf = -1;
    private long savedBytes = -1;

    HnswlibCppSystem() {
        SymbolLookup lib = SymbolLookup.libraryLookup(compileLibrary(), arena);
        ValueLayout ptr = ValueLayout.ADDRESS;
        ValueLayout i32 = ValueLayout.JAVA_INT;
        ValueLayout i64 = ValueLayout.JAVA_LONG;
        create = downcall(lib, "hm_create", FunctionDescriptor.of(ptr, i32, i64, i32, i32, i64));
        add = downcall(lib, "hm_add", FunctionDescriptor.of(i32, ptr, ptr, i64, i32));
        setEf = downcall(lib, "hm_set_ef", FunctionDescriptor.ofVoid(ptr, i64));
        search = downcall(lib, "hm_search", FunctionDescriptor.of(i32, ptr, ptr, i32, ptr));
        save = downcall(lib, "hm_save", FunctionDescriptor.of(i32, ptr, ptr));
        free = downcall(lib, "hm_free", FunctionDescriptor.ofVoid(ptr));
    }

    private static MethodHandle downcall(SymbolLookup lib, String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(lib.findOrThrow(name), fd);
    }

    /** Compiles the wrapper into a temporary folder; a missing compiler or header is named. */
    private static Path compileLibrary() {
        try {
            Path dir = Files.createTempDirectory("hnswlib-ffm-");
            Path source = dir.resolve("hnswlib_ffm.cpp");
            try (InputStream in = HnswlibCppSystem.class.getResourceAsStream("/" + SOURCE)) {
                Files.copy(in, source);
            }
            Path library = dir.resolve("libhnswlib_ffm.so");
            List<String> command =
                    List.of(
                            "g++",
                            "-O3",
                            "-march=native",
                            "-std=c++17",
                            "-shared",
                            "-fPIC",
                            "-pthread",
                            "-o",
                            library.toString(),
                            source.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(
                        "hnswlib wrapper did not compile (apt-get install g++ libhnswlib-dev):\n"
                                + log);
            }
            return library;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot compile the hnswlib wrapper (apt-get install g++ libhnswlib-dev): " + e,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling the hnswlib wrapper", e);
        }
    }

    @Override
    public String name() {
        return "hnswlib";
    }

    @Override
    public int[] buildThreads(int[] requested) {
        return requested;
    }

    @Override
    public double build(float[][] base, int threads, Path dir) throws Exception {
        release();
        int dim = base[0].length;
        query = arena.allocate((long) dim * Float.BYTES, 64);
        double seconds;
        try (Arena rowsArena = Arena.ofConfined()) {
            MemorySegment rows = rowsArena.allocate((long) base.length * dim * Float.BYTES, 64);
            for (int i = 0; i < base.length; i++) {
                MemorySegment.copy(
                        base[i],
                        0,
                        rows,
                        ValueLayout.JAVA_FLOAT,
                        (long) i * dim * Float.BYTES,
                        dim);
            }
            long start = System.nanoTime();
            handle = (MemorySegment) invoke(create, dim, (long) base.length, 16, 200, 100L);
            if (handle.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("hnswlib: out of memory creating the index");
            }
            if ((int) invoke(add, handle, rows, (long) base.length, threads) != 0) {
                throw new IllegalStateException("hnswlib: addPoint threw");
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }
        currentEf = -1;
        Files.createDirectories(dir);
        Path file = dir.resolve("hnswlib.bin");
        if ((int) invoke(save, handle, arena.allocateFrom(file.toString())) != 0) {
            throw new IllegalStateException("hnswlib: saveIndex to " + file + " threw");
        }
        savedBytes = Files.size(file);
        Files.delete(file);
        return seconds;
    }

    @Override
    public long[] search(float[] vector, int k, int ef) throws Exception {
        int beam = Math.max(ef, k);
        if (beam != currentEf) {
            invoke(setEf, handle, (long) beam);
            currentEf = beam;
        }
        if (labels == null || labels.byteSize() < (long) k * Long.BYTES) {
            labels = arena.allocate((long) k * Long.BYTES, 8);
        }
        MemorySegment.copy(vector, 0, query, ValueLayout.JAVA_FLOAT, 0, vector.length);
        int found;
        try {
            found = (int) search.invokeExact(handle, query, k, labels); // the hot path: exact
        } catch (Throwable t) {
            throw asException(t);
        }
        return labels.asSlice(0, (long) found * Long.BYTES).toArray(ValueLayout.JAVA_LONG);
    }

    @Override
    public long indexBytes() {
        return savedBytes;
    }

    private void release() throws Exception {
        if (!handle.equals(MemorySegment.NULL)) {
            invoke(free, handle);
            handle = MemorySegment.NULL;
        }
    }

    @Override
    public void close() throws Exception {
        release();
    }

    private static Object invoke(MethodHandle function, Object... args) throws Exception {
        try {
            return function.invokeWithArguments(args);
        } catch (Throwable t) {
            throw asException(t);
        }
    }

    private static Exception asException(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return t instanceof Exception e ? e : new IllegalStateException(t);
    }
}
