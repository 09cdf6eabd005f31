package org.hnswmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.storage.BinaryVectorsDescriptor;
import org.hnswmap.storage.FileHeaderDescriptor;
import org.hnswmap.storage.IndexFileNames;
import org.hnswmap.storage.Int4VectorsDescriptor;
import org.hnswmap.storage.MetaHeaderDescriptor;
import org.hnswmap.storage.QuantizedVectorsDescriptor;
import org.hnswmap.storage.TraversalRegionsDescriptor;
import org.hnswmap.testutil.BruteForce;
import org.hnswmap.testutil.FileBytes;
import org.hnswmap.testutil.RandomVectors;
import org.hnswmap.testutil.SearchChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Traversal codes, int8 ({@code vectors.i8}), 4-bit ({@code vectors.i4}) and one-bit ({@code
 * vectors.b1}): the graph is walked on the codes and results are re-ranked in float32, so returned
 * distances are exact and recall stays close to the float32 index's; the codes follow every write
 * (insert, update, replace-deleted, resize), survive reopening, and are verified.
 */
class TraversalCodesTest {

    private static final int DIM = 128;
    private static final int N = 3_000;

    @TempDir Path dir;

    /**
     * A kind of traversal codes, with how much recall at ef 40 it may give up; the two with regions
     * encode residuals to {@link #REGIONS} centroids (storage-format.md, section 5e).
     */
    enum Kind {
        INT8(IndexFileNames.QUANTIZED, 0.03, 0),
        INT4(IndexFileNames.INT4, 0.05, 0),
        BINARY(IndexFileNames.BINARY, 0.05, 0),
        INT8_REGIONS(IndexFileNames.QUANTIZED, 0.03, REGIONS),
        INT4_REGIONS(IndexFileNames.INT4, 0.05, REGIONS);

        final String fileName;
        final double recallAllowance;
        final int regions;

        Kind(String fileName, double recallAllowance, int regions) {
            this.fileName = fileName;
            this.recallAllowance = recallAllowance;
            this.regions = regions;
        }

        boolean int8() {
            return this == INT8 || this == INT8_REGIONS;
        }

        boolean int4() {
            return this == INT4 || this == INT4_REGIONS;
        }
    }

    private static final int REGIONS = 24;

    private static IndexConfig config(Space space, Kind kind, long capacity) {
        return IndexConfig.builder(space, DIM)
                .maxElements(capacity)
                .m(12)
                .efConstruction(100)
                .allowReplaceDeleted(true)
                .int8Traversal(kind != null && kind.int8())
                .int4Traversal(kind != null && kind.int4())
                .binaryTraversal(kind == Kind.BINARY)
                .traversalRegions(kind == null ? 0 : kind.regions)
                .build();
    }

    static Stream<Arguments> kindsAndSpaces() {
        return Arrays.stream(Kind.values())
                .flatMap(k -> Arrays.stream(Space.values()).map(s -> Arguments.of(k, s)));
    }

    @ParameterizedTest
    @MethodSource("kindsAndSpaces")
    void shouldKeepRecallAndExactDistancesWhenTraversingCodes(Kind kind, Space space) {
        float[][] data = RandomVectors.clustered(N, DIM, 30, 0.4, 2, 7);
        float[][] queries = RandomVectors.clustered(200, DIM, 30, 0.4, 2, 8);
        long[] labels = RandomVectors.sequentialLabels(N, 0);
        int[][] truth = BruteForce.knn(space, data, queries, 10);
        try (HnswIndex plain = HnswIndex.create(dir.resolve("f"), config(space, null, N));
                HnswIndex coded = HnswIndex.create(dir.resolve("c"), config(space, kind, N))) {
            plain.addItems(data, labels, 1);
            coded.addItems(data, labels, 1);
            assertEquals(kind.int8(), coded.int8Traversal());
            assertEquals(kind == Kind.BINARY, coded.binaryTraversal());
            assertEquals(kind.int4(), coded.int4Traversal());
            assertEquals(kind.regions, coded.traversalRegions());
            assertTrue(Files.exists(dir.resolve("c").resolve(kind.fileName)));
            assertFalse(Files.exists(dir.resolve("f").resolve(kind.fileName)));
            double plainRecall = SearchChecks.recall(plain, queries, truth, 40);
            double codedRecall = SearchChecks.recall(coded, queries, truth, 40);
            assertTrue(
                    codedRecall >= plainRecall - kind.recallAllowance,
                    kind + " " + space + ": " + codedRecall + " vs float " + plainRecall);
            assertTrue(
                    SearchChecks.recall(coded, queries, truth, 80) > codedRecall - 1e-9,
                    "a wider beam finds no less");
            SearchChecks.assertExactAscending(space, coded, queries, data, 20);
            assertEquals(List.of(), coded.verify());
        }
    }

