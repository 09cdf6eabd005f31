package org.hnswmap.spark;

import static org.hnswmap.spark.SparkTestSupport.clustered;
import static org.hnswmap.spark.SparkTestSupport.frame;
import static org.hnswmap.spark.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hnswmap.index.BruteForceIndex;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.SearchResult;
import org.hnswmap.index.Space;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build, search, tune and persist a sharded index on local Spark, against brute force. */
class HnswmapSimilarityTest {
    static final int N = 20_000;
    static final int DIM = 32;
    static final int QUERIES = 300;
    static final int K = 10;

    @TempDir static Path dir;

    static float[][] items;
    static float[][] queries;
    static HnswmapSimilarityModel model;
    static BruteForceSimilarityModel exact;

    @BeforeAll
    static void build() {
        items = clustered(N, DIM, 40, 1);
        queries = clustered(QUERIES, DIM, 40, 1); // same centres, other noise draws below
        float[][] noise = clustered(QUERIES, DIM, 40, 2);
        for (int i = 0; i < QUERIES; i++) {
            for (int d = 0; d < DIM; d++) {
                queries[i][d] = items[i * 7][d] + 0.3f * (noise[i][d] - Math.round(noise[i][d]));
            }
        }
        Dataset<Row> data = frame(items, 0);
        model =
                new HnswmapSimilarity()
                        .setDistanceFunction("cosine")
                        .setNumPartitions(4)
                        .setM(16)
                        .setEfConstruction(100)
                        .setEf(64)
                        .setK(K)
                        .setIndexPath(dir.resolve("hnsw").toString())
                        .fit(data);
        exact =
                new BruteForceSimilarity()
                        .setDistanceFunction("cosine")
                        .setNumPartitions(2)
                        .setK(K)
                        .setIndexPath(dir.resolve("exact").toString())
                        .fit(data);
    }

    @AfterAll
    static void close() {
        ShardCache.closeAll();
    }

    static Dataset<Row> queryFrame() {
        return frame(queries, 1_000_000);
    }

    @Test
    void shardedSearchReachesRecallAgainstBruteForceAndMatchesOneMachine() {
        assertEquals(4, model.numShards());
        assertEquals(N, model.size());
        Dataset<Row> approx =
                model.copy(new org.apache.spark.ml.param.ParamMap())
                        .setPredictionCol("approximateNeighbors")
                        .transform(queryFrame());
        Dataset<Row> truth = exact.setPredictionCol("exactNeighbors").transform(queryFrame());
        Dataset<Row> joined =
                approx.select("id", "approximateNeighbors")
                        .join(truth.select("id", "exactNeighbors"), "id");
        assertEquals(QUERIES, joined.count());
        double recall = new KnnSimilarityEvaluator().evaluate(joined);
        assertTrue(recall >= 0.95, "recall@10 " + recall);

        // The exact twin answers what one brute-force index over all rows answers.
        BruteForceIndex all = new BruteForceIndex(Space.COSINE, DIM, N);
        for (int i = 0; i < N; i++) {
            all.addItem(items[i], i);
        }
        Map<Long, List<Row>> byId = new HashMap<>();
        for (Row r : truth.select("id", "exactNeighbors").collectAsList()) {
            byId.put(r.getLong(0), r.getList(1));
        }
        for (int q = 0; q < QUERIES; q += 37) {
            SearchResult expected = all.knnQuery(queries[q], K);
            List<Row> got = byId.get(1_000_000L + q);
            assertEquals(K, got.size());
            for (int j = 0; j < K; j++) {
                assertEquals(expected.distances()[j], got.get(j).getFloat(1), 1e-5f);
            }
        }
    }

