package org.hnswmap.bench.compare;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.hnswmap.index.IndexDirectories;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The speed instrument: every system in a process of its own, as its users run it (hnswlib as a
 * standalone C++ program built from Debian's headers, hnswmap as a reader JVM that opened a
 * committed index, each Java peer in its own JVM), on one of four data shapes ({@link DataShape}).
 *
 * <p>Builds: each round builds every system once, in turn, in a fresh process (two threads by
 * default). Searches: one long-lived process per system; after one uncounted sweep each, each round
 * asks the systems in turn for every ef of the sweep over the same queries (the first system
 * rotating from ef to ef and round to round; {@code --interleave sweep}: each system answers the
 * whole sweep in its turn), so that the VM's drift falls on all systems alike and no two systems
 * run at once. Reported: per system and ef the median recall@10, QPS (min-max), p50 and p99
 * latency; per round and as the median, QPS ratios against the baseline at the shape's two target
 * recalls, read on each round's curves; build time, inserts per second and file size against the
 * baseline.
 *
 * <p>Queries are split in halves: {@code --split tune} measures the first, on which parameters are
 * chosen; {@code --split report} (the default) the second, on which they are reported.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = "hnswmap against hnswlib and Java peers, each system in its own process")
public final class Compare implements Callable<Integer> {

    private static final String WORKER_SOURCE = "hnswlib/hnswlib_worker.cpp";

    @Option(
            names = "--data",
            required = true,
            split = ",",
            description =
                    "fashion, uniform10k, uniform100k, clustered (comma-separated for several)")
    List<String> shapes;

    @Option(
            names = "--systems",
            split = ",",
            description =
                    "hnswmap, hnswmap-int8, hnswmap-int4, hnswmap-b1, hnswlib, lucene, jvector,"
                            + " hnswlib-java;"
                            + " a hnswmap system with +reorder appended (hnswmap-int8+reorder)"
                            + " is reordered for locality after its build, with +clustered built"
                            + " with clustered inserts, with +regionsN with N traversal regions,"
                            + " with +poolX searched with setRerankPool(X) (the same index as"
                            + " without: choose X with --split tune);"
                            + " a Java system as NAME@JAR runs from another build's benchmarks.jar"
                            + " (before/after a change) (default: ${DEFAULT-VALUE})")
    List<String> systems = List.of("hnswmap", "hnswmap-int8", "hnswmap-b1", "hnswlib");

    @Option(
            names = "--baseline",
            description = "the system ratios are taken against (${DEFAULT-VALUE})")
    String baseline = "hnswlib";

    @Option(names = "--rounds", description = "search rounds (${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(
            names = "--build-rounds",
            description = "build rounds; 0 reuses the indexes of an earlier run (${DEFAULT-VALUE})")
    int buildRounds = 3;

    @Option(names = "--build-threads", description = "${DEFAULT-VALUE}")
    int buildThreads = 2;

    @Option(names = "--efs", split = ",", description = "ef sweep (default: the shape's own)")
    int[] efs;

    @Option(
            names = "--split",
            description = "tune (first half of the queries) or report (${DEFAULT-VALUE})")
    String split = "report";

    @Option(names = "--queries", description = "at most this many queries of the split")
    int queryLimit = Integer.MAX_VALUE;

    @Option(names = "--m", description = "${DEFAULT-VALUE}")
    int m = 16;

    @Option(names = "--ef-construction", description = "${DEFAULT-VALUE}")
    int efConstruction = 200;

    @Option(names = "-k", description = "${DEFAULT-VALUE}")
    int k = 10;

    @Option(names = "--work", description = "data, indexes and logs (${DEFAULT-VALUE})")
    Path work = Path.of("bench/work");

    @Option(names = "--out", description = "CSV and Markdown results (${DEFAULT-VALUE})")
    Path out = Path.of("bench/out");

    @Option(
            names = "--interleave",
            description =
                    "ef: in each round the systems take turns at every ef of the sweep (the order"
                            + " rotating from ef to ef); sweep: each system answers the whole"
                            + " sweep in its turn (${DEFAULT-VALUE})")
    String interleave = "ef";

    @Option(names = "--worker-heap", description = "-Xmx of each Java worker (${DEFAULT-VALUE})")
    String workerHeap = "6g";

