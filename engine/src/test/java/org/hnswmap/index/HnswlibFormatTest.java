package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.testutil.FileBytes;
import org.hnswmap.tools.VectorFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files written by hnswlib 0.6.2 (Debian's python3-hnswlib;
 * src/test/resources/hnswlib/make_files.py made them, with hnswlib's own answers) imported,
 * searched, exported and imported again.
 */
class HnswlibFormatTest {

    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"l2-600x16, L2, 16, 12", "cosine-400x12, COSINE, 12, 0", "ip-400x10, IP, 10, 5"})
    void shouldAnswerExactlyAsHnswlibWhenImported(String name, Space space, int dim, int deleted)
            throws Exception {
        float[][] queries = VectorFiles.readFvecs(resource(name + "-queries.fvecs"));
        List<String> answers = Files.readAllLines(resource(name + "-answers.txt"));

        try (HnswIndex index =
                HnswlibFiles.importIndex(resource(name + ".bin"), space, dim, dir.resolve("a"))) {
            assertEquals(deleted, index.getDeletedCount());
            assertTrue(index.verify().isEmpty(), index.verify().toString());
            assertMatchesHnswlib(index, queries, answers);

            Path exported = dir.resolve("exported.bin");
            HnswlibFiles.exportIndex(index, exported);
            assertEquals(Files.size(resource(name + ".bin")), Files.size(exported));
            try (HnswIndex again =
                    HnswlibFiles.importIndex(exported, space, dim, dir.resolve("b"))) {
                assertMatchesHnswlib(again, queries, answers);
                assertEquals(deleted, again.getDeletedCount());
            }
        }
    }

    private static void assertMatchesHnswlib(
            HnswIndex index, float[][] queries, List<String> answers) {
        BatchSearchResult r = index.knnQuery(queries, 10, 50, 2);
        for (int q = 0; q < queries.length; q++) {
            long[] expected =
                    java.util.Arrays.stream(answers.get(1 + 2 * q).split(" "))
                            .mapToLong(Long::parseLong)
                            .toArray();
            String[] distances = answers.get(2 + 2 * q).split(" ");
            assertArrayEquals(expected, r.labels()[q], "query " + q);
            for (int i = 0; i < distances.length; i++) {
                assertEquals(Double.parseDouble(distances[i]), r.distances()[q][i], 1e-5);
            }
        }
    }

    @Test
    void shouldRefuseMalformedFilesNamingTheField() throws Exception {
        Path good = resource("l2-600x16.bin");
        assertCorrupt(good, 15, "size_data_per_element");
        assertCorrupt(copy(good, f -> FileBytes.truncate(f, 50)), 16, "length");
        assertCorrupt(copy(good, f -> FileBytes.truncate(f, Files.size(f) - 7)), 16, "length");
        assertCorrupt(
                copy(good, f -> FileBytes.writeLong(f, 16, 1L << 40)), 16, "cur_element_count");
        assertCorrupt(
                copy(good, f -> FileBytes.writeLong(f, 8, Long.MAX_VALUE)), 16, "max_elements");
        assertCorrupt(copy(good, f -> FileBytes.writeLong(f, 64, 12)), 16, "maxM0");
        assertCorrupt(copy(good, f -> FileBytes.writeInt(f, 52, 600)), 16, "enterpoint_node");
        // the first neighbour id of element 0 points past the elements
        assertCorrupt(copy(good, f -> FileBytes.writeInt(f, 96 + 4, 5_000)), 16, "linklist id");
        assertCorrupt(copy(good, f -> FileBytes.writeInt(f, 96, 0xffff)), 16, "linklist count");
        assertCorrupt(
                copy(
                        good,
                        f ->
                                Files.write(
                                        f,
                                        new byte[] {1},
                                        java.nio.file.StandardOpenOption.APPEND)),
                16,
                "length");
    }

    @Test
    void shouldRefuseToExportSlotsReplacedByUpdates() {
        IndexConfig config = IndexConfig.builder(Space.L2, 4).maxElements(10).build();
        try (HnswIndex index = HnswIndex.create(dir.resolve("u"), config)) {
            index.addItem(new float[] {1, 2, 3, 4}, 1);
            index.addItem(new float[] {4, 3, 2, 1}, 1);
            IllegalParameterException e =
                    assertThrows(
                            IllegalParameterException.class,
                            () -> HnswlibFiles.exportIndex(index, dir.resolve("x.bin")));
            assertTrue(e.getMessage().contains("replaced by updates"), e.getMessage());
        }
    }

    private void assertCorrupt(Path file, int dim, String field) {
        CorruptIndexException e =
                assertThrows(
                        CorruptIndexException.class,
                        () ->
                                HnswlibFiles.importIndex(
                                        file, Space.L2, dim, dir.resolve("c" + System.nanoTime())));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    interface Mutation {
        void apply(Path file) throws IOException;
    }

    private Path copy(Path source, Mutation mutation) throws IOException {
        Path target = Files.createTempFile(dir, "bad", ".bin");
        Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        mutation.apply(target);
        return target;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(HnswlibFormatTest.class.getResource("/hnswlib/" + name).toURI());
    }
}
