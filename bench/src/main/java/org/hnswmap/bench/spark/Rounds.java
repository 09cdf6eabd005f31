package org.hnswmap.bench.spark;

import static org.hnswmap.bench.spark.SparkShardsRun.MODEL;
import static org.hnswmap.bench.spark.SparkShardsRun.SHARDS;
import static org.hnswmap.bench.spark.SparkShardsRun.SINGLE;
import static org.hnswmap.bench.spark.SparkShardsRun.TRUTH;
import static org.hnswmap.bench.spark.SparkShardsRun.efs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.hnswmap.bench.RecallCurves;
import org.hnswmap.bench.spark.SparkShardsRun.Data;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The orchestrator of {@link SparkShardsRun}: runs each measured step in a JVM of its own (builds
 * alternating over {@code --build-rounds}, then search and first-query rounds alternating which
 * system goes first) and reports medians with min-max and QPS at equal recall.
 */
@Command(name = "run", description = "build both if missing, truth, then alternating rounds")
final class Rounds implements Callable<Integer> {
    @CommandLine.Mixin Data data;

    @Option(names = "--rounds", defaultValue = "3")
    int rounds;

    @Option(names = "--efs", defaultValue = "10,20,40,80,160")
    String efs;

    @Option(names = "--jvm-flags", defaultValue = "", description = "flags of each child JVM")
    String jvmFlags;

    @Option(
            names = "--build-rounds",
            defaultValue = "0",
            description = "rebuild both this many times, alternating (0: build what is missing)")
    int buildRounds;

    private static void append(Properties builds, String key, String seconds) {
        String old = builds.getProperty(key);
        builds.setProperty(key, old == null || old.isBlank() ? seconds : old + "," + seconds);
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String seconds(String list) {
        if (list == null) {
            return "-";
        }
        double[] v = Arrays.stream(list.split(",")).mapToDouble(Double::parseDouble).toArray();
        return range(v) + " s over " + v.length;
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(data.dir);
        Properties builds = new Properties();
        Path buildFile = data.dir.resolve("builds.properties");
        if (Files.exists(buildFile)) {
            try (Reader r = Files.newBufferedReader(buildFile)) {
                builds.load(r);
            }
        }
        // Builds alternate too; each round rebuilds both from nothing.
        for (int round = 1; round <= buildRounds; round++) {
            List<String> order =
                    round % 2 == 1 ? List.of("single", "spark") : List.of("spark", "single");
            for (String system : order) {
                if (system.equals("single")) {
                    delete(data.dir.resolve(SINGLE));
                    append(
                            builds,
                            "single",
                            value(child("-Xmx2g", "build-single"), "BUILD single"));
                } else {
                    delete(data.dir.resolve(SHARDS));
                    delete(data.dir.resolve(MODEL));
                    append(builds, "spark", value(child("-Xmx6g", "build-spark"), "BUILD spark"));
                }
            }
        }
        if (!Files.exists(data.dir.resolve(SINGLE))) {
            append(builds, "single", value(child("-Xmx2g", "build-single"), "BUILD single"));
        }
        if (!Files.exists(data.dir.resolve(MODEL))) {
            append(builds, "spark", value(child("-Xmx6g", "build-spark"), "BUILD spark"));
        }
        try (Writer w = Files.newBufferedWriter(buildFile)) {
            builds.store(w, "build seconds, every round");
        }
        if (!Files.exists(data.dir.resolve(TRUTH))) {
            child("-Xmx3g", "truth");
        }
        Map<String, List<String>> points = new LinkedHashMap<>();
        List<String> firsts = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<String[]> order =
                    round % 2 == 1
                            ? List.of(new String[] {"search-single"}, new String[] {"search-spark"})
                            : List.of(
                                    new String[] {"search-spark"}, new String[] {"search-single"});
            for (String[] cmd : order) {
                for (String line :
                        child(
                                cmd[0].equals("search-spark") ? "-Xmx4g" : "-Xmx1g",
                                cmd[0],
                                "--efs",
                                efs)) {
                    if (line.startsWith("POINT")) {
                        points.computeIfAbsent(cmd[0], k -> new ArrayList<>())
                                .add(round + " " + line);
                    }
                }
            }
            for (String system :
                    round % 2 == 1 ? List.of("single", "spark") : List.of("spark", "single")) {
                for (String line :
                        child(
                                system.equals("spark") ? "-Xmx4g" : "-Xmx1g",
                                "first-query",
                                "--system",
                                system)) {
                    if (line.startsWith("FIRST")) {
                        firsts.add(line);
                    }
                }
            }
        }
        report(builds, points, firsts);
        return 0;
    }