    /** The re-rank pool (2 x ef for one-bit codes) takes only what the search may return. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldNeverReturnDeletedOrFilteredLabelsWhenReRanking(Kind kind) {
        float[][] data = RandomVectors.clustered(600, DIM, 10, 0.4, 2, 8);
        float[][] queries = RandomVectors.clustered(30, DIM, 10, 0.4, 2, 9);
        try (HnswIndex w = HnswIndex.create(dir.resolve("d"), config(Space.L2, kind, 600))) {
            w.addItems(data, RandomVectors.sequentialLabels(600, 0), 2);
            for (long label = 0; label < 600; label += 2) {
                w.markDeleted(label);
            }
            for (float[] query : queries) {
                for (int ef : new int[] {10, 40}) {
                    long[] live = w.knnQuery(query, 10, ef).labels();
                    long[] filtered = w.knnQuery(query, 10, ef, label -> label % 3 != 0).labels();
                    assertEquals(10, live.length);
                    assertEquals(10, filtered.length);
                    for (long label : live) {
                        assertTrue(label % 2 == 1, "deleted label " + label + " returned");
                    }
                    for (long label : filtered) {
                        assertTrue(label % 2 == 1 && label % 3 != 0, "label " + label);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldKeepRowsInStepWhenUpdatingReplacingResizingAndReopening(Kind kind) {
        Path path = dir.resolve("w");
        float[][] data = RandomVectors.clustered(600, DIM, 10, 0.4, 2, 3);
        float[][] more = RandomVectors.clustered(300, DIM, 10, 0.4, 2, 6);
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, kind, 700))) {
            w.addItem(data[0], 0); // a one-row first insert (for one-bit codes: the centroid)
            w.addItems(data, RandomVectors.sequentialLabels(600, 0), 2);
            w.commit();
            float[][] moved = RandomVectors.clustered(50, DIM, 10, 0.4, 2, 4);
            w.addItems(moved, RandomVectors.sequentialLabels(50, 0), 1); // updates
            for (long label = 100; label < 120; label++) {
                w.markDeleted(label);
            }
            w.commit();
            float[][] fresh = RandomVectors.clustered(20, DIM, 10, 0.4, 2, 5);
            w.addItems(fresh, RandomVectors.sequentialLabels(20, 10_000), 1, true);
            w.resizeIndex(1_100);
            w.addItems(more, RandomVectors.sequentialLabels(300, 20_000), 2);
            w.commit();
            assertEquals(List.of(), w.verify());
            assertEquals(7, w.knnQuery(moved[7], 1, 50).labels()[0]);
            assertEquals(10_003, w.knnQuery(fresh[3], 1, 50).labels()[0]);
            assertEquals(20_299, w.knnQuery(more[299], 1, 50).labels()[0]);
        }
        try (HnswIndex r = HnswIndex.open(path)) {
            assertEquals(List.of(), r.verify());
            assertEquals(20_299, r.knnQuery(more[299], 1, 50).labels()[0]);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldReportRowThatDisagreesWithItsFloatRow(Kind kind) throws IOException {
        Path path = dir.resolve("v");
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, kind, 100))) {
            w.addItems(RandomVectors.uniform(100, DIM, 1), RandomVectors.sequentialLabels(100, 0));
            w.commit();
        }
        // with regions, the rows start after the centroids
        long shift =
                kind.regions == 0
                        ? 0
                        : TraversalRegionsDescriptor.rowsOffset(kind.regions, DIM)
                                - TraversalRegionsDescriptor.DATA_OFFSET;
        long byteOfNode9 =
                shift
                        + switch (kind) {
                            case INT8, INT8_REGIONS ->
                                    QuantizedVectorsDescriptor.rowOffset(
                                                    9, QuantizedVectorsDescriptor.rowStride(DIM))
                                            + QuantizedVectorsDescriptor.CODES_OFFSET
                                            + 5;
                            case INT4, INT4_REGIONS ->
                                    Int4VectorsDescriptor.rowOffset(
                                                    9, Int4VectorsDescriptor.rowStride(DIM))
                                            + Int4VectorsDescriptor.CODES_OFFSET
                                            + 5;
                            case BINARY ->
                                    BinaryVectorsDescriptor.rowOffset(9, DIM)
                                            + BinaryVectorsDescriptor.CODES_OFFSET
                                            + Long.BYTES;
                        };
        FileBytes.flipByte(path.resolve(kind.fileName), byteOfNode9);
        String expected =
                switch (kind) {
                    case INT8, INT8_REGIONS -> "code 5";
                    case INT4, INT4_REGIONS -> "code byte 5";
                    case BINARY -> "code word 1";
                };
        try (HnswIndex r = HnswIndex.open(path)) {
            List<String> problems = r.verify();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(
                    problems.get(0).contains("node 9")
                            && problems.get(0).contains(kind.fileName)
                            && problems.get(0).contains(expected),
                    problems.get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRefuseToOpenWhenCodesFileIsMissingOrShort(Kind kind) throws IOException {
        Path path = dir.resolve("m");
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, kind, 100))) {
            w.addItems(RandomVectors.uniform(10, DIM, 1), RandomVectors.sequentialLabels(10, 0));
            w.commit();
        }
        Path file = path.resolve(kind.fileName);
        FileBytes.truncate(file, Files.size(file) - 1);
        Exception shortFile = assertThrows(RuntimeException.class, () -> HnswIndex.open(path));
        assertTrue(shortFile.getMessage().contains(kind.fileName), shortFile.getMessage());
        Files.delete(file);
        Exception missing = assertThrows(RuntimeException.class, () -> HnswIndex.open(path));
        assertTrue(missing.getMessage().contains(kind.fileName), missing.getMessage());
    }

    @Test
    void shouldFindOneBitRowsWhenReaderOpenedBeforeFirstInsert() {
        Path path = dir.resolve("e");
        float[][] data = RandomVectors.clustered(200, DIM, 5, 0.4, 2, 9);
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, Kind.BINARY, 300))) {
            w.commit();
            try (HnswIndex r = HnswIndex.open(path)) {
                assertEquals(0, r.knnQuery(data[0], 5, 10).labels().length);
                w.addItems(data, RandomVectors.sequentialLabels(200, 0), 2);
                w.commit();
                r.refresh();
                assertEquals(42, r.knnQuery(data[42], 1, 40).labels()[0]);
                assertEquals(List.of(), r.verify());
            }
        }
    }

    @Test
    void shouldReportCentroidThatDisagreesWithItsChecksum() throws IOException {
        Path path = dir.resolve("c");
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, Kind.BINARY, 100))) {
            w.addItems(RandomVectors.uniform(100, DIM, 1), RandomVectors.sequentialLabels(100, 0));
            w.commit();
        }
        FileBytes.flipByte(
                path.resolve(IndexFileNames.BINARY),
                BinaryVectorsDescriptor.DATA_OFFSET + BinaryVectorsDescriptor.CENTROID_OFFSET + 3);
        try (HnswIndex r = HnswIndex.open(path)) {
            List<String> problems = r.verify();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).contains("centroid"), problems.get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Kind.class,
            names = {"INT8", "INT4"})
    void shouldRefuseToOpenMetaFileThatClaimsTwoKindsOfCodes(Kind second) throws IOException {
        Path path = dir.resolve("f");
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, Kind.BINARY, 100))) {
            w.commit();
        }
        Path meta = path.resolve(IndexFileNames.META);
        int flags = FileBytes.readInt(meta, MetaHeaderDescriptor.FLAGS_OFFSET);
        FileBytes.writeInt(
                meta,
                MetaHeaderDescriptor.FLAGS_OFFSET,
                flags
                        | (second == Kind.INT8
                                ? MetaHeaderDescriptor.FLAG_INT8_TRAVERSAL
                                : MetaHeaderDescriptor.FLAG_INT4_TRAVERSAL));
        CRC32C crc = new CRC32C();
        int from = FileHeaderDescriptor.PREAMBLE_LENGTH;
        crc.update(FileBytes.read(meta, from, MetaHeaderDescriptor.CONFIG_CRC_OFFSET - from));
        FileBytes.writeInt(meta, MetaHeaderDescriptor.CONFIG_CRC_OFFSET, (int) crc.getValue());
        CorruptIndexException e =
                assertThrows(CorruptIndexException.class, () -> HnswIndex.open(path));
        assertTrue(e.getMessage().contains("flags"), e.getMessage());
    }

    @Test
    void shouldRefuseBothKindsOfCodesInOneIndex() {
        IllegalParameterException both =
                assertThrows(
                        IllegalParameterException.class,
                        () ->
                                IndexConfig.builder(Space.L2, DIM)
                                        .int8Traversal(true)
                                        .binaryTraversal(true)
                                        .build());
        assertTrue(both.getMessage().contains("binaryTraversal"), both.getMessage());
        IllegalParameterException int8And4 =
                assertThrows(
                        IllegalParameterException.class,
                        () ->
                                IndexConfig.builder(Space.L2, DIM)
                                        .int8Traversal(true)
                                        .int4Traversal(true)
                                        .build());
        assertTrue(int8And4.getMessage().contains("int4Traversal"), int8And4.getMessage());
    }

    /**
     * On clustered data, 4-bit rows with regions find the nearest neighbours that plain 4-bit rows
     * cannot tell apart: a residual spans a fraction of the vector's range.
     */
    @ParameterizedTest
    @EnumSource(
            value = Space.class,
            names = {"L2", "COSINE"})
    void shouldTellNeighboursInsideClustersApartWithRegions(Space space) {
        float[][] data = RandomVectors.clustered(N, DIM, 30, 0.05, 2, 7);
        float[][] queries = RandomVectors.clustered(200, DIM, 30, 0.05, 2, 8);
        long[] labels = RandomVectors.sequentialLabels(N, 0);
        int[][] truth = BruteForce.knn(space, data, queries, 10);
        try (HnswIndex plain = HnswIndex.create(dir.resolve("p"), config(space, Kind.INT4, N));
                HnswIndex regions =
                        HnswIndex.create(dir.resolve("r"), config(space, Kind.INT4_REGIONS, N))) {
            plain.addItems(data, labels, 1);
            regions.addItems(data, labels, 1);
            double plainRecall = SearchChecks.recall(plain, queries, truth, 20);
            double regionRecall = SearchChecks.recall(regions, queries, truth, 20);
            assertTrue(
                    regionRecall >= plainRecall + 0.05,
                    space + ": regions " + regionRecall + " vs plain " + plainRecall);
            SearchChecks.assertExactAscending(space, regions, queries, data, 20);
        }
    }

