package org.hnswmap.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: error <- distance <- graph <- storage <- index <- tools (index also
 * uses distance directly for its exact brute-force index). Only storage touches mapped memory and
 * files; only {@code PanamaKernels} touches the Vector API.
 */
class LayerDependencyTest {

    private static final Map<String, Set<String>> ALLOWED =
            Map.of(
                    "error", Set.of(),
                    "distance", Set.of("error"),
                    "graph", Set.of(),
                    "storage", Set.of("error", "distance", "graph"),
                    "index", Set.of("error", "distance", "graph", "storage"),
                    "tools", Set.of("error", "index"));

    private static final Pattern IMPORT =
            Pattern.compile("(?m)^import (?:static )?org\\.hnswmap\\.(\\w+)\\.");
    private static final Path SOURCES = Path.of("src/main/java/org/hnswmap");

    @Test
    void shouldImportOnlyLowerLayersWhenScanningSources() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles()) {
            String layer = SOURCES.relativize(file).getName(0).toString();
            Matcher m = IMPORT.matcher(Files.readString(file));
            while (m.find()) {
                String target = m.group(1);
                if (!target.equals(layer)
                        && !ALLOWED.getOrDefault(layer, Set.of()).contains(target)) {
                    violations.add(file + " imports " + target);
                }
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    @Test
    void shouldConfineMappedMemoryAndVectorApiWhenScanningSources() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles()) {
            String text = Files.readString(file);
            String layer = SOURCES.relativize(file).getName(0).toString();
            if (text.contains("import jdk.incubator.vector")
                    && !file.endsWith("PanamaKernels.java")) {
                violations.add(file + " uses the Vector API");
            }
            boolean mapsFiles = text.contains("FileChannel") || text.contains("Arena.");
            if (mapsFiles && !layer.equals("storage")) {
                violations.add(file + " maps or opens index files outside storage");
            }
            if (text.contains("java.lang.foreign")
                    && !(layer.equals("storage") || layer.equals("distance"))) {
                violations.add(file + " touches MemorySegment outside storage and distance");
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> paths = Files.walk(SOURCES)) {
            List<Path> files = paths.filter(p -> p.toString().endsWith(".java")).toList();
            assertTrue(files.size() > 20, "sources not found under " + SOURCES.toAbsolutePath());
            return files;
        }
    }
}
