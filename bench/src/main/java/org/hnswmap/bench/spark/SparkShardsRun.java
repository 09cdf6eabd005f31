package org.hnswmap.bench.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hnswmap.bench.large.ClusteredRows;
import org.hnswmap.index.BatchSearchResult;
import org.hnswmap.index.BruteForceIndex;
import org.hnswmap.index.HnswIndex;
import org.hnswmap.index.IndexConfig;
import org.hnswmap.index.Space;
import org.hnswmap.spark.HnswmapSimilarity;
import org.hnswmap.spark.HnswmapSimilarityModel;
import org.hnswmap.tools.VectorFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sharded on Spark against one index on the same machine (issue 22's figures): the same clustered
 * rows ({@link ClusteredRows}, generated from the row number in any process) built once as one
 * hnswmap index on 2 threads and once as {@code --shards} shards by {@code HnswmapSimilarity} on
 * {@code local[2]}; searched by separate JVMs in turn, rounds alternating; and the time for a new
 * JVM to answer its first query from the existing files, which is what a new executor pays.
 *
 * <p>Run through {@code bench/spark-shards.sh}, which builds the class path (Spark is not in
 * benchmarks.jar) and passes the JVM flags Spark needs.
 */
@Command(
        name = "spark-shards",
        mixinStandardHelpOptions = true,
        subcommands = {
            Rounds.class,
            SparkShardsRun.BuildSingle.class,
            SparkShardsRun.BuildSpark.class,
            SparkShardsRun.Truth.class,
            SparkShardsRun.SearchSingle.class,
            SparkShardsRun.SearchSpark.class,
            SparkShardsRun.FirstQuery.class
        },
        description = "sharded hnswmap on Spark local[2] against one index on the same machine")
public final class SparkShardsRun {
    static final int K = 10;
    static final String SINGLE = "single";
    static final String SHARDS = "shards";
    static final String MODEL = "model";
    static final String TRUTH = "truth.ivecs";

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkShardsRun()).execute(args));
    }

    /** The data and build parameters, the same in every subcommand. */
    static class Data {
        @Option(names = "--dir", required = true, description = "work directory")
        Path dir;

        @Option(names = "--rows", defaultValue = "1000000")
        long rows;

        @Option(names = "--dimension", defaultValue = "128")
        int dimension;

        @Option(names = "--clusters", defaultValue = "1000")
        int clusters;

        @Option(names = "--spread", defaultValue = "0.15")
        double spread;

        @Option(names = "--seed", defaultValue = "42")
        long seed;

        @Option(names = "--queries", defaultValue = "5000")
        int queries;

        @Option(names = "--shards", defaultValue = "4")
        int shards;

        @Option(names = "--m", defaultValue = "16")
        int m;

        @Option(names = "--ef-construction", defaultValue = "200")
        int efConstruction;

        ClusteredRows generator() {
            return new ClusteredRows(dimension, clusters, spread, seed);
        }

        List<String> args() {
            return List.of(
                    "--dir", dir.toString(),
                    "--rows", Long.toString(rows),
                    "--dimension", Integer.toString(dimension),
                    "--clusters", Integer.toString(clusters),
                    "--spread", Double.toString(spread),
                    "--seed", Long.toString(seed),
                    "--queries", Integer.toString(queries),
                    "--shards", Integer.toString(shards),
                    "--m", Integer.toString(m),
                    "--ef-construction", Integer.toString(efConstruction));
        }
    }

    static SparkSession localSpark() {
        SparkSession spark =
                SparkSession.builder()
                        .master("local[2]")
                        .appName("hnswmap-spark-shards")
                        .config("spark.ui.enabled", "false")
                        .config("spark.sql.shuffle.partitions", "4")
                        .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    static Dataset<Row> frame(
            SparkSession spark, JavaRDD<Long> ids, ClusteredRows rows, boolean queries) {
        StructType schema =
                new StructType()
                        .add("id", DataTypes.LongType, false)
                        .add("features", new ArrayType(DataTypes.FloatType, false), false);
        JavaRDD<Row> data =
                ids.map(
                        id -> {
                            float[] v = queries ? rows.query((int) (long) id) : rows.row(id);
                            List<Object> values = new ArrayList<>(v.length);
                            for (float x : v) {
                                values.add(x);
                            }
                            return RowFactory.create(
                                    id,
                                    scala.jdk.javaapi.CollectionConverters.asScala(values).toSeq());
                        });
        return spark.createDataFrame(data, schema);
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Command(name = "build-single", description = "one index of all rows, 2 insert threads")
    static final class BuildSingle implements Callable<Integer> {
        @CommandLine.Mixin Data data;

        @Override
        public Integer call() {
            ClusteredRows gen = data.generator();
            long t0 = System.nanoTime();
            try (HnswIndex index =
                    HnswIndex.create(
                            data.dir.resolve(SINGLE),
                            IndexConfig.builder(Space.COSINE, data.dimension)
                                    .maxElements(data.rows)
                                    .m(data.m)
                                    .efConstruction(data.efConstruction)
                                    .build())) {
                int chunk = 10_000;
                for (long first = 0; first < data.rows; first += chunk) {
                    int n = (int) Math.min(chunk, data.rows - first);
                    long[] labels = new long[n];
                    for (int i = 0; i < n; i++) {
                        labels[i] = first + i;
                    }
                    index.addItems(gen.rows(first, n), labels, 2);
                }
                index.commit();
            }
            System.out.printf(Locale.ROOT, "BUILD single %.1f%n", seconds(t0));
            return 0;
        }
    }

    @Command(
            name = "build-spark",
            description = "--shards shards with HnswmapSimilarity on local[2]")
    static final class BuildSpark implements Callable<Integer> {
        @CommandLine.Mixin Data data;

        @Override
        public Integer call() throws IOException {
            SparkSession spark = localSpark();
            // Where the build's time goes, stage by stage (generation and shuffle, then shards).
            spark.sparkContext()
                    .addSparkListener(
                            new org.apache.spark.scheduler.SparkListener() {
                                @Override
                                public void onStageCompleted(
                                        org.apache.spark.scheduler.SparkListenerStageCompleted e) {
                                    var info = e.stageInfo();
                                    long ms =
                                            (long) info.completionTime().get()
                                                    - (long) info.submissionTime().get();
                                    System.out.printf(
                                            Locale.ROOT,
                                            "STAGE %d %s: %d tasks, %.1f s%n",
                                            info.stageId(),
                                            info.name().split(" at ")[0],
                                            info.numTasks(),
                                            ms / 1e3);
                                }
                            });
            ClusteredRows gen = data.generator();
            long t0 = System.nanoTime();
            JavaRDD<Long> ids = spark.range(0, data.rows, 1, 8).javaRDD().map(Long::valueOf);
            HnswmapSimilarityModel model =
                    new HnswmapSimilarity()
                            .setDistanceFunction("cosine")
                            .setNumPartitions(data.shards)
                            .setM(data.m)
                            .setEfConstruction(data.efConstruction)
                            .setK(K)
                            .setIndexPath(data.dir.resolve(SHARDS).toString())
                            .fit(frame(spark, ids, gen, false));
            double build = seconds(t0);
            long t1 = System.nanoTime();
            model.write().overwrite().save(data.dir.resolve(MODEL).toString());
            System.out.printf(
                    Locale.ROOT, "BUILD spark %.1f (model saved in %.1f s)%n", build, seconds(t1));
            spark.stop();
            return 0;
        }
    }

    @Command(name = "truth", description = "exact top-10 of the queries, brute force")
    static final class Truth implements Callable<Integer> {
        @CommandLine.Mixin Data data;

        @Override
        public Integer call() {
            ClusteredRows gen = data.generator();
            BruteForceIndex exact =
                    new BruteForceIndex(Space.COSINE, data.dimension, (int) data.rows);
            int chunk = 10_000;
            for (long first = 0; first < data.rows; first += chunk) {
                int n = (int) Math.min(chunk, data.rows - first);
                long[] labels = new long[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = first + i;
                }
                exact.addItems(gen.rows(first, n), labels);
            }
            BatchSearchResult r = exact.knnQuery(gen.queries(0, data.queries), K, 2);
            int[][] rows = new int[r.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = Arrays.stream(r.labels()[i]).mapToInt(l -> (int) l).toArray();
            }
            VectorFiles.writeIvecs(data.dir.resolve(TRUTH), rows);
            System.out.println("TRUTH " + rows.length);
            return 0;
        }
    }

    static double recall(long[][] found, int[][] truth) {
        double sum = 0;
        for (int q = 0; q < found.length; q++) {
            Set<Long> t = new HashSet<>();
            for (int x : truth[q]) {
                t.add((long) x);
            }
            int hits = 0;
            for (long l : found[q]) {
                if (t.contains(l)) {
                    hits++;
                }
            }
            sum += hits / (double) truth[q].length;
        }
        return sum / found.length;
    }

    static int[] efs(String list) {
        return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    @Command(name = "search-single", description = "the one index: 1 and 2 query threads per ef")
    static final class SearchSingle implements Callable<Integer> {
        @CommandLine.Mixin Data data;

        @Option(names = "--efs", defaultValue = "10,20,40,80,160")
        String efs;

        @Override
        public Integer call() {
            float[][] queries = data.generator().queries(0, data.queries);
            int[][] truth = VectorFiles.readIvecs(data.dir.resolve(TRUTH));
            try (HnswIndex index = HnswIndex.open(data.dir.resolve(SINGLE))) {
                index.knnQuery(Arrays.copyOf(queries, 500), K, 64, 2); // warm-up
                for (int ef : efs(efs)) {
                    long t0 = System.nanoTime();
                    long[][] found = new long[queries.length][];
                    for (int q = 0; q < queries.length; q++) {
                        found[q] = index.knnQuery(queries[q], K, Math.max(ef, K)).labels();
                    }
                    double one = queries.length / seconds(t0);
                    long t1 = System.nanoTime();
                    index.knnQuery(queries, K, Math.max(ef, K), 2);
                    double two = queries.length / seconds(t1);
                    System.out.printf(
                            Locale.ROOT,
                            "POINT single %d %.4f %.0f %.0f%n",
                            ef,
                            recall(found, truth),
                            one,
                            two);
                }
            }
            return 0;
        }
    }

    @Command(name = "search-spark", description = "the shards on local[2]: a transform per ef")
    static final class SearchSpark implements Callable<Integer> {
        @CommandLine.Mixin Data data;

        @Option(names = "--efs", defaultValue = "10,20,40,80,160")
        String efs;

        @Option(names = "--replicas", defaultValue = "1")
        int replicas;

        @Override
        public Integer call() {
            SparkSession spark = localSpark();
            int[][] truth = VectorFiles.readIvecs(data.dir.resolve(TRUTH));
            HnswmapSimilarityModel model =
                    HnswmapSimilarityModel.load(data.dir.resolve(MODEL).toString());
            JavaRDD<Long> ids = spark.range(0, data.queries, 1, 4).javaRDD().map(Long::valueOf);
            Dataset<Row> queries = frame(spark, ids, data.generator(), true).cache();
            queries.count();
            model.setK(K).setNumReplicas(replicas).setEf(64).transform(queries.limit(500)).count();
            for (int ef : efs(efs)) {
                long t0 = System.nanoTime();
                List<Row> rows =
                        model.setEf(ef)
                                .transform(queries)
                                .select("id", "prediction")
                                .collectAsList();
                double qps = data.queries / seconds(t0);
                long[][] found = new long[data.queries][];
                for (Row r : rows) {
                    List<Row> n = r.getList(1);
                    found[(int) r.getLong(0)] = n.stream().mapToLong(x -> x.getLong(0)).toArray();
                }
                System.out.printf(
                        Locale.ROOT, "POINT spark %d %.4f %.0f%n", ef, recall(found, truth), qps);
            }
            spark.stop();
            return 0;
        }
    }

    @Command(
            name = "first-query",
            description = "a new JVM: open the existing files, answer one query; ms from JVM start")
    static final class FirstQuery implements Callable<Integer> {
        @CommandLine.Mixin Data data;

        @Option(names = "--system", required = true, description = "single or spark")
        String system;

        @Override
        public Integer call() {
            Instant start = ProcessHandle.current().info().startInstant().orElseThrow();
            float[] query = data.generator().query(0);
            long t0 = System.nanoTime();
            long first;
            if (system.equals("single")) {
                try (HnswIndex index = HnswIndex.open(data.dir.resolve(SINGLE))) {
                    first = index.knnQuery(query, K, 64).labels()[0];
                }
            } else {
                SparkSession spark = localSpark();
                double session = seconds(t0);
                long t1 = System.nanoTime();
                HnswmapSimilarityModel model =
                        HnswmapSimilarityModel.load(data.dir.resolve(MODEL).toString());
                double load = seconds(t1);
                long t2 = System.nanoTime();
                JavaRDD<Long> ids = spark.range(0, 1, 1, 1).javaRDD().map(Long::valueOf);
                Row r =
                        model.setK(K)
                                .setEf(64)
                                .transform(frame(spark, ids, data.generator(), true))
                                .select("prediction")
                                .first();
                first = ((Row) r.getList(0).get(0)).getLong(0);
                System.out.printf(
                        Locale.ROOT,
                        "PARTS session %.0f load %.0f transform %.0f%n",
                        session * 1000,
                        load * 1000,
                        seconds(t2) * 1000);
            }
            long sinceStart = Duration.between(start, Instant.now()).toMillis();
            System.out.printf(
                    Locale.ROOT,
                    "FIRST %s %d %.0f (nearest %d)%n",
                    system,
                    sinceStart,
                    seconds(t0) * 1000,
                    first);
            return 0;
        }
    }
}
