package org.hnswmap.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Java and Scala examples of "On Spark" are the code the example tests run. */
class ReadmeSnippetsTest {

    @Test
    void readmeExamplesAreTheTestedSources() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertEquals(
                snippet(Path.of("src/test/java/org/hnswmap/spark/example/SparkQuickStart.java")),
                block(readme, "```java", "SparkQuickStart.java`"));
        assertEquals(
                snippet(Path.of("src/test/scala/org/hnswmap/spark/example/ScalaQuickStart.scala")),
                block(readme, "```scala", "ScalaQuickStart.scala`"));
    }

    /** The lines between the markers, each with its leading spaces removed. */
    private static String snippet(Path file) throws Exception {
        String text = Files.readString(file);
        int start = text.indexOf("// README snippet start");
        int end = text.indexOf("// README snippet end");
        assertTrue(start >= 0 && end > start, file + " has no snippet markers");
        return normalize(
                text.substring(text.indexOf('\n', start) + 1, text.lastIndexOf('\n', end)));
    }

    /** The first fenced block of {@code fence} after the paragraph naming {@code source}. */
    private static String block(String readme, String fence, String source) {
        int at = readme.indexOf(source);
        assertTrue(at >= 0, "README does not name " + source);
        int open = readme.indexOf(fence + "\n", at);
        int close = readme.indexOf("\n```", open + fence.length());
        return normalize(readme.substring(open + fence.length() + 1, close));
    }

    private static String normalize(String code) {
        StringBuilder out = new StringBuilder();
        for (String line : code.split("\n")) {
            if (!line.isBlank()) {
                out.append(line.strip()).append('\n');
            }
        }
        return out.toString();
    }
}