    @Test
    void eachShardIsAPlainHnswmapIndex() throws Exception {
        long total = 0;
        try (Stream<Path> shards = Files.list(dir.resolve("hnsw"))) {
            for (Path shard :
                    shards.filter(p -> p.getFileName().toString().startsWith("shard-")).toList()) {
                try (HnswIndex index = HnswIndex.open(shard)) {
                    assertTrue(index.verify().isEmpty(), shard + ": " + index.verify());
                    assertEquals(DIM, index.dimension());
                    total += index.size();
                    long label = index.getIdsList()[0];
                    assertEquals(label, index.knnQuery(index.getItem(label), 1).labels()[0]);
                }
            }
        }
        assertEquals(N, total);
        assertFalse(Files.exists(dir.resolve("hnsw").resolve(ShardCommitter.ATTEMPTS)));
        assertTrue(Files.exists(dir.resolve("hnsw").resolve(ShardManifest.FILE_NAME)));
    }

    @Test
    void excludeSelfAndDistanceThreshold() {
        Dataset<Row> self = frame(java.util.Arrays.copyOf(items, 50), 0);
        List<Row> rows =
                model.copy(new org.apache.spark.ml.param.ParamMap())
                        .setQueryIdentifierCol("id")
                        .setExcludeSelf(true)
                        .setPredictionCol("n")
                        .transform(self)
                        .select("id", "n")
                        .collectAsList();
        assertEquals(50, rows.size());
        for (Row r : rows) {
            List<Row> n = r.getList(1);
            assertEquals(K, n.size());
            for (Row x : n) {
                assertTrue(x.getLong(0) != r.getLong(0), "self in " + r);
            }
        }
        List<Row> close =
                model.copy(new org.apache.spark.ml.param.ParamMap())
                        .setDistanceThreshold(1e-4)
                        .setPredictionCol("n")
                        .transform(self)
                        .select("id", "n")
                        .collectAsList();
        for (Row r : close) {
            List<Row> n = r.getList(1);
            assertEquals(1, n.size(), "only itself is that close: " + r);
            assertEquals(r.getLong(0), n.get(0).getLong(0));
        }
    }

    @Test
    void efTunesRecallAndReplicasChangeNothingButTasks() {
        Dataset<Row> truth =
                exact.setPredictionCol("exactNeighbors")
                        .transform(queryFrame())
                        .select("id", "exactNeighbors");
        double low = recallAt(2, 1, truth);
        double high = recallAt(64, 3, truth);
        assertTrue(low < high, "ef 2 " + low + " vs ef 64 " + high);
        assertTrue(high >= 0.95, "ef 64 with 3 replicas " + high);
    }

    @Test
    void disposeClosesTheShardsAndTheNextSearchReopensThem() {
        Dataset<Row> q = frame(java.util.Arrays.copyOf(queries, 20), 7_000_000);
        HnswmapSimilarityModel m =
                model.copy(new org.apache.spark.ml.param.ParamMap()).setPredictionCol("n");
        List<Row> before = m.transform(q).select("id", "n").orderBy("id").collectAsList();
        m.dispose();
        assertEquals(before, m.transform(q).select("id", "n").orderBy("id").collectAsList());
    }

    private static double recallAt(int ef, int replicas, Dataset<Row> truth) {
        HnswmapSimilarityModel m =
                model.copy(new org.apache.spark.ml.param.ParamMap())
                        .setEf(ef)
                        .setK(K)
                        .setNumReplicas(replicas)
                        .setPredictionCol("approximateNeighbors");
        Dataset<Row> joined =
                m.transform(queryFrame()).select("id", "approximateNeighbors").join(truth, "id");
        return new KnnSimilarityEvaluator().evaluate(joined);
    }

