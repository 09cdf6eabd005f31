package org.hnswmap.spark;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.hnswmap.error.HnswmapException;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.error.IndexIOException;
import org.hnswmap.index.Space;
import scala.Tuple2;

/**
 * What {@link HnswmapSimilarity} and {@link BruteForceSimilarity} share: the columns, the query
 * parameters they hand to their model, and the sharded build. A subclass says what kind of shard it
 * writes and builds its model.
 *
 * <p>The build hash-partitions the rows by id into {@code numPartitions} partitions (so a repeated
 * id lands in one shard, where it is refused), writes one shard per partition on the executors,
 * then commits on the driver ({@link ShardCommitter}).
 */
public abstract class KnnEstimator<M extends KnnModel<M>, E extends KnnEstimator<M, E>>
        extends Estimator<M> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> identifierCol;
    private final Param<String> queryIdentifierCol;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final IntParam k;
    private final IntParam numPartitions;
    private final IntParam numReplicas;
    private final BooleanParam excludeSelf;
    private final DoubleParam distanceThreshold;
    private final Param<String> distanceFunction;
    private final Param<String> indexPath;

    protected KnnEstimator(String uid) {
        this.uid = uid;
        identifierCol =
                new Param<>(this, "identifierCol", "column of the ids (long, int or string)");
        queryIdentifierCol = KnnParams.queryIdentifierCol(this);
        featuresCol = KnnParams.featuresCol(this);
        predictionCol = KnnParams.predictionCol(this);
        k = KnnParams.k(this);
        numReplicas = KnnParams.numReplicas(this);
        excludeSelf = KnnParams.excludeSelf(this);
        distanceThreshold = KnnParams.distanceThreshold(this);
        numPartitions =
                new IntParam(this, "numPartitions", "shards to build", ParamValidators.gtEq(1));
        distanceFunction =
                new Param<>(this, "distanceFunction", "l2, ip or cosine, as hnswlib names them");
        indexPath =
                new Param<>(
                        this,
                        "indexPath",
                        "directory of the shards, on any Hadoop file system every executor reads");
        setDefault(identifierCol, "id");
        setDefault(numPartitions, 1);
        setDefault(distanceFunction, "cosine");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> identifierCol() {
        return identifierCol;
    }

    public Param<String> queryIdentifierCol() {
        return queryIdentifierCol;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public IntParam k() {
        return k;
    }

    public IntParam numPartitions() {
        return numPartitions;
    }

    public IntParam numReplicas() {
        return numReplicas;
    }

    public BooleanParam excludeSelf() {
        return excludeSelf;
    }

    public DoubleParam distanceThreshold() {
        return distanceThreshold;
    }

    public Param<String> distanceFunction() {
        return distanceFunction;
    }

    public Param<String> indexPath() {
        return indexPath;
    }

    @SuppressWarnings("unchecked")
    private E with(Param<?> p, Object v) {
        set((Param<Object>) p, v);
        return (E) this;
    }

    public E setIdentifierCol(String v) {
        return with(identifierCol, v);
    }

    public E setQueryIdentifierCol(String v) {
        return with(queryIdentifierCol, v);
    }

    public E setFeaturesCol(String v) {
        return with(featuresCol, v);
    }

    public E setPredictionCol(String v) {
        return with(predictionCol, v);
    }

    public E setK(int v) {
        return with(k, v);
    }

    public E setNumPartitions(int v) {
        return with(numPartitions, v);
    }

    public E setNumReplicas(int v) {
        return with(numReplicas, v);
    }

    public E setExcludeSelf(boolean v) {
        return with(excludeSelf, v);
    }

    public E setDistanceThreshold(double v) {
        return with(distanceThreshold, v);
    }

    public E setDistanceFunction(String v) {
        Space.parse(v);
        return with(distanceFunction, v);
    }

    public E setIndexPath(String v) {
        return with(indexPath, v);
    }

    /** {@link ShardManifest#HNSW} or {@link ShardManifest#BRUTE_FORCE}. */
    protected abstract String shardKind();

    /** The spec of one shard's build; {@code base} has the fields every kind uses. */
    protected abstract ShardSpec shardSpec(ShardSpec base);

    /** The model over a committed index. */
    protected abstract M newModel(String indexPath, ShardManifest manifest);

    /** Checks the id and vector columns; the build adds no column. */
    @Override
    public StructType transformSchema(StructType schema) {
        idType(schema);
        VectorColumn.of(schema, getOrDefault(featuresCol));
        return schema;
    }

    private IdType idType(StructType schema) {
        String idCol = getOrDefault(identifierCol);
        return IdType.of(
                idCol,
                schema.fields()[VectorColumn.fieldIndex(schema, idCol, "identifier")].dataType());
    }

    @Override
    public M fit(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        transformSchema(schema);
        SparkSession spark = dataset.sparkSession();
        String idCol = getOrDefault(identifierCol);
        String vecCol = getOrDefault(featuresCol);
        IdType idType = idType(schema);
        Space space = Space.parse(getOrDefault(distanceFunction));
        Dataset<Row> selected = dataset.toDF().select(idCol, vecCol);
        String path = resolveIndexPath(spark);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path root = new Path(path);
        FileSystem fs;
        try {
            fs = root.getFileSystem(conf);
        } catch (IOException e) {
            throw new IndexIOException("could not reach " + path + ": " + e.getMessage(), e);
        }
        String qualified = fs.makeQualified(root).toString();
        ShardSpec spec =
                shardSpec(
                        new ShardSpec(
                                shardKind(),
                                qualified,
                                space,
                                idType,
                                idCol,
                                VectorColumn.of(selected.schema(), vecCol),
                                0,
                                0,
                                0,
                                "float32",
                                0,
                                0,
                                HadoopConf.broadcast(spark, conf)));
        ShardCommitter.prepare(fs, root);
        List<ShardWriter.Result> results;
        try {
            VectorColumn vectors = spec.vectors();
            // Rows become (id, float[]) before the shuffle: a primitive array serializes in one
            // write, a Row's array column as one boxed object per component (measured in
            // bench/RESULTS.md, 2026-12-05).
            results =
                    selected.javaRDD()
                            .mapToPair(
                                    r -> {
                                        Object id = idOf(r);
                                        return new Tuple2<>(id, vectors.read(r, id));
                                    })
                            .partitionBy(new HashPartitioner((Integer) getOrDefault(numPartitions)))
                            .mapPartitionsWithIndex(
                                    (p, it) -> ShardWriter.write(spec, p, it), false)
                            .collect();
        } catch (Exception e) {
            // Spark reports a failed task as a checked SparkException that javac cannot name here.
            ShardCommitter.abort(fs, root);
            throw unwrap(e);
        }
        ShardManifest manifest =
                ShardCommitter.commit(fs, root, shardKind(), space, idType, results);
        return copyValues(newModel(qualified, manifest), ParamMap.empty()).setParent(this);
    }

    private static Object idOf(Row row) {
        if (row.isNullAt(0)) {
            throw new org.hnswmap.error.InvalidVectorException(
                    "a row has a null id (its vector is " + row.get(1) + ")");
        }
        return row.get(0) instanceof Integer i ? (Object) (long) i : row.get(0);
    }

    /** The index path; in local mode one under the temp directory when none is set. */
    private String resolveIndexPath(SparkSession spark) {
        if (isDefined(indexPath)) {
            return getOrDefault(indexPath);
        }
        if (spark.sparkContext().isLocal()) {
            return new java.io.File(
                            System.getProperty("java.io.tmpdir"),
                            "hnswmap-" + uid + "-" + UUID.randomUUID())
                    .getAbsolutePath();
        }
        throw new IllegalParameterException(
                "indexPath is not set: on a cluster the shards need a directory every executor"
                        + " can read (hdfs://..., s3a://..., or a shared mount)");
    }

    /**
     * The engine's own exception when a task failed with one, so that a user sees {@code
     * DimensionMismatchException: ...} rather than Spark's job-abort wrapper.
     */
    static RuntimeException unwrap(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HnswmapException h) {
                return h;
            }
        }
        return KnnEstimator.<RuntimeException>rethrow(e);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Exception> T rethrow(Exception e) throws T {
        throw (T) e;
    }

    @Override
    public E copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
