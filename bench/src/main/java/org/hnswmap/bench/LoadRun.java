package org.hnswmap.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.IndexDirectories;
import org.hnswmap.index.SearchResult;
import org.hnswmap.index.Space;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Load run (issue 3): one writer JVM inserts, deletes, grows and commits continuously while reader
 * JVMs search the same files, refresh, and check every answer: the label's stored vector is the one
 * its label was inserted with (bit for bit), the returned distance is that vector's distance to the
 * query, distances ascend, labels are unique. At the end each reader reports queries served,
 * commits seen and its memory from {@code /proc/self/smaps}: whole process and the index mappings
 * alone, as RSS, PSS and USS (private bytes), so shared page cache shows as RSS >> PSS.
 *
 * <p>Usage: {@code LoadRun [seconds=60] [readers=4] [dir=/tmp/hnswmap-load]} ({@code --help}). Exit
 * 1 on any invalid answer. Child modes {@code writer} and {@code reader} are started by the run
 * itself.
 */
public final class LoadRun {

    static final int DIM = 128;
    private static final int INITIAL = 50_000;
    private static final int BATCH = 500;
    private static final int K = 10;
    private static final int EF = 50;

    private LoadRun() {}

    /** The run's options; the writer and reader child modes are hidden subcommands. */
    @Command(
            name = "load-run",
            mixinStandardHelpOptions = true,
            description =
                    "one writer JVM and reader JVMs on the same index files, every answer checked",
            subcommands = {WriterMode.class, ReaderMode.class})
    static final class Options implements Callable<Integer> {

        @Parameters(index = "0", defaultValue = "60", description = "seconds (${DEFAULT-VALUE})")
        int seconds;

        @Parameters(index = "1", defaultValue = "4", description = "reader JVMs (${DEFAULT-VALUE})")
        int readers;

        @Parameters(
                index = "2",
                defaultValue = "/tmp/hnswmap-load",
                description = "index directory (${DEFAULT-VALUE})")
        Path dir;

        @Override
        public Integer call() throws Exception {
            return orchestrate(dir, seconds, readers);
        }
    }

    @Command(name = "writer", hidden = true)
    static final class WriterMode implements Callable<Integer> {
        @Parameters(index = "0")
        Path dir;

        @Parameters(index = "1")
        long seconds;

        @Override
        public Integer call() throws Exception {
            runWriter(dir, seconds);
            return 0;
        }
    }

    @Command(name = "reader", hidden = true)
    static final class ReaderMode implements Callable<Integer> {
        @Parameters(index = "0")
        Path dir;

        @Parameters(index = "1")
        long seconds;

        @Parameters(index = "2")
        int id;