    @Test
    void saveAndLoadRoundTrip() throws Exception {
        String path = dir.resolve("saved-model").toString();
        HnswmapSimilarityModel saved =
                model.copy(new org.apache.spark.ml.param.ParamMap())
                        .setPredictionCol("n")
                        .setEf(48);
        saved.write().overwrite().save(path);
        HnswmapSimilarityModel loaded = HnswmapSimilarityModel.load(path);
        assertEquals(saved.uid(), loaded.uid());
        assertEquals(48, (int) (Integer) loaded.getOrDefault(loaded.ef()));
        assertEquals(N, loaded.size());
        assertTrue(loaded.indexPath().endsWith("saved-model/index"), loaded.indexPath());
        Dataset<Row> q = frame(java.util.Arrays.copyOf(queries, 40), 5_000_000);
        List<Row> a = saved.transform(q).select("id", "n").orderBy("id").collectAsList();
        List<Row> b = loaded.transform(q).select("id", "n").orderBy("id").collectAsList();
        assertEquals(a, b);

        String estimatorPath = dir.resolve("saved-estimator").toString();
        HnswmapSimilarity estimator = new HnswmapSimilarity().setM(24).setNumPartitions(7);
        estimator.save(estimatorPath);
        HnswmapSimilarity again = HnswmapSimilarity.load(estimatorPath);
        assertEquals(24, (int) (Integer) again.getOrDefault(again.m()));
        assertEquals(7, (int) (Integer) again.getOrDefault(again.numPartitions()));

        // In an ML pipeline: the fitted pipeline saves and loads with its hnswmap stage.
        org.apache.spark.ml.Pipeline pipeline =
                new org.apache.spark.ml.Pipeline()
                        .setStages(
                                new org.apache.spark.ml.PipelineStage[] {
                                    new HnswmapSimilarity()
                                            .setNumPartitions(2)
                                            .setK(3)
                                            .setPredictionCol("n")
                                            .setIndexPath(dir.resolve("pipeline-index").toString())
                                });
        org.apache.spark.ml.PipelineModel fitted =
                pipeline.fit(frame(java.util.Arrays.copyOf(items, 1_000), 0));
        String pipelinePath = dir.resolve("saved-pipeline").toString();
        fitted.write().overwrite().save(pipelinePath);
        org.apache.spark.ml.PipelineModel reloaded =
                org.apache.spark.ml.PipelineModel.load(pipelinePath);
        assertTrue(reloaded.stages()[0] instanceof HnswmapSimilarityModel);
        assertEquals(
                fitted.transform(q).select("id", "n").orderBy("id").collectAsList(),
                reloaded.transform(q).select("id", "n").orderBy("id").collectAsList());

        String exactPath = dir.resolve("saved-exact").toString();
        exact.save(exactPath);
        assertEquals(N, BruteForceSimilarityModel.load(exactPath).size());
    }

    /**
     * Traversal regions reach every shard, learnt from the shard's first rows: 4-bit residual codes
     * on clustered data, each item finding itself at distance 0.
     */
    @Test
    void traversalRegionsReachEveryShard() throws Exception {
        float[][] small = java.util.Arrays.copyOf(items, 3_000);
        HnswmapSimilarityModel regions =
                new HnswmapSimilarity()
                        .setNumPartitions(2)
                        .setK(1)
                        .setDistanceFunction("cosine")
                        .setTraversal("int4")
                        .setTraversalRegions(16)
                        .setIndexPath(dir.resolve("regions").toString())
                        .fit(frame(small, 0));
        int shardCount = 0;
        for (Path shard : shardDirectories(dir.resolve("regions"))) {
            shardCount++;
            try (HnswIndex index = HnswIndex.open(shard)) {
                assertEquals(16, index.traversalRegions(), shard.toString());
                assertTrue(index.int4Traversal(), shard.toString());
                assertTrue(index.verify().isEmpty(), shard + ": " + index.verify());
            }
        }
        assertEquals(2, shardCount);
        List<Row> rows =
                regions.setEf(32)
                        .transform(frame(java.util.Arrays.copyOf(small, 50), 0))
                        .select("id", "prediction")
                        .collectAsList();
        for (Row r : rows) {
            Row nearest = r.<Row>getList(1).get(0);
            assertEquals(r.getLong(0), nearest.getLong(0));
            assertEquals(0f, nearest.getFloat(1), 1e-5f);
        }
        regions.dispose();
    }