    /** The centroids come from the sample given before the first insert, and only once. */
    @Test
    void shouldTrainRegionsOnTheSampleGivenBeforeTheFirstInsert() {
        float[][] data = RandomVectors.clustered(2_000, DIM, 20, 0.05, 2, 7);
        float[][] queries = RandomVectors.clustered(100, DIM, 20, 0.05, 2, 8);
        int[][] truth = BruteForce.knn(Space.L2, data, queries, 10);
        try (HnswIndex trained =
                        HnswIndex.create(
                                dir.resolve("t"), config(Space.L2, Kind.INT4_REGIONS, 2_000));
                HnswIndex firstChunk =
                        HnswIndex.create(
                                dir.resolve("c"), config(Space.L2, Kind.INT4_REGIONS, 2_000));
                HnswIndex noRegions =
                        HnswIndex.create(dir.resolve("n"), config(Space.L2, Kind.INT4, 10))) {
            assertTrue(trained.trainTraversalCodes(data));
            assertFalse(trained.trainTraversalCodes(queries), "the centroids never change");
            assertFalse(noRegions.trainTraversalCodes(queries), "plain 4-bit rows have none");
            for (int from = 0; from < data.length; from += 20) { // a first insert of 20 rows
                float[][] chunk = Arrays.copyOfRange(data, from, from + 20);
                long[] labels = RandomVectors.sequentialLabels(20, from);
                trained.addItems(chunk, labels, 1);
                firstChunk.addItems(chunk, labels, 1);
            }
            double trainedRecall = SearchChecks.recall(trained, queries, truth, 20);
            double chunkRecall = SearchChecks.recall(firstChunk, queries, truth, 20);
            assertTrue(
                    trainedRecall > chunkRecall,
                    "trained on all rows " + trainedRecall + ", on the first 20 " + chunkRecall);
            assertEquals(List.of(), trained.verify());
            assertThrows(
                    org.hnswmap.error.DimensionMismatchException.class,
                    () -> firstChunk.trainTraversalCodes(new float[][] {new float[DIM - 1]}));
        }
    }

