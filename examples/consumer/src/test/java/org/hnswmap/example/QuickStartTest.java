package org.hnswmap.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.SearchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStartTest {

    @TempDir Path dir;

    @Test
    void shouldFindTheQueriedRowFirstOnTheClassPathAndOnTheModulePath() {
        SearchResult result = QuickStart.run(dir.resolve("index"), 2_000);

        assertEquals(1_042L, result.labels()[0]);
        assertEquals(0f, result.distances()[0], 1e-5f);
        assertEquals(10, result.labels().length);

        // Each surefire execution says where it put the jars; check the engine is really there.
        boolean modulePath = System.getProperty("example.expect").equals("module-path");
        assertEquals(modulePath, HnswIndex.class.getModule().isNamed());
        if (modulePath) {
            assertEquals("org.hnswmap.engine", HnswIndex.class.getModule().getName());
            assertEquals("org.hnswmap.example", QuickStart.class.getModule().getName());
        }
        assertTrue(HnswIndex.kernelInUse().startsWith("panama"), HnswIndex.kernelInUse());
    }
}