    /** The shard directories under an index path (string ids add a file beside each shard). */
    private static List<Path> shardDirectories(Path index) throws java.io.IOException {
        try (Stream<Path> entries = Files.list(index)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("shard-"))
                    .filter(Files::isDirectory)
                    .toList();
        }
    }

    /** The traversal parameter reaches every shard: 4-bit codes, searched with exact distances. */
    @Test
    void int4TraversalBuildsShardsWithFourBitCodes() throws Exception {
        float[][] small = java.util.Arrays.copyOf(items, 2_000);
        HnswmapSimilarityModel model =
                new HnswmapSimilarity()
                        .setNumPartitions(2)
                        .setK(1)
                        .setDistanceFunction("l2")
                        .setTraversal("int4")
                        .setIndexPath(dir.resolve("int4").toString())
                        .fit(frame(small, 0, DataTypes.StringType, DataTypes.FloatType));
        int shardCount = 0;
        for (Path shard : shardDirectories(dir.resolve("int4"))) {
            shardCount++;
            try (HnswIndex index = HnswIndex.open(shard)) {
                assertTrue(index.int4Traversal(), shard.toString());
                assertTrue(index.verify().isEmpty(), shard + ": " + index.verify());
            }
        }
        assertEquals(2, shardCount);
        List<Row> rows =
                model.transform(
                                frame(
                                        java.util.Arrays.copyOf(small, 20),
                                        0,
                                        DataTypes.StringType,
                                        DataTypes.FloatType))
                        .select("id", "prediction")
                        .collectAsList();
        for (Row r : rows) {
            Row nearest = r.<Row>getList(1).get(0);
            assertEquals(r.getString(0), nearest.getString(0));
            assertEquals(0f, nearest.getFloat(1), 1e-5f);
        }
        model.dispose();
    }

    @Test
    void stringAndIntIdsDoubleArraysAndMlVectors() {
        float[][] small = java.util.Arrays.copyOf(items, 2_000);
        HnswmapSimilarityModel strings =
                new HnswmapSimilarity()
                        .setNumPartitions(3)
                        .setK(3)
                        .setDistanceFunction("l2")
                        .setIndexPath(dir.resolve("strings").toString())
                        .fit(frame(small, 0, DataTypes.StringType, DataTypes.DoubleType));
        List<Row> rows =
                strings.setQueryIdentifierCol("id")
                        .setExcludeSelf(true)
                        .transform(
                                frame(
                                        java.util.Arrays.copyOf(small, 20),
                                        0,
                                        DataTypes.StringType,
                                        DataTypes.DoubleType))
                        .select("id", "prediction")
                        .collectAsList();
        assertEquals(20, rows.size());
        for (Row r : rows) {
            List<Row> n = r.getList(1);
            assertEquals(3, n.size());
            assertTrue(n.get(0).getString(0).startsWith("item-"));
            assertFalse(n.stream().anyMatch(x -> x.getString(0).equals(r.getString(0))));
        }

        HnswmapSimilarityModel ints =
                new HnswmapSimilarity()
                        .setNumPartitions(2)
                        .setK(1)
                        .setDistanceFunction("l2")
                        .setIndexPath(dir.resolve("ints").toString())
                        .fit(frame(small, 0, DataTypes.IntegerType, DataTypes.FloatType));
        // ML Vectors as queries: each item finds itself at distance 0.
        StructType schema =
                new StructType().add("qid", DataTypes.IntegerType).add("v", new VectorUDT());
        List<Row> mlRows = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            double[] d = new double[DIM];
            for (int j = 0; j < DIM; j++) {
                d[j] = small[i][j];
            }
            mlRows.add(RowFactory.create(i, Vectors.dense(d)));
        }
        List<Row> found =
                ints.setFeaturesCol("v")
                        .transform(spark().createDataFrame(mlRows, schema))
                        .select("qid", "prediction")
                        .collectAsList();
        for (Row r : found) {
            Row nearest = (Row) r.getList(1).get(0);
            assertEquals((long) r.getInt(0), nearest.getLong(0));
            assertEquals(0f, nearest.getFloat(1), 1e-3f);
        }
    }
}
