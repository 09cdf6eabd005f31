package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hnswmap.error.NotAnIndexException;
import org.hnswmap.testutil.RandomVectors;
import org.hnswmap.tools.TraversalKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The warm-up before a fresh process opens its index: runs, touches nothing, cleans up. */
class WarmUpTest {

    private static final int N = 500;
    private static final int DIM = 37;

    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(
            value = TraversalKind.class,
            names = {"INT8", "INT4"})
    void shouldWarmUpLikeTheIndexWithoutTouchingItAndLeaveNoTemporaryFiles(TraversalKind traversal)
            throws Exception {
        Path indexDir = dir.resolve("idx");
        float[][] data = RandomVectors.uniform(N, DIM, 3);
        float[] query = RandomVectors.uniform(1, DIM, 4)[0];
        IndexConfig config =
                traversal
                        .configure(IndexConfig.builder(Space.COSINE, DIM))
                        .maxElements(N)
                        .m(8)
                        .build();
        SearchResult before;
        try (HnswIndex index = HnswIndex.create(indexDir, config)) {
            index.addItems(data, RandomVectors.sequentialLabels(N, 1), 1);
            index.commit();
            before = index.knnQuery(query, 10, 40);
        }
        Map<Path, String> files = sizes(indexDir);
        Set<Path> leftoversBefore = warmUpDirectories();

        WarmUp.Report report = WarmUp.likeIndex(indexDir, Duration.ofMillis(200));

        assertTrue(report.queries() >= WarmUp.ROUND_QUERIES, "at least one round of queries");
        assertTrue(report.elapsed().toMillis() >= 200, "runs until its budget has passed");
        assertTrue(report.firstRoundMicros() > 0 && report.lastRoundMicros() > 0);
        assertEquals(leftoversBefore, warmUpDirectories(), "temporary index deleted");
        assertEquals(files, sizes(indexDir), "the real index is not written");
        try (HnswIndex index = HnswIndex.open(indexDir)) {
            SearchResult after = index.knnQuery(query, 10, 40);
            assertArrayEquals(before.labels(), after.labels());
            assertArrayEquals(before.distances(), after.distances());
        }
    }

    @Test
    void shouldRunOneRoundWhenTheBudgetIsSpentByTheBuild() {
        WarmUp.Report report = WarmUp.run(Space.IP, 16, 4, false, Duration.ZERO);
        assertEquals(WarmUp.ROUND_QUERIES, report.queries());
    }

    @Test
    void shouldNameADirectoryWithoutAnIndex() {
        NotAnIndexException e =
                assertThrows(
                        NotAnIndexException.class,
                        () -> WarmUp.likeIndex(dir, Duration.ofMillis(10)));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    /** Each file's size and modification time. */
    private static Map<Path, String> sizes(Path directory) throws IOException {
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.collect(
                    Collectors.toMap(
                            p -> p, p -> p.toFile().length() + "@" + p.toFile().lastModified()));
        }
    }

    private static Set<Path> warmUpDirectories() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> paths = Files.list(tmp)) {
            return paths.filter(p -> p.getFileName().toString().startsWith(WarmUp.PREFIX))
                    .collect(Collectors.toSet());
        }
    }
}