    /**
     * Damaged centroids are reported by verify and refused by searches; a row naming a region that
     * does not exist is reported by verify.
     */
    @Test
    void shouldReportCentroidsOrRegionThatDisagreeWithTheFile() throws IOException {
        Path path = dir.resolve("d");
        Kind kind = Kind.INT8_REGIONS;
        float[][] data = RandomVectors.clustered(200, DIM, 10, 0.2, 2, 3);
        try (HnswIndex w = HnswIndex.create(path, config(Space.L2, kind, 200))) {
            w.addItems(data, RandomVectors.sequentialLabels(200, 0));
            w.commit();
        }
        Path file = path.resolve(kind.fileName);
        long regionOfNode4 =
                TraversalRegionsDescriptor.rowsOffset(REGIONS, DIM)
                        + 4L * QuantizedVectorsDescriptor.rowStride(DIM)
                        + TraversalRegionsDescriptor.REGION_OFFSET;
        FileBytes.writeInt(file, regionOfNode4, REGIONS);
        try (HnswIndex r = HnswIndex.open(path)) {
            List<String> problems = r.verify();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(
                    problems.get(0).contains("node 4")
                            && problems.get(0).contains("region " + REGIONS + " is not one of"),
                    problems.get(0));
        }
        FileBytes.flipByte(file, TraversalRegionsDescriptor.centroidOffset(3, DIM) + 2);
        try (HnswIndex r = HnswIndex.open(path)) {
            assertTrue(
                    r.verify().stream().anyMatch(p -> p.contains("CRC-32C")),
                    r.verify().toString());
            CorruptIndexException search =
                    assertThrows(CorruptIndexException.class, () -> r.knnQuery(data[0], 5, 20));
            assertTrue(search.getMessage().contains(kind.fileName), search.getMessage());
        }
    }

