package org.hnswmap.spark;

import static org.hnswmap.spark.SparkTestSupport.clustered;
import static org.hnswmap.spark.SparkTestSupport.frame;
import static org.hnswmap.spark.SparkTestSupport.spark;
import static org.hnswmap.spark.SparkTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hnswmap.error.CorruptIndexException;
import org.hnswmap.error.DimensionMismatchException;
import org.hnswmap.error.DuplicateLabelException;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.error.InvalidVectorException;
import org.hnswmap.index.HnswIndex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retried tasks, bad input and damaged indexes: clear errors, nothing half-written visible. */
class ShardedBuildFailureTest {
    @TempDir Path dir;

    @AfterEach
    void reset() {
        ShardWriter.afterWrite = null;
        ShardCache.closeAll();
    }

    private HnswmapSimilarity estimator(String name) {
        return new HnswmapSimilarity()
                .setNumPartitions(3)
                .setK(5)
                .setEfConstruction(64)
                .setDistanceFunction("l2")
                .setIndexPath(dir.resolve(name).toString());
    }

    private static Dataset<Row> rows(List<Object[]> rows) {
        List<Row> list = new ArrayList<>();
        for (Object[] r : rows) {
            list.add(RowFactory.create(r[0], values((float[]) r[1], DataTypes.FloatType)));
        }
        StructType schema =
                new StructType()
                        .add("id", DataTypes.LongType, true)
                        .add("features", new ArrayType(DataTypes.FloatType, true), true);
        return spark().createDataFrame(list, schema);
    }

