package org.hnswmap.spark.example;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.hnswmap.spark.BruteForceSimilarity;
import org.hnswmap.spark.BruteForceSimilarityModel;
import org.hnswmap.spark.HnswmapSimilarity;
import org.hnswmap.spark.HnswmapSimilarityModel;
import org.hnswmap.spark.KnnSimilarityEvaluator;

/**
 * README "On Spark", the Java example: build shards, search them, tune ef against the exact twin.
 * Runs as a Spark application ({@code spark-submit --class
 * org.hnswmap.spark.example.SparkQuickStart ... items.parquet queries.parquet /path/of/index}) and
 * from {@code SparkQuickStartTest}.
 */
public final class SparkQuickStart {
    private SparkQuickStart() {}

    public static void main(String[] args) throws java.io.IOException {
        SparkSession spark = SparkSession.builder().appName("hnswmap quick start").getOrCreate();
        if (args.length == 1) {
            Dataset<Row> items =
                    spark.sql(
                            "SELECT id, transform(sequence(1, 32), d -> CAST(sin((id % 997 + 1) * d)"
                                    + " + 0.01 * sin(id * d * 7) AS FLOAT)) AS features"
                                    + " FROM range(20000)");
            run(items, items.limit(500), args[0]);
        } else {
            run(spark.read().parquet(args[0]), spark.read().parquet(args[1]), args[2]);
        }
        spark.stop();
    }

    /** Items and queries: columns {@code id} (long) and {@code features} (array of float). */
    public static double run(Dataset<Row> items, Dataset<Row> queries, String indexPath)
            throws java.io.IOException {
        // README snippet start
        HnswmapSimilarityModel model =
                new HnswmapSimilarity()
                        .setIdentifierCol("id")
                        .setFeaturesCol("features")
                        .setDistanceFunction("cosine")
                        .setNumPartitions(4) // four shards, built in parallel
                        .setM(16)
                        .setEfConstruction(200)
                        .setK(10)
                        .setIndexPath(indexPath) // hdfs://, s3a:// or a local path
                        .fit(items);
        Dataset<Row> neighbours = model.setEf(64).transform(queries); // adds "prediction"
        neighbours.select(col("id"), col("prediction").getItem(0).getField("neighbor")).show(3);

        // Tune ef against the exact twin, as `hnswmap tune` does on one machine.
        BruteForceSimilarityModel exact =
                new BruteForceSimilarity()
                        .setDistanceFunction("cosine")
                        .setNumPartitions(4)
                        .setK(10)
                        .setIndexPath(indexPath + "-exact")
                        .fit(items);
        Dataset<Row> truth =
                exact.setPredictionCol("exactNeighbors")
                        .transform(queries)
                        .select("id", "exactNeighbors");
        double recall = 0;
        for (int ef : new int[] {10, 20, 40, 80}) {
            Dataset<Row> approximate =
                    model.setEf(ef).setPredictionCol("approximateNeighbors").transform(queries);
            recall =
                    new KnnSimilarityEvaluator()
                            .evaluate(
                                    approximate
                                            .select("id", "approximateNeighbors")
                                            .join(truth, "id"));
            System.out.printf("ef %d: recall@10 %.4f%n", ef, recall);
        }
        model.write().overwrite().save(indexPath + "-model"); // a copy; HnswmapSimilarityModel.load
        // README snippet end
        return recall;
    }
}
