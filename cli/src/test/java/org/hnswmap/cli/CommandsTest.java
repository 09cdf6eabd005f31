package org.hnswmap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.tools.GroundTruth;
import org.hnswmap.tools.NpyFiles;
import org.hnswmap.tools.Recall;
import org.hnswmap.tools.SyntheticData;
import org.hnswmap.tools.VectorFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every subcommand on small generated files, checking what it writes. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandsTest {

    static final int DIM = 24;
    @TempDir static Path dir;
    static Path data;
    static Path queries;
    static Path index;

    @BeforeAll
    static void files() throws IOException {
        data = dir.resolve("base.fvecs");
        queries = dir.resolve("queries.npy");
        VectorFiles.writeFvecs(data, SyntheticData.uniform(2_000, DIM, 1));
        NpyFiles.writeFloat32Matrix(queries, SyntheticData.uniform(60, DIM, 2));
        index = dir.resolve("index");
        CliRun build =
                CliRun.of(
                        "build",
                        data.toString(),
                        "--index",
                        index.toString(),
                        "--m",
                        "6",
                        "--ef-construction",
                        "40",
                        "--threads",
                        "2");
        assertEquals(0, build.exitCode(), build.toString());
        assertTrue(build.out().contains("built 2,000 elements"), build.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"int8", "int4"})
    @Order(1)
    void shouldBuildWithScalarCodesAndAnswerWithExactDistances(String codes) throws IOException {
        Path int8Index = dir.resolve(codes);
        CliRun build =
                CliRun.of(
                        "build",
                        data.toString(),
                        "--index",
                        int8Index.toString(),
                        "--m",
                        "6",
                        "--ef-construction",
                        "40",
                        "--" + codes,
                        "--quiet");
        assertEquals(0, build.exitCode(), build.toString());
        assertTrue(
                Files.exists(
                        int8Index.resolve(codes.equals("int8") ? "vectors.i8" : "vectors.i4")));
        CliRun info = CliRun.of("info", int8Index.toString());
        assertTrue(info.out().contains(codes + " traversal       true"), info.out());
        CliRun verify = CliRun.of("verify", int8Index.toString());
        assertEquals(0, verify.exitCode(), verify.toString());
        Path out = dir.resolve(codes + "-neighbours.csv");
        CliRun query =
                CliRun.of(
                        "query",
                        int8Index.toString(),
                        "--queries",
                        queries.toString(),
                        "-k",
                        "5",
                        "--ef",
                        "40",
                        "--out",
                        out.toString());
        assertEquals(0, query.exitCode(), query.toString());
        float[][] base = VectorFiles.readFvecs(data);
        float[][] q = NpyFiles.readFloat32Matrix(queries);
        List<String> rows = Files.readAllLines(out);
        String[] first = rows.get(1).split(",");
        int label = Integer.parseInt(first[2]);
        double exact = 0;
        for (int i = 0; i < DIM; i++) {
            exact += (q[0][i] - base[label][i]) * (double) (q[0][i] - base[label][i]);
        }
        assertEquals(exact, Double.parseDouble(first[3]), 1e-4, rows.get(1));
    }

    @Test
    @Order(1)
    void shouldBuildWithBinaryTraversalAndRefuseItWithInt8() {
        Path binaryIndex = dir.resolve("binary");
        CliRun build =
                CliRun.of(
                        "build",
                        data.toString(),
                        "--index",
                        binaryIndex.toString(),
                        "--m",
                        "6",
                        "--ef-construction",
                        "40",
                        "--binary",
                        "--quiet");
        assertEquals(0, build.exitCode(), build.toString());
        assertTrue(Files.exists(binaryIndex.resolve("vectors.b1")));
        CliRun info = CliRun.of("info", binaryIndex.toString());
        assertTrue(info.out().contains("binary traversal     true"), info.out());
        assertEquals(0, CliRun.of("verify", binaryIndex.toString()).exitCode());
        CliRun both =
                CliRun.of(
                        "build",
                        data.toString(),
                        "--index",
                        dir.resolve("both").toString(),
                        "--int8",
                        "--binary",
                        "--quiet");
        assertEquals(1, both.exitCode(), both.toString());
        assertTrue(both.err().contains("exclude each other"), both.toString());
        assertFalse(Files.exists(dir.resolve("both").resolve("index.meta")), both.toString());
    }

    @Test
    @Order(2)
    void shouldSweepReRankPoolsOnAnIndexWithCodes() throws IOException {
        Path binaryIndex = dir.resolve("binary");
        Path out = dir.resolve("tune-pools");
        int efBefore;
        try (HnswIndex idx = HnswIndex.open(binaryIndex)) {
            efBefore = idx.getEf();
        }
        CliRun run =
                CliRun.of(
                        "tune",
                        binaryIndex.toString(),
                        "--rerank-pools",
                        "0.5,2",
                        "--sample",
                        "50",
                        "--efs",
                        "10,40",
                        "--target-recall",
                        "0.5",
                        "--repeats",
                        "1",
                        "-o",
                        out.toString());
        CliRun onFloat32 =
                CliRun.of(
                        "tune",
                        index.toString(),
                        "--rerank-pools",
                        "0.5",
                        "-o",
                        dir.resolve("tune-pools-f32").toString());
        CliRun zero =
                CliRun.of(
                        "tune",
                        binaryIndex.toString(),
                        "--rerank-pools",
                        "0.5,0",
                        "-o",
                        dir.resolve("tune-pools-0").toString());

        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("M=6 efC=40 binary pool 0.5 "), run.out());
        assertTrue(run.out().contains("M=6 efC=40 binary pool 2 "), run.out());
        assertTrue(run.out().contains("no ef stored"), run.out());
        List<String> csv = Files.readAllLines(out.resolve("tune.csv"));
        assertTrue(csv.get(0).endsWith(",rerank_pool"), csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.endsWith(",0.5")), csv.toString());
        assertTrue(csv.stream().anyMatch(l -> l.endsWith(",2")), csv.toString());
        assertTrue(Files.readString(out.resolve("tune.json")).contains("\"rerank_pool\":0.5"));
        try (HnswIndex idx = HnswIndex.open(binaryIndex)) {
            assertEquals(efBefore, idx.getEf(), "tune with pools must not store an ef");
        }
        assertNotEquals(0, onFloat32.exitCode(), onFloat32.toString());
        assertTrue(
                onFloat32.err().contains("needs an index with traversal codes"), onFloat32.err());
        assertNotEquals(0, zero.exitCode(), zero.toString());
        assertTrue(zero.err().contains("above 0 and at most 64, not 0"), zero.err());
    }

    @Test
    @Order(1)
    void shouldDescribeTheIndexWhenInfo() {
        CliRun text = CliRun.of("info", index.toString());
        CliRun json = CliRun.of("info", index.toString(), "--json");

        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().contains("dimension            24"), text.out());
        assertTrue(text.out().contains("ef construction      40"), text.out());
        assertTrue(json.out().contains("\"dimension\":24"), json.out());
        assertTrue(json.out().contains("\"elements\":2000"), json.out());
        assertTrue(json.out().contains("\"vectors.f32\":"), json.out());
    }

    @Test
    @Order(2)
    void shouldWriteOneCsvRowPerNeighbourAndTheSameInJson() throws IOException {
        Path csv = dir.resolve("r.csv");
        Path json = dir.resolve("r.json");
        CliRun a =
                CliRun.of(
                        "query",
                        index.toString(),
                        "-q",
                        queries.toString(),
                        "-k",
                        "5",
                        "--ef",
                        "50",
                        "-o",
                        csv.toString());
        CliRun b =
                CliRun.of(
                        "query",
                        index.toString(),
                        "-q",
                        queries.toString(),
                        "-k",
                        "5",
                        "--ef",
                        "50",
                        "--format",
                        "json",
                        "-o",
                        json.toString());

        assertEquals(0, a.exitCode(), a.toString());
        assertEquals(0, b.exitCode(), b.toString());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("query,rank,label,distance", rows.get(0));
        assertEquals(1 + 60 * 5, rows.size());
        String firstLabel = rows.get(1).split(",")[2];
        assertTrue(Files.readString(json).contains("{\"labels\":[" + firstLabel + ","));
    }

    @Test
    @Order(3)
    void shouldWriteExactNeighboursWhenGroundTruth() throws IOException {
        Path gt = dir.resolve("gt.ivecs");
        CliRun run =
                CliRun.of(
                        "groundtruth",
                        "--base",
                        data.toString(),
                        "-q",
                        queries.toString(),
                        "-k",
                        "20",
                        "-o",
                        gt.toString());

        assertEquals(0, run.exitCode(), run.toString());
        int[][] rows = VectorFiles.readIvecs(gt);
        assertEquals(60, rows.length);
        float[][] base = VectorFiles.read(data);
        float[] q = VectorFiles.read(queries)[0];
        int nearest = 0;
        for (int i = 1; i < base.length; i++) {
            if (l2(q, base[i]) < l2(q, base[nearest])) {
                nearest = i;
            }
        }
        assertEquals(nearest, rows[0][0]);
        assertEquals(20, rows[0].length);
    }

    @Test
    @Order(4)
    void shouldPickAnEfThatReallyMeetsTheTargetAndStoreIt() throws IOException {
        Path gt = dir.resolve("gt.ivecs");
        Path out = dir.resolve("tune");
        CliRun run =
                CliRun.of(
                        "tune",
                        index.toString(),
                        "-q",
                        queries.toString(),
                        "--groundtruth",
                        gt.toString(),
                        "--target-recall",
                        "0.9",
                        "--repeats",
                        "1",
                        "-o",
                        out.toString(),
                        "--threads",
                        "2");

        assertEquals(0, run.exitCode(), run.toString());
        Matcher m = Pattern.compile("stored ef (\\d+)").matcher(run.out());
        assertTrue(m.find(), run.out());
        int ef = Integer.parseInt(m.group(1));
        assertTrue(ef >= 10);
        long[][] truth = GroundTruth.fromIvecs(VectorFiles.readIvecs(gt));
        try (HnswIndex idx = HnswIndex.open(index)) {
            assertEquals(ef, idx.getEf());
            float[][] q = VectorFiles.read(queries);
            double recall = Recall.atK(idx.knnQuery(q, 10, ef, 2).labels(), truth, 10);
            assertTrue(recall >= 0.9, "recall " + recall + " at ef " + ef);
        }
        assertValidPng(out.resolve("recall-latency.png"));
        String svg = Files.readString(out.resolve("recall-latency.svg"));
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg"), svg.substring(0, 100));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("recommended: ef " + ef), html);
        assertTrue(Files.readString(out.resolve("tune.json")).contains("\"recommended_ef\":" + ef));
        assertTrue(Files.readAllLines(out.resolve("tune.csv")).size() > 2);
    }

    @Test
    @Order(5)
    void shouldTuneLeaveOneOutWhenNoQueriesAreGiven() {
        CliRun run =
                CliRun.of(
                        "tune",
                        index.toString(),
                        "--sample",
                        "50",
                        "--efs",
                        "10,40,200",
                        "--repeats",
                        "1",
                        "-o",
                        dir.resolve("tune-loo").toString());

        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("no target recall given"), run.out());
        assertTrue(Files.exists(dir.resolve("tune-loo/groundtruth.ivecs")));
    }

    @Test
    @Order(6)
    void shouldBuildEachTraversalWhenGridListsThem() throws IOException {
        Path out = dir.resolve("grid-traversal");
        CliRun run =
                CliRun.of(
                        "tune",
                        "--data",
                        data.toString(),
                        "--m",
                        "8",
                        "--ef-construction",
                        "40",
                        "--traversal",
                        "float32,int8,int4,binary",
                        "--sample",
                        "50",
                        "--efs",
                        "10,40,160",
                        "--repeats",
                        "1",
                        "--quiet",
                        "-o",
                        out.toString());
        CliRun bogus =
                CliRun.of(
                        "tune",
                        "--data",
                        data.toString(),
                        "--traversal",
                        "float16",
                        "-o",
                        dir.resolve("grid-bogus").toString());

        assertEquals(0, run.exitCode(), run.toString());
        String json = Files.readString(out.resolve("tune.json"));
        for (String kind : List.of("float32", "int8", "int4", "binary")) {
            assertTrue(json.contains("\"traversal\":\"" + kind + "\""), json);
        }
        assertTrue(Files.readString(out.resolve("tune.csv")).contains("\n8,40,binary,"));
        assertEquals(2, bogus.exitCode(), bogus.toString());
        assertTrue(
                bogus.err().contains("float32, int8, int4, binary, int8-regions or int4-regions"),
                bogus.toString());
    }

    @Test
    @Order(6)
    void shouldBuildEveryCombinationAndNameTheCheapestWhenGrid() throws IOException {
        Path out = dir.resolve("grid");
        CliRun run =
                CliRun.of(
                        "tune",
                        "--data",
                        data.toString(),
                        "--m",
                        "4,8",
                        "--ef-construction",
                        "20,60",
                        "--sample",
                        "50",
                        "--efs",
                        "10,20,40,80,160",
                        "--target-recall",
                        "0.8",
                        "--repeats",
                        "1",
                        "-o",
                        out.toString());

        assertEquals(0, run.exitCode(), run.toString());
        String json = Files.readString(out.resolve("tune.json"));
        for (String config :
                List.of("\"m\":4,\"ef_construction\":20", "\"m\":8,\"ef_construction\":60")) {
            assertTrue(json.contains(config), json);
        }
        assertTrue(run.out().contains("recommended: M="), run.out());
        assertValidPng(out.resolve("recall-latency.png"));
        try (var left = Files.list(out)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("builds-")));
        }
    }

    @Test
    @Order(7)
    void shouldVerifyASoundIndexAndReportADamagedOne() throws IOException {
        CliRun ok = CliRun.of("verify", index.toString());
        assertEquals(0, ok.exitCode(), ok.toString());
        assertTrue(ok.out().startsWith("OK "), ok.out());

        Path copy = dir.resolve("damaged");
        Files.createDirectories(copy);
        try (var files = Files.list(index)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        try (var ch =
                java.nio.channels.FileChannel.open(
                        copy.resolve("vectors.f32"), java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(1000);
        }
        CliRun bad = CliRun.of("verify", copy.toString());
        assertEquals(1, bad.exitCode(), bad.toString());
        assertTrue(bad.out().contains("DAMAGED") && bad.out().contains("vectors.f32"), bad.out());
    }

    @Test
    @Order(7)
    void shouldGrowTheCapacityWhenResize() {
        Path copy = dir.resolve("resizable");
        CliRun build =
                CliRun.of(
                        "build",
                        data.toString(),
                        "--index",
                        copy.toString(),
                        "--m",
                        "4",
                        "--ef-construction",
                        "20",
                        "--quiet");
        CliRun grow = CliRun.of("resize", copy.toString(), "5000");
        CliRun shrink = CliRun.of("resize", copy.toString(), "10");

        assertEquals(0, build.exitCode(), build.toString());
        assertEquals(0, grow.exitCode(), grow.toString());
        assertTrue(grow.out().contains("maxElements 2,000 -> 5,000"), grow.out());
        assertTrue(CliRun.of("info", copy.toString()).out().contains("max elements         5000"));
        assertFailure(shrink, 1, "cannot shrink");
    }

    @Test
    @Order(7)
    void shouldRoundTripThroughHnswlibsLayoutWhenExportAndImport() throws IOException {
        Path file = dir.resolve("hnswlib.bin");
        Path back = dir.resolve("from-hnswlib");
        CliRun export = CliRun.of("export-hnswlib", index.toString(), "-o", file.toString());
        CliRun imported =
                CliRun.of(
                        "import-hnswlib",
                        file.toString(),
                        "--space",
                        "l2",
                        "--dim",
                        String.valueOf(DIM),
                        "-o",
                        back.toString());
        CliRun wrongDim =
                CliRun.of(
                        "import-hnswlib",
                        file.toString(),
                        "--space",
                        "l2",
                        "--dim",
                        "7",
                        "-o",
                        dir.resolve("never").toString());

        assertEquals(0, export.exitCode(), export.toString());
        assertEquals(0, imported.exitCode(), imported.toString());
        assertTrue(imported.out().contains("imported 2,000 elements"), imported.out());
        assertSameAnswers(index, back);
        assertFailure(wrongDim, 1, "is the dimension right?");
    }

    @Test
    @Order(7)
    void shouldAnswerTheSameFromAReorderedCopy() throws IOException {
        Path copy = dir.resolve("reordered");
        Path built = dir.resolve("built-reordered");
        CliRun reorder = CliRun.of("reorder", index.toString(), "-o", copy.toString());
        CliRun again = CliRun.of("reorder", index.toString(), "-o", copy.toString());
        CliRun build =
                CliRun.of(
                        "build",
                        data.toString(),
                        "--index",
                        built.toString(),
                        "--m",
                        "4",
                        "--ef-construction",
                        "20",
                        "--reorder",
                        "--clustered-inserts",
                        "--quiet");

        assertEquals(0, reorder.exitCode(), reorder.toString());
        assertTrue(reorder.out().contains("reordered 2,000 elements"), reorder.out());
        assertTrue(CliRun.of("verify", copy.toString()).out().startsWith("OK"));
        assertFailure(again, 1, "already");
        assertSameAnswers(index, copy);

        assertEquals(0, build.exitCode(), build.toString());
        assertTrue(build.out().contains("reordered 2,000 elements"), build.out());
        assertTrue(CliRun.of("verify", built.toString()).out().startsWith("OK"));
        assertFalse(Files.exists(dir.resolve("built-reordered.unordered")));

        Files.createDirectories(dir.resolve("left-over.unordered"));
        CliRun leftOver =
                CliRun.of(
                        "build",
                        data.toString(),
                        "--index",
                        dir.resolve("left-over").toString(),
                        "--reorder",
                        "--quiet");
        assertFailure(leftOver, 2, "left-over.unordered: exists");
        assertFalse(Files.exists(dir.resolve("left-over").resolve("index.meta")));
    }

    @Test
    @Order(8)
    void shouldFailWithOneLineAndNoStackTraceOnBadInput() throws IOException {
        Path wrongDim = dir.resolve("wrong.fvecs");
        VectorFiles.writeFvecs(wrongDim, SyntheticData.uniform(3, DIM + 1, 1));
        Path notVectors = dir.resolve("text.fvecs");
        Files.writeString(notVectors, "these are not vectors\n");

        CliRun dim = CliRun.of("query", index.toString(), "-q", wrongDim.toString());
        CliRun magic = CliRun.of("query", index.toString(), "-q", notVectors.toString());
        CliRun noIndex = CliRun.of("info", dir.resolve("nothing-here").toString());
        CliRun otherTruth =
                CliRun.of(
                        "tune",
                        index.toString(),
                        "-q",
                        otherQueries(),
                        "--groundtruth",
                        dir.resolve("gt.ivecs").toString(),
                        "-o",
                        dir.resolve("t2").toString());
        CliRun exists = CliRun.of("build", data.toString(), "--index", index.toString());
        CliRun verbose =
                CliRun.of("query", index.toString(), "-q", wrongDim.toString(), "--verbose");

        assertFailure(dim, 2, "queries have dimension 25, the index has dimension 24");
        assertFailure(magic, 1, "not a .fvecs file");
        assertFailure(noIndex, 1, "nothing-here");
        assertFailure(otherTruth, 2, "other data");
        assertFailure(exists, 2, "already holds an index");
        assertTrue(verbose.err().contains("\tat org.hnswmap"), verbose.err());
    }

    @Test
    @Order(9)
    void shouldRunTheDemoEndToEndIncludingTheSecondProcess() {
        CliRun run =
                CliRun.of(
                        "demo",
                        dir.resolve("demo").toString(),
                        "--elements",
                        "1500",
                        "--queries",
                        "40",
                        "--threads",
                        "2");

        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("identical to the writer's, to the bit"), run.out());
        assertValidPng(dir.resolve("demo/tune/recall-latency.png"));
    }

    private static String otherQueries() throws IOException {
        Path other = dir.resolve("other-queries.fvecs");
        float[][] rows = SyntheticData.uniform(60, DIM, 77);
        for (float[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                row[i] = row[i] * 0.01f;
            }
        }
        VectorFiles.writeFvecs(other, rows);
        return other.toString();
    }

    /** {@code query --ef 40} of the test queries writes the same CSV for both indexes. */
    private static void assertSameAnswers(Path expected, Path actual) throws IOException {
        List<List<String>> answers = new ArrayList<>();
        for (Path index : List.of(expected, actual)) {
            Path csv = Files.createTempFile(dir, "answers", ".csv");
            CliRun run =
                    CliRun.of(
                            "query",
                            index.toString(),
                            "-q",
                            queries.toString(),
                            "--ef",
                            "40",
                            "-o",
                            csv.toString());
            assertEquals(0, run.exitCode(), run.toString());
            answers.add(Files.readAllLines(csv));
        }
        assertEquals(answers.get(0), answers.get(1));
    }

    private static void assertFailure(CliRun run, int code, String message) {
        assertEquals(code, run.exitCode(), run.toString());
        assertTrue(run.err().contains(message), run.toString());
        assertEquals(1, run.err().strip().lines().count(), run.toString());
    }

    private static void assertValidPng(Path png) {
        try {
            byte[] bytes = Files.readAllBytes(png);
            assertArrayEquals(
                    new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
                    java.util.Arrays.copyOf(bytes, 8));
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
            assertTrue(image.getWidth() >= 900 && image.getHeight() >= 560);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static double l2(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }
}