    private static List<Object[]> good(int n, int dim) {
        float[][] v = clustered(n, dim, 5, 7);
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Object[] {(long) i, v[i]});
        }
        return out;
    }

    @Test
    void aTaskThatFailsAfterWritingIsRetriedAndOnlyTheRetryIsCommitted() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        ShardWriter.afterWrite =
                (partition, attempt) -> {
                    if (partition == 1 && attempt == 0) {
                        failures.incrementAndGet();
                        throw new IllegalStateException(
                                "injected failure after the shard was written");
                    }
                };
        HnswmapSimilarityModel model = estimator("retry").fit(frame(clustered(3_000, 16, 5, 3), 0));
        assertEquals(1, failures.get());
        assertEquals(3, model.numShards());
        assertEquals(3_000, model.size());
        Path index = dir.resolve("retry");
        assertFalse(Files.exists(index.resolve(ShardCommitter.ATTEMPTS)), "attempts left behind");
        try (Stream<Path> entries = Files.list(index)) {
            List<String> names =
                    entries.map(p -> p.getFileName().toString())
                            .filter(n -> !n.startsWith(".")) // Hadoop's checksum of the manifest
                            .sorted()
                            .toList();
            assertEquals(List.of("_manifest", "shard-00000", "shard-00001", "shard-00002"), names);
        }
        try (HnswIndex shard = HnswIndex.open(index.resolve("shard-00001"))) {
            assertTrue(shard.verify().isEmpty());
        }
        List<Row> found =
                model.setK(1)
                        .transform(frame(clustered(3_000, 16, 5, 3), 0).limit(30))
                        .collectAsList();
        for (Row r : found) {
            assertEquals(r.getLong(0), ((Row) r.getList(2).get(0)).getLong(0));
        }
    }

    @Test
    void aFailedBuildLeavesNoIndexAndThePathCanBeUsedAgain() {
        ShardWriter.afterWrite =
                (partition, attempt) -> {
                    throw new IllegalStateException("every attempt fails");
                };
        Dataset<Row> data = frame(clustered(600, 8, 3, 4), 0);
        assertThrows(Exception.class, () -> estimator("failed").fit(data));
        assertFalse(Files.exists(dir.resolve("failed").resolve(ShardManifest.FILE_NAME)));
        // A task still running when the job failed may write its attempt after the abort removed
        // the attempts; the next build of the path removes them, and commits only its own.
        ShardWriter.afterWrite = null;
        assertEquals(600, estimator("failed").fit(data).size());
        assertFalse(Files.exists(dir.resolve("failed").resolve(ShardCommitter.ATTEMPTS)));
    }

    @Test
    void mixedDimensionsAreRefusedWithinAndAcrossPartitions() {
        List<Object[]> rows = good(300, 8);
        rows.add(new Object[] {1_000L, new float[4]});
        DimensionMismatchException e =
                assertThrows(
                        DimensionMismatchException.class, () -> estimator("mixed").fit(rows(rows)));
        assertTrue(e.getMessage().contains("dimension"), e.getMessage());

        // Every partition consistent in itself, the shards not: Spark's hash partitioner sends long
        // id i to partition i mod 32, so ids 0..19 and 25 land in partitions of their own.
        List<Object[]> two = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            two.add(new Object[] {(long) i, new float[] {i, 1, 2, 3}});
        }
        two.add(new Object[] {25L, new float[] {1, 2}});
        HnswmapSimilarity many = estimator("across").setNumPartitions(32);
        DimensionMismatchException e2 =
                assertThrows(DimensionMismatchException.class, () -> many.fit(rows(two)));
        assertTrue(e2.getMessage().contains("partition 25 of 2"), e2.getMessage());
        assertFalse(Files.exists(dir.resolve("across").resolve(ShardManifest.FILE_NAME)));
    }

    @Test
    void nullsNanAndDuplicateIdsAreRefusedNamingTheId() {
        List<Object[]> nullVector = good(100, 8);
        nullVector.add(new Object[] {777L, null});
        InvalidVectorException a =
                assertThrows(
                        InvalidVectorException.class, () -> estimator("a").fit(rows(nullVector)));
        assertTrue(a.getMessage().contains("777"), a.getMessage());

        List<Object[]> nan = good(100, 8);
        nan.add(new Object[] {888L, new float[] {1, 2, 3, Float.NaN, 5, 6, 7, 8}});
        InvalidVectorException b =
                assertThrows(InvalidVectorException.class, () -> estimator("b").fit(rows(nan)));
        assertTrue(
                b.getMessage().contains("888") && b.getMessage().contains("NaN"), b.getMessage());

        List<Object[]> dup = good(100, 8);
        dup.add(new Object[] {42L, new float[8]});
        DuplicateLabelException c =
                assertThrows(DuplicateLabelException.class, () -> estimator("c").fit(rows(dup)));
        assertTrue(c.getMessage().contains("42"), c.getMessage());

        List<Object[]> nullId = good(100, 8);
        nullId.add(new Object[] {null, new float[8]});
        assertThrows(InvalidVectorException.class, () -> estimator("d").fit(rows(nullId)));
    }

    @Test
    void wrongColumnsAndAnOccupiedPathAreRefusedBeforeAnyTask() {
        Dataset<Row> data = frame(clustered(200, 8, 3, 5), 0);
        IllegalParameterException missing =
                assertThrows(
                        IllegalParameterException.class,
                        () -> estimator("x").setFeaturesCol("vec").fit(data));
        assertTrue(missing.getMessage().contains("'vec'"), missing.getMessage());
        IllegalParameterException type =
                assertThrows(
                        IllegalParameterException.class,
                        () -> estimator("x").setIdentifierCol("features").fit(data));
        assertTrue(type.getMessage().contains("ids must be"), type.getMessage());
        assertThrows(
                IllegalParameterException.class,
                () -> estimator("x").setDistanceFunction("manhattan"));

        IllegalParameterException regions =
                assertThrows(
                        IllegalParameterException.class,
                        () -> estimator("y").setTraversalRegions(16).fit(data));
        assertTrue(
                regions.getMessage().contains("needs traversal int8 or int4"),
                regions.getMessage());
        assertFalse(Files.exists(dir.resolve("y")), "a refused build left a directory");
        assertThrows(IllegalArgumentException.class, () -> estimator("x").setTraversalRegions(-1));

        estimator("taken").fit(data);
        IllegalParameterException taken =
                assertThrows(IllegalParameterException.class, () -> estimator("taken").fit(data));
        assertTrue(taken.getMessage().contains("already holds"), taken.getMessage());
    }

    @Test
    void aManifestThatDoesNotMatchItsShardsIsRefused() throws Exception {
        Dataset<Row> data = frame(clustered(900, 8, 3, 6), 0);
        HnswmapSimilarityModel model = estimator("damaged").fit(data);
        Path manifest = dir.resolve("damaged").resolve(ShardManifest.FILE_NAME);
        String text = Files.readString(manifest, StandardCharsets.UTF_8);
        String changed = text.replaceFirst("shard\\.0\\.count=(\\d+)", "shard.0.count=1");
        assertTrue(!changed.equals(text));
        Files.writeString(manifest, changed, StandardCharsets.UTF_8);
        ShardCache.closeAll();
        String saved = saveAndPoint(model, "damaged");
        // Hadoop's local file system keeps a checksum beside the manifest: an edit is caught there.
        CorruptIndexException edited =
                assertThrows(CorruptIndexException.class, () -> HnswmapSimilarityModel.load(saved));
        assertTrue(edited.getMessage().contains("checksum"), edited.getMessage());
        // Without the checksum, the shard itself disagrees with the manifest.
        Files.delete(dir.resolve("damaged").resolve("._manifest.crc"));
        HnswmapSimilarityModel reopened = HnswmapSimilarityModel.load(saved);
        Exception e = assertThrows(Exception.class, () -> reopened.transform(data).count());
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof CorruptIndexException)) {
            root = root.getCause();
        }
        assertTrue(root instanceof CorruptIndexException, e.toString());
        assertTrue(root.getMessage().contains("manifest says 1"), root.getMessage());

        Files.delete(manifest);
        CorruptIndexException gone =
                assertThrows(
                        CorruptIndexException.class,
                        () ->
                                ShardManifest.read(
                                        spark().sparkContext().hadoopConfiguration(),
                                        new org.apache.hadoop.fs.Path(
                                                dir.resolve("damaged").toString())));
        assertTrue(gone.getMessage().contains("_manifest is missing"), gone.getMessage());
    }

    /** A model directory whose index is the damaged one: metadata saved, index linked in place. */
    private String saveAndPoint(HnswmapSimilarityModel model, String indexName) throws Exception {
        Path saved = dir.resolve("model-of-" + indexName);
        org.apache.spark.ml.util.DefaultParamsWriter.saveMetadata(model, saved.toString(), spark());
        Files.createSymbolicLink(saved.resolve("index"), dir.resolve(indexName));
        return saved.toString();
    }

    @Test
    void excludeSelfWithoutQueryIdsAndWrongQueryIdTypeAreRefused() {
        Dataset<Row> data = frame(clustered(300, 8, 3, 8), 0);
        HnswmapSimilarityModel model = estimator("q").fit(data);
        IllegalParameterException e =
                assertThrows(
                        IllegalParameterException.class,
                        () ->
                                model.copy(new org.apache.spark.ml.param.ParamMap())
                                        .setExcludeSelf(true)
                                        .transform(data));
        assertTrue(e.getMessage().contains("queryIdentifierCol"), e.getMessage());
        Dataset<Row> stringIds =
                frame(clustered(10, 8, 3, 8), 0, DataTypes.StringType, DataTypes.FloatType);
        IllegalParameterException t =
                assertThrows(
                        IllegalParameterException.class,
                        () ->
                                model.copy(new org.apache.spark.ml.param.ParamMap())
                                        .setQueryIdentifierCol("id")
                                        .transform(stringIds));
        assertTrue(t.getMessage().contains("string"), t.getMessage());
    }
}
