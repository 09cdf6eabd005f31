package org.hnswmap.bench.large;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the large-index benches share around their searching JVMs: starting one ({@code search}
 * subcommand of a bench class, in a JVM of its own so that only its memory counts), echoing its
 * lines, and choosing the operating point on the tune half of the queries: among the {@code point}
 * lines, the most QPS among those reaching the target recall, else the highest recall.
 */
final class SearchChild {
    private SearchChild() {}

    /** An operating point chosen on the tune half; {@code setting} is the bench's own knob. */
    static final class Choice {
        String setting;
        int ef;
        double recall = -1;
        double qps = -1;

        /** Starts from a fallback: used when a sweep printed no point. */
        Choice(String setting, int ef) {
            this.setting = setting;
            this.ef = ef;
        }

        /** Takes the {@code point} lines of one sweep made with {@code setting}. */
        void consider(List<String> lines, String setting, double target) {
            for (String line : lines) {
                if (!line.startsWith("point ")) {
                    continue;
                }
                String[] f = line.split(" ");
                int pointEf = Integer.parseInt(f[2]);
                double pointRecall = Double.parseDouble(f[4]);
                double pointQps = Double.parseDouble(f[6]);
                boolean better =
                        pointRecall >= target
                                ? recall < target || pointQps > qps
                                : recall < target && pointRecall > recall;
                if (better) {
                    this.setting = setting;
                    ef = pointEf;
                    recall = pointRecall;
                    qps = pointQps;
                }
            }
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%sef %d (recall %.4f, %.0f QPS)",
                    setting == null ? "" : setting + ", ",
                    ef,
                    recall,
                    qps);
        }
    }

    /** Runs {@code main search --dir dir args} in a new JVM with {@code jvmFlags}; its lines. */
    static List<String> run(Class<?> main, Path dir, List<String> jvmFlags, String... args)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--add-modules=jdk.incubator.vector");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmFlags);
        command.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        main.getName(),
                        "search",
                        "--dir",
                        dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("WARNING")) {
                    System.out.println("  " + line);
                    lines.add(line);
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the search process failed: " + lines);
        }
        return lines;
    }

    /**
     * Reads every file under {@code dirs} once, so that the "cached" phase starts with them in the
     * page cache whatever ran before (a build that wrote other files, another system's run).
     */
    static void readThrough(Path... dirs) throws IOException {
        byte[] buffer = new byte[1 << 20];
        for (Path dir : dirs) {
            try (var files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    try (InputStream in = Files.newInputStream(f)) {
                        while (in.read(buffer) >= 0) {
                            // only the page cache's copy is wanted
                        }
                    }
                }
            }
        }
    }

    static String join(int[] values) {
        return String.join(",", Arrays.stream(values).mapToObj(Integer::toString).toList());
    }
}