    private void report(Properties builds, Map<String, List<String>> points, List<String> firsts) {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "rows %d x %d, %d clusters, %d queries, %d shards, M %d, efConstruction %d%n",
                data.rows,
                data.dimension,
                data.clusters,
                data.queries,
                data.shards,
                data.m,
                data.efConstruction);
        System.out.println(
                "build seconds: single (2 threads) "
                        + builds.getProperty("single")
                        + ", spark local[2] "
                        + builds.getProperty("spark"));
        int[] efList = efs(efs);
        System.out.println(
                "ef | single recall | single 1 thread QPS | single 2 threads QPS | spark recall | spark QPS (local[2])");
        Map<Integer, double[][]> single = collect(points.get("search-single"), 3);
        Map<Integer, double[][]> spark = collect(points.get("search-spark"), 2);
        double[] sr = new double[efList.length];
        double[] s1 = new double[efList.length];
        double[] s2 = new double[efList.length];
        double[] pr = new double[efList.length];
        double[] pq = new double[efList.length];
        for (int i = 0; i < efList.length; i++) {
            int ef = efList[i];
            double[][] s = single.get(ef);
            double[][] p = spark.get(ef);
            sr[i] = median(s[0]);
            s1[i] = median(s[1]);
            s2[i] = median(s[2]);
            pr[i] = median(p[0]);
            pq[i] = median(p[1]);
            System.out.printf(
                    Locale.ROOT,
                    "%d | %.4f | %s | %s | %.4f | %s%n",
                    ef,
                    sr[i],
                    range(s[1]),
                    range(s[2]),
                    pr[i],
                    range(p[1]));
        }
        for (double target : new double[] {0.95, 0.99}) {
            System.out.printf(
                    Locale.ROOT,
                    "at recall %.2f: spark %.0f QPS, single 1 thread %.0f, 2 threads %.0f%n",
                    target,
                    RecallCurves.qpsAtRecall(pr, pq, target),
                    RecallCurves.qpsAtRecall(sr, s1, target),
                    RecallCurves.qpsAtRecall(sr, s2, target));
        }
        List<Double> firstSingle = new ArrayList<>();
        List<Double> firstSpark = new ArrayList<>();
        for (String f : firsts) {
            String[] w = f.split(" ");
            (w[1].equals("single") ? firstSingle : firstSpark).add(Double.parseDouble(w[2]));
        }
        System.out.println(
                "first query from JVM start, ms: single "
                        + range(firstSingle.stream().mapToDouble(d -> d).toArray())
                        + ", spark "
                        + range(firstSpark.stream().mapToDouble(d -> d).toArray()));
    }

    /** Per ef, the columns after the ef (recall, then the QPS columns) over rounds. */
    private static Map<Integer, double[][]> collect(List<String> lines, int columns) {
        Map<Integer, List<double[]>> byEf = new LinkedHashMap<>();
        for (String line : lines) {
            String[] w = line.split(" ");
            double[] v = new double[columns];
            for (int c = 0; c < columns; c++) {
                v[c] = Double.parseDouble(w[4 + c]);
            }
            byEf.computeIfAbsent(Integer.parseInt(w[3]), k -> new ArrayList<>()).add(v);
        }
        Map<Integer, double[][]> out = new LinkedHashMap<>();
        byEf.forEach(
                (ef, rows) -> {
                    double[][] cols = new double[columns][rows.size()];
                    for (int r = 0; r < rows.size(); r++) {
                        for (int c = 0; c < columns; c++) {
                            cols[c][r] = rows.get(r)[c];
                        }
                    }
                    out.put(ef, cols);
                });
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String range(double[] v) {
        if (v.length == 0) {
            return "-";
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.0f (%.0f-%.0f)", median(s), s[0], s[s.length - 1]);
    }

    private static String value(List<String> lines, String prefix) {
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim().split(" ")[0];
            }
        }
        throw new IllegalStateException("no '" + prefix + "' line in " + lines);
    }

    private List<String> child(String heap, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        if (!jvmFlags.isBlank()) {
            command.addAll(Arrays.asList(jvmFlags.trim().split("\\s+")));
        }
        command.add(heap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SparkShardsRun.class.getName());
        command.add(args[0]);
        command.addAll(data.args());
        command.addAll(Arrays.asList(args).subList(1, args.length));
        System.out.println("> " + String.join(" ", args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("POINT")
                        || line.startsWith("BUILD")
                        || line.startsWith("FIRST")
                        || line.startsWith("PARTS")
                        || line.startsWith("TRUTH")
                        || line.startsWith("STAGE")) {
                    System.out.println("  " + line);
                }
                lines.add(line);
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException(
                    "the child failed: "
                            + String.join(
                                    "\n",
                                    lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        return lines;
    }
}
