package org.hnswmap.spark.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hnswmap.spark.HnswmapSimilarityModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example runs, through parquet files as a user's job reads them. */
class SparkQuickStartTest {
    @TempDir Path dir;

    @Test
    void readmeExampleRunsAndReachesRecall() throws Exception {
        SparkSession spark =
                SparkSession.builder()
                        .master("local[2,2]")
                        .config("spark.ui.enabled", "false")
                        .getOrCreate();
        write(spark, 8_000, 1, dir.resolve("items.parquet"));
        write(spark, 200, 2, dir.resolve("queries.parquet"));
        double recall =
                SparkQuickStart.run(
                        spark.read().parquet(dir.resolve("items.parquet").toString()),
                        spark.read().parquet(dir.resolve("queries.parquet").toString()),
                        dir.resolve("index").toString());
        assertTrue(recall >= 0.95, "recall@10 at ef 80: " + recall);
        assertTrue(
                HnswmapSimilarityModel.load(dir.resolve("index-model").toString()).size() == 8_000);
    }

    private static void write(SparkSession spark, int n, long seed, Path file) {
        SplittableRandom centres = new SplittableRandom(7);
        float[][] c = new float[20][24];
        for (float[] x : c) {
            for (int d = 0; d < x.length; d++) {
                x[d] = (float) centres.nextDouble(-1, 1);
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] centre = c[r.nextInt(c.length)];
            List<Object> v = new ArrayList<>();
            for (float x : centre) {
                v.add(x + (float) r.nextDouble(-0.3, 0.3));
            }
            rows.add(
                    RowFactory.create(
                            seed * 1_000_000 + i,
                            scala.jdk.javaapi.CollectionConverters.asScala(v).toSeq()));
        }
        StructType schema =
                new StructType()
                        .add("id", DataTypes.LongType, false)
                        .add("features", new ArrayType(DataTypes.FloatType, false), false);
        spark.createDataFrame(rows, schema).write().parquet(file.toString());
    }
}