    @Test
    void shouldRefuseRegionsWithoutInt8OrInt4Rows() {
        IllegalParameterException alone =
                assertThrows(
                        IllegalParameterException.class,
                        () -> IndexConfig.builder(Space.L2, DIM).traversalRegions(16).build());
        assertTrue(alone.getMessage().contains("int4Traversal"), alone.getMessage());
        assertThrows(
                IllegalParameterException.class,
                () ->
                        IndexConfig.builder(Space.L2, DIM)
                                .binaryTraversal(true)
                                .traversalRegions(16)
                                .build());
        IllegalParameterException many =
                assertThrows(
                        IllegalParameterException.class,
                        () ->
                                IndexConfig.builder(Space.L2, DIM)
                                        .int4Traversal(true)
                                        .traversalRegions(IndexConfig.MAX_TRAVERSAL_REGIONS + 1)
                                        .build());
        assertTrue(many.getMessage().contains("4096"), many.getMessage());
    }

    /** A reordered copy takes the original's centroids, so it answers as the original does. */
    @Test
    void shouldCopyRegionsIntoAReorderedIndex() {
        float[][] data = RandomVectors.clustered(1_000, DIM, 10, 0.1, 2, 3);
        float[][] queries = RandomVectors.clustered(50, DIM, 10, 0.1, 2, 4);
        Path source = dir.resolve("s");
        try (HnswIndex w =
                HnswIndex.create(source, config(Space.COSINE, Kind.INT4_REGIONS, 1_000))) {
            w.addItems(data, RandomVectors.sequentialLabels(1_000, 0), 2);
            w.commit();
        }
        try (HnswIndex original = HnswIndex.open(source);
                HnswIndex copy = LocalityReorder.copy(original, dir.resolve("copy"))) {
            assertEquals(REGIONS, copy.traversalRegions());
            assertTrue(copy.int4Traversal());
            for (float[] q : queries) {
                SearchResult a = original.knnQuery(q, 10, 40);
                SearchResult b = copy.knnQuery(q, 10, 40);
                // equal distances (cosine near 0 rounds to few values) may swap under new ids
                assertEquals(Arrays.toString(a.distances()), Arrays.toString(b.distances()));
                long[] labelsA = a.labels().clone();
                long[] labelsB = b.labels().clone();
                Arrays.sort(labelsA);
                Arrays.sort(labelsB);
                assertEquals(Arrays.toString(labelsA), Arrays.toString(labelsB));
            }
            assertEquals(List.of(), copy.verify());
        }
    }
}