    public static void main(String[] args) {
        System.exit(new CommandLine(new Compare()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!split.equals("tune") && !split.equals("report")) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--split is tune or report, not " + split);
        }
        if (!interleave.equals("ef") && !interleave.equals("sweep")) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--interleave is ef or sweep, not " + interleave);
        }
        if (!systems.contains(baseline)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "the baseline " + baseline + " is not among --systems");
        }
        Files.createDirectories(work);
        Files.createDirectories(out);
        for (String id : shapes) {
            run(DataShape.parse(id));
        }
        return 0;
    }

    private void run(DataShape shape) throws Exception {
        DataShape.ShapeFiles files = shape.prepare(work);
        int dim = dimensionOf(files.queries());
        int total = (int) (Files.size(files.queries()) / (4L * (dim + 1)));
        int half = total / 2;
        int first = split.equals("tune") ? 0 : half;
        int count = Math.min(queryLimit, split.equals("tune") ? half : total - half);
        int[] sweep = efs != null ? efs : shape.defaultEfs();
        Path shapeDir = work.resolve(shape.id());
        Path logs = Files.createDirectories(shapeDir.resolve("logs"));
        System.out.printf(
                "== %s (%s), %s split: queries %d..%d; systems %s; %d build and %d search rounds%n",
                shape.id(),
                shape.space(),
                split,
                first,
                first + count - 1,
                systems,
                buildRounds,
                rounds);

        Map<String, double[]> buildSeconds = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (int r = 0; r < buildRounds; r++) {
            for (String system : Turns.rotated(systems, r)) {
                Path index = indexPath(shapeDir, system);
                IndexDirectories.deleteRecursively(index);
                Files.createDirectories(index.getParent());
                List<String> lines =
                        WorkerProcess.runToEnd(
                                system,
                                buildCommand(system, files, shape, index),
                                logs.resolve(fileName(system) + "-build.log"));
                double seconds = Double.parseDouble(valueOf(lines, "build_seconds"));
                buildSeconds.computeIfAbsent(system, s -> new double[buildRounds])[r] = seconds;
                bytes.put(system, Long.parseLong(valueOf(lines, "bytes")));
                System.out.printf(
                        Locale.ROOT, "build round %d %-13s %7.2f s%n", r + 1, system, seconds);
            }
        }

        Map<String, List<Curve>> curves = new LinkedHashMap<>();
        List<WorkerProcess> workers = new ArrayList<>();
        try {
            for (String system : systems) {
                Path index = indexPath(shapeDir, system);
                // hnswmap and hnswlib serve the index a build round saved; the Java peers build
                // theirs again in the serving process (their indexes live in its heap)
                boolean servesSaved = system.startsWith("hnswmap") || system.equals("hnswlib");
                if (servesSaved && !Files.exists(index)) {
                    throw new IOException(
                            system
                                    + " has no index at "
                                    + index
                                    + ": run with --build-rounds 1 or more");
                }
                WorkerProcess worker =
                        WorkerProcess.start(
                                system,
                                serveCommand(system, files, shape, index, first, count),
                                logs.resolve(fileName(system) + "-serve.log"));
                workers.add(worker);
                worker.expect("ready");
                curves.put(system, new ArrayList<>());
            }
            // One uncounted sweep each first: the JIT compiles the search path of every ef, the
            // page cache and the CPU caches hold what a steady-state server holds.
            for (int i = 0; i < workers.size(); i++) {
                workers.get(i).ask(new Turns.Turn(systems.get(i), sweep).command());
            }
            for (int r = 0; r < rounds; r++) {
                Map<String, List<Curve.Point>> round = new LinkedHashMap<>();
                for (Turns.Turn turn :
                        Turns.ofSearchRound(systems, sweep, r, interleave.equals("ef"))) {
                    WorkerProcess worker = workers.get(systems.indexOf(turn.system()));
                    for (String line : worker.ask(turn.command())) {
                        round.computeIfAbsent(turn.system(), s -> new ArrayList<>())
                                .add(Curve.Point.parse(line));
                    }
                }
                for (String system : systems) {
                    List<Curve.Point> points = round.get(system);
                    curves.get(system).add(new Curve(points));
                    System.out.printf(
                            Locale.ROOT,
                            "search round %d %-13s %s%n",
                            r + 1,
                            system,
                            points.stream()
                                    .map(
                                            p ->
                                                    String.format(
                                                            Locale.ROOT,
                                                            "ef %d %.4f %.0f",
                                                            p.ef(),
                                                            p.recall(),
                                                            p.qps()))
                                    .collect(Collectors.joining(" | ")));
                }
            }
        } finally {
            for (WorkerProcess worker : workers) {
                worker.close();
            }
        }
        CompareReport report =
                new CompareReport(
                        shape,
                        split,
                        first,
                        count,
                        baseline,
                        m,
                        efConstruction,
                        buildThreads,
                        buildSeconds,
                        bytes,
                        curves,
                        sweep);
        String text = report.markdown(LocalDate.now());
        System.out.println(text);
        String stem = "compare-" + shape.id() + "-" + split;
        Files.writeString(out.resolve(stem + ".md"), text, StandardCharsets.UTF_8);
        Files.write(out.resolve(stem + ".csv"), report.csvRows(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.resolve(stem + ".md") + " and .csv");
    }

    private static int dimensionOf(Path fvecs) throws IOException {
        try (InputStream in = Files.newInputStream(fvecs)) {
            byte[] head = in.readNBytes(4);
            return (head[0] & 0xff)
                    | (head[1] & 0xff) << 8
                    | (head[2] & 0xff) << 16
                    | (head[3] & 0xff) << 24;
        }
    }

    private static Path indexPath(Path shapeDir, String system) {
        return shapeDir.resolve("index")
                .resolve(
                        system.equals("hnswlib")
                                ? "hnswlib.bin"
                                : fileName(CompareWorker.withoutPool(system)));
    }

    /** {@code system} as a file name ({@code NAME@JAR} holds a path). */
    private static String fileName(String system) {
        return system.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The engine a worker runs: {@code NAME} of {@code NAME@JAR}. */
    private static String engine(String system) {
        int at = system.indexOf('@');
        return at < 0 ? system : system.substring(0, at);
    }

    private static String valueOf(List<String> lines, String key) throws IOException {
        for (String line : lines) {
            if (line.startsWith(key + " ")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        throw new IOException("no \"" + key + "\" line in " + lines);
    }

    private List<String> buildCommand(
            String system, DataShape.ShapeFiles files, DataShape shape, Path index)
            throws IOException, InterruptedException {
        List<String> args =
                List.of(
                        "build",
                        files.base().toString(),
                        spaceName(shape),
                        Integer.toString(m),
                        Integer.toString(efConstruction),
                        Integer.toString(buildThreads),
                        index.toString());
        if (system.equals("hnswlib")) {
            List<String> command = new ArrayList<>(List.of(hnswlibWorker().toString()));
            command.addAll(args);
            return command;
        }
        List<String> command = javaWorker(system);
        command.add("build");
        command.add(engine(system));
        command.addAll(args.subList(1, args.size()));
        return command;
    }

    private List<String> serveCommand(
            String system,
            DataShape.ShapeFiles files,
            DataShape shape,
            Path index,
            int first,
            int count)
            throws IOException, InterruptedException {
        List<String> tail =
                List.of(
                        files.queries().toString(),
                        files.groundTruth().toString(),
                        Integer.toString(k),
                        Integer.toString(first),
                        Integer.toString(count));
        List<String> command;
        if (system.equals("hnswlib")) {
            command =
                    new ArrayList<>(
                            List.of(
                                    hnswlibWorker().toString(),
                                    "serve",
                                    index.toString(),
                                    spaceName(shape)));
        } else {
            command = javaWorker(system);
            command.addAll(
                    List.of(
                            "serve",
                            engine(system),
                            index.toString(),
                            files.base().toString(),
                            spaceName(shape)));
        }
        command.addAll(tail);
        return command;
    }

    private static String spaceName(DataShape shape) {
        return shape.space().name().toLowerCase(Locale.ROOT);
    }

    /**
     * This JVM's java with the flags hnswmap's users give it (SIMD kernels, native access), on this
     * JVM's class path or, for {@code NAME@JAR}, on that jar.
     */
    private List<String> javaWorker(String system) {
        String java = ProcessHandle.current().info().command().orElse("java");
        int at = system.indexOf('@');
        String classPath =
                at < 0 ? System.getProperty("java.class.path") : system.substring(at + 1);
        return new ArrayList<>(
                List.of(
                        java,
                        "--add-modules=jdk.incubator.vector",
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xmx" + workerHeap,
                        "-cp",
                        classPath,
                        CompareWorker.class.getName()));
    }

    /**
     * The C++ worker, compiled from the jar's source into {@code work/bin} when missing or when the
     * source changed ({@code g++ -O3 -march=native -DNDEBUG}, as hnswlib's users build it).
     */
    private Path hnswlibWorker() throws IOException, InterruptedException {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path source = bin.resolve("hnswlib_worker.cpp");
        Path binary = bin.resolve("hnswlib_worker");
        byte[] wanted;
        try (InputStream in = Compare.class.getResourceAsStream("/" + WORKER_SOURCE)) {
            if (in == null) {
                throw new IOException(
                        "the resource " + WORKER_SOURCE + " is missing from the class path");
            }
            wanted = in.readAllBytes();
        }
        if (Files.exists(binary)
                && Files.exists(source)
                && Arrays.equals(Files.readAllBytes(source), wanted)) {
            return binary;
        }
        Files.write(
                source, wanted, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        if (!Files.exists(Path.of("/usr/include/hnswlib/hnswlib.h"))) {
            throw new IOException(
                    "hnswlib's headers are missing: apt-get install g++ libhnswlib-dev");
        }
        Process gcc =
                new ProcessBuilder(
                                "g++",
                                "-O3",
                                "-march=native",
                                "-DNDEBUG",
                                "-std=c++17",
                                "-pthread",
                                "-o",
                                binary.toString(),
                                source.toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (gcc.waitFor() != 0) {
            Files.deleteIfExists(source);
            throw new IOException("g++ failed on " + source + ":\n" + output);
        }
        return binary;
    }
}
