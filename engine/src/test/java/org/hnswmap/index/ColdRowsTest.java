package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.testutil.RandomVectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows read as cold (an index larger than memory: random-access advice, re-rank rows requested
 * together) change how the OS reads, never what a search returns.
 */
class ColdRowsTest {

    private static final String PROPERTY = "hnswmap.vectors.cold";

    @TempDir Path dir;

    @AfterEach
    void clearProperty() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void shouldAnswerTheSameWhenRowsAreCold() {
        float[][] rows = RandomVectors.clustered(3_000, 64, 20, 0.3, 5, 1);
        float[][] queries = RandomVectors.clustered(50, 64, 20, 0.3, 5, 2);
        Path at = dir.resolve("i");
        try (HnswIndex writer =
                HnswIndex.create(
                        at,
                        IndexConfig.builder(Space.COSINE, 64)
                                .maxElements(3_000)
                                .binaryTraversal(true)
                                .build())) {
            writer.addItems(rows, RandomVectors.sequentialLabels(3_000, 0), 2);
            writer.commit();
        }
        SearchResult[] warm = new SearchResult[queries.length];
        System.setProperty(PROPERTY, "false");
        try (HnswIndex reader = HnswIndex.open(at)) {
            assertFalse(reader.coldRows());
            for (int q = 0; q < queries.length; q++) {
                warm[q] = reader.knnQuery(queries[q], 10, 40);
            }
        }
        System.setProperty(PROPERTY, "true");
        try (HnswIndex reader = HnswIndex.open(at)) {
            assertTrue(reader.coldRows());
            for (int q = 0; q < queries.length; q++) {
                SearchResult cold = reader.knnQuery(queries[q], 10, 40);
                assertArrayEquals(warm[q].labels(), cold.labels(), "query " + q);
                assertArrayEquals(warm[q].distances(), cold.distances(), "query " + q);
            }
            Map<String, Long> resident = reader.residentFileBytes();
            Map<String, Long> sizes = reader.fileSizes();
            assertEquals(
                    sizes.keySet().stream().filter(n -> !n.endsWith(".meta")).toList(),
                    resident.keySet().stream().toList());
            if (System.getProperty("os.name").toLowerCase().contains("linux")) {
                // Just written and searched: the lists are in the page cache.
                assertTrue(resident.get("level0.adj") > 0, resident.toString());
                resident.forEach(
                        (name, bytes) -> assertTrue(bytes <= sizes.get(name), name + " " + bytes));
            }
        }
    }

    @Test
    void shouldRefuseAnUnknownSetting() {
        System.setProperty(PROPERTY, "sometimes");
        try (HnswIndex writer =
                HnswIndex.create(dir.resolve("i"), IndexConfig.builder(Space.L2, 4).build())) {
            throw new AssertionError("opened with " + writer);
        } catch (IllegalParameterException e) {
            assertTrue(e.getMessage().contains(PROPERTY), e.getMessage());
        }
        assertFalse(java.nio.file.Files.exists(dir.resolve("i")), "refused before creating files");
    }
}