        @Override
        public Integer call() throws Exception {
            runReader(dir, seconds, id);
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Options()).execute(args));
    }

    /** The vector of {@code label}: the same in every process. */
    static float[] vectorOf(long label) {
        SplittableRandom r = new SplittableRandom(label * 0x9E3779B97F4A7C15L + 17);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextDouble();
        }
        return v;
    }

    private static int orchestrate(Path dir, int seconds, int readers) throws Exception {
        IndexDirectories.deleteRecursively(dir);
        System.out.printf(Locale.ROOT, "building %,d x %d in %s%n", INITIAL, DIM, dir);
        try (HnswIndex w =
                HnswIndex.create(
                        dir,
                        IndexConfig.builder(Space.L2, DIM).maxElements(INITIAL + 10_000).build())) {
            float[][] data = new float[INITIAL][];
            long[] labels = new long[INITIAL];
            for (int i = 0; i < INITIAL; i++) {
                data[i] = vectorOf(i);
                labels[i] = i;
            }
            w.addItems(data, labels, -1);
            w.commit();
        }
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        List<Process> children = new ArrayList<>();
        children.add(child("writer", dir.toString(), Long.toString(deadline)));
        for (int r = 0; r < readers; r++) {
            children.add(child("reader", dir.toString(), Long.toString(deadline), "" + r));
        }
        int failures = 0;
        for (Process p : children) {
            try (BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(System.out::println);
            }
            failures += p.waitFor() == 0 ? 0 : 1;
        }
        System.out.println(failures == 0 ? "load run: every answer valid" : "load run: FAILED");
        return failures == 0 ? 0 : 1;
    }

    private static Process child(String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command =
                new ArrayList<>(
                        List.of(
                                java,
                                "--add-modules=jdk.incubator.vector",
                                "--enable-native-access=ALL-UNNAMED",
                                "-Xmx512m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                LoadRun.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void runWriter(Path dir, long deadline) {
        long commits = 0;
        long inserted = 0;
        long deleted = 0;
        long resizes = 0;
        SplittableRandom random = new SplittableRandom(7);
        try (HnswIndex w = HnswIndex.openForWrite(dir)) {
            long next = w.size();
            while (System.currentTimeMillis() < deadline) {
                if (w.size() + BATCH > w.getMaxElements()) {
                    w.resizeIndex(w.getMaxElements() * 2);
                    resizes++;
                }
                float[][] data = new float[BATCH][];
                long[] labels = new long[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    labels[i] = next;
                    data[i] = vectorOf(next++);
                }
                w.addItems(data, labels, 1);
                inserted += BATCH;
                for (int i = 0; i < 5; i++) {
                    long victim = random.nextLong(next);
                    if (!w.isMarkedDeleted(victim)) {
                        w.markDeleted(victim);
                        deleted++;
                    }
                }
                w.commit();
                commits++;
            }
            System.out.printf(
                    Locale.ROOT,
                    "writer: %,d commits, %,d inserted, %,d deleted, %d resizes, %,d elements%n",
                    commits,
                    inserted,
                    deleted,
                    resizes,
                    w.size());
        }
    }

    private static void runReader(Path dir, long deadline, int id) throws IOException {
        SplittableRandom random = new SplittableRandom(100 + id);
        long queries = 0;
        long commitsSeen = 0;
        long invalid = 0;
        long selfHits = 0;
        String firstProblem = null;
        try (HnswIndex r = HnswIndex.open(dir)) {
            long opened = r.commitGeneration();
            while (System.currentTimeMillis() < deadline) {
                if (queries % 50 == 0 && r.refresh()) {
                    commitsSeen++;
                }
                long target = random.nextLong(Math.max(1, r.size()));
                float[] query = vectorOf(target);
                SearchResult result = r.knnQuery(query, K, EF);
                String problem = check(r, query, result);
                if (problem != null) {
                    invalid++;
                    firstProblem = firstProblem == null ? problem : firstProblem;
                }
                if (result.labels().length > 0 && result.labels()[0] == target) {
                    selfHits++;
                }
                queries++;
            }
            System.out.printf(
                    Locale.ROOT,
                    "reader %d: %,d queries, %,d invalid, self-hit %.3f, commits seen %,d"
                            + " (generation %d -> %d)%n",
                    id,
                    queries,
                    invalid,
                    selfHits / (double) Math.max(1, queries),
                    commitsSeen,
                    opened,
                    r.commitGeneration());
            System.out.println("reader " + id + " memory: " + Smaps.summary(dir));
        }
        if (firstProblem != null) {
            System.out.println("reader " + id + " first invalid answer: " + firstProblem);
            System.exit(1);
        }
    }

    /** Null when the answer is valid, else what is wrong with it. */
    private static String check(HnswIndex r, float[] query, SearchResult result) {
        long[] labels = result.labels();
        float[] distances = result.distances();
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < labels.length; i++) {
            if (!seen.add(labels[i])) {
                return "label " + labels[i] + " twice";
            }
            if (i > 0 && distances[i] < distances[i - 1]) {
                return "distances not ascending at " + i;
            }
            float[] expected = vectorOf(labels[i]);
            float[] stored = r.getItem(labels[i]);
            if (!java.util.Arrays.equals(expected, stored)) {
                return "label " + labels[i] + ": stored vector differs from the inserted one";
            }
            double d = 0;
            for (int j = 0; j < DIM; j++) {
                double diff = query[j] - expected[j];
                d += diff * diff;
            }
            if (Math.abs(d - distances[i]) > 1e-3 * Math.max(1, d)) {
                return "label " + labels[i] + ": distance " + distances[i] + " but " + d;
            }
        }
        return null;
    }
}
