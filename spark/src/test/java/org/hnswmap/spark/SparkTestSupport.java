package org.hnswmap.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A shared local Spark session and generated data for the tests of this package. */
final class SparkTestSupport {
    private static SparkSession session;

    private SparkTestSupport() {}

    /**
     * {@code local[2,2]}: two task threads, and a failed task is tried once more (what a cluster
     * does), which the retry test relies on.
     */
    static synchronized SparkSession spark() {
        if (session == null) {
            session =
                    SparkSession.builder()
                            .master("local[2,2]")
                            .appName("hnswmap-spark-tests")
                            .config("spark.ui.enabled", "false")
                            .config("spark.sql.shuffle.partitions", "4")
                            .getOrCreate();
        }
        return session;
    }

    /**
     * {@code n} rows of a Gaussian mixture of {@code clusters} centres in {@code dim} dimensions.
     */
    static float[][] clustered(int n, int dim, int clusters, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int d = 0; d < dim; d++) {
                c[d] = (float) (r.nextDouble() * 2 - 1);
            }
        }
        float[][] rows = new float[n][dim];
        for (int i = 0; i < n; i++) {
            float[] c = centres[r.nextInt(clusters)];
            for (int d = 0; d < dim; d++) {
                rows[i][d] = c[d] + (float) (gaussian(r) * 0.25);
            }
        }
        return rows;
    }

    private static double gaussian(SplittableRandom r) {
        double u = Math.max(1e-12, r.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** A DataFrame (id long, features array<float>) with ids {@code firstId, firstId + 1, ...}. */
    static Dataset<Row> frame(float[][] rows, long firstId) {
        return frame(rows, firstId, DataTypes.LongType, DataTypes.FloatType);
    }

    /** As {@link #frame(float[][], long)} with the id type (long, int, string) and element type. */
    static Dataset<Row> frame(float[][] rows, long firstId, DataType idType, DataType elementType) {
        List<Row> list = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            long id = firstId + i;
            Object idValue =
                    idType.equals(DataTypes.StringType)
                            ? "item-" + id
                            : idType.equals(DataTypes.IntegerType) ? (Object) (int) id : id;
            list.add(RowFactory.create(idValue, values(rows[i], elementType)));
        }
        StructType schema =
                new StructType()
                        .add("id", idType, false)
                        .add("features", new ArrayType(elementType, false), true);
        return spark().createDataFrame(list, schema).repartition(3);
    }

    static scala.collection.immutable.Seq<Object> values(float[] v, DataType elementType) {
        if (v == null) {
            return null;
        }
        List<Object> out = new ArrayList<>(v.length);
        for (float x : v) {
            out.add(elementType.equals(DataTypes.DoubleType) ? (Object) (double) x : x);
        }
        return scala.jdk.javaapi.CollectionConverters.asScala(out).toSeq();
    }
}
