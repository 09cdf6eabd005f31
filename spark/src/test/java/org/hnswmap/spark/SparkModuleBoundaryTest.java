package org.hnswmap.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Spark module is a user of the engine like any other: it imports only the engine's exported
 * packages (the module path would refuse anything else; Spark runs it on the class path, where
 * nothing would).
 */
class SparkModuleBoundaryTest {
    private static final Set<String> EXPORTED =
            Set.of(
                    "org.hnswmap.index",
                    "org.hnswmap.error",
                    "org.hnswmap.tools",
                    "org.hnswmap.spark");
    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?(org\\.hnswmap\\.\\w+)\\.");

    @Test
    void importsOnlyTheEnginesExportedPackages() throws Exception {
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path file : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                for (String line : Files.readAllLines(file)) {
                    Matcher m = IMPORT.matcher(line);
                    if (m.find() && !EXPORTED.contains(m.group(1))) {
                        violations.add(file.getFileName() + ": " + line);
                    }
                    if (line.contains("org.hnswmap.storage.")
                            || line.contains("org.hnswmap.graph.")
                            || line.contains("org.hnswmap.distance.")) {
                        violations.add(file.getFileName() + ": " + line.trim());
                    }
                }
            }
        }
        assertTrue(files >= 10, "sources not found: " + files);
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }
}
