package org.hnswmap.spark;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.hnswmap.error.IllegalParameterException;
import org.hnswmap.error.IndexIOException;

/**
 * What {@link HnswmapSimilarityModel} and {@link BruteForceSimilarityModel} share: a sharded index
 * on a Hadoop path, the query parameters, {@code transform} through {@link ShardedSearch}, and
 * save/load. A saved model is self-contained: {@code save} writes Spark ML's metadata and copies
 * the shards under {@code <path>/index}, so the model can be moved or its build path deleted.
 */
public abstract class KnnModel<M extends KnnModel<M>> extends Model<M> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final String indexPath;
    private final ShardManifest manifest;
    private final Param<String> queryIdentifierCol;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final IntParam k;
    private final IntParam numReplicas;
    private final BooleanParam excludeSelf;
    private final DoubleParam distanceThreshold;

    protected KnnModel(String uid, String indexPath, ShardManifest manifest) {
        this.uid = uid;
        this.indexPath = indexPath;
        this.manifest = manifest;
        queryIdentifierCol = KnnParams.queryIdentifierCol(this);
        featuresCol = KnnParams.featuresCol(this);
        predictionCol = KnnParams.predictionCol(this);
        k = KnnParams.k(this);
        numReplicas = KnnParams.numReplicas(this);
        excludeSelf = KnnParams.excludeSelf(this);
        distanceThreshold = KnnParams.distanceThreshold(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The directory of the shards this model searches. */
    public String indexPath() {
        return indexPath;
    }

    /** How many shards the index has (partitions that held rows). */
    public int numShards() {
        return manifest.shards().size();
    }

    /** How many elements the shards hold together. */
    public long size() {
        return manifest.totalCount();
    }

    /** The dimension of the indexed vectors. */
    public int dimension() {
        return manifest.dimension();
    }

    ShardManifest manifest() {
        return manifest;
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

    public IntParam numReplicas() {
        return numReplicas;
    }

    public BooleanParam excludeSelf() {
        return excludeSelf;
    }

    public DoubleParam distanceThreshold() {
        return distanceThreshold;
    }

    @SuppressWarnings("unchecked")
    protected M with(Param<?> p, Object v) {
        set((Param<Object>) p, v);
        return (M) this;
    }

    public M setQueryIdentifierCol(String v) {
        return with(queryIdentifierCol, v);
    }

    public M setFeaturesCol(String v) {
        return with(featuresCol, v);
    }

    public M setPredictionCol(String v) {
        return with(predictionCol, v);
    }

    public M setK(int v) {
        return with(k, v);
    }

    public M setNumReplicas(int v) {
        return with(numReplicas, v);
    }

    public M setExcludeSelf(boolean v) {
        return with(excludeSelf, v);
    }

    public M setDistanceThreshold(double v) {
        return with(distanceThreshold, v);
    }

    /** The beam width of a search; brute force has none (0). */
    protected abstract int searchEf();

    @Override
    public StructType transformSchema(StructType schema) {
        VectorColumn.of(schema, getOrDefault(featuresCol));
        queryIdIndex(schema);
        return ShardedSearch.outputSchema(schema, getOrDefault(predictionCol), manifest.idType());
    }

    private int queryIdIndex(StructType schema) {
        if (!isDefined(queryIdentifierCol)) {
            if ((Boolean) getOrDefault(excludeSelf)) {
                throw new IllegalParameterException(
                        "excludeSelf needs queryIdentifierCol: the column of ids to leave out");
            }
            return -1;
        }
        String col = getOrDefault(queryIdentifierCol);
        int index = VectorColumn.fieldIndex(schema, col, "query identifier");
        DataType type = schema.fields()[index].dataType();
        if (IdType.of(col, type) != manifest.idType()) {
            throw new IllegalParameterException(
                    "the query identifier column '"
                            + col
                            + "' is "
                            + type.simpleString()
                            + ", the index's ids are "
                            + manifest.idType().name().toLowerCase());
        }
        return index;
    }

    /**
     * Adds the {@code predictionCol} column: per query row, up to {@code k} (neighbor, distance)
     * nearest first, from every shard.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        StructType out = transformSchema(schema);
        SparkSession spark = dataset.sparkSession();
        ShardedSearch.Spec spec =
                new ShardedSearch.Spec(
                        indexPath,
                        manifest,
                        HadoopConf.broadcast(spark, spark.sparkContext().hadoopConfiguration()),
                        VectorColumn.of(schema, getOrDefault(featuresCol)),
                        queryIdIndex(schema),
                        (Integer) getOrDefault(k),
                        searchEf(),
                        (Integer) getOrDefault(numReplicas),
                        (Boolean) getOrDefault(excludeSelf),
                        (Double) getOrDefault(distanceThreshold),
                        new CompactRows(schema));
        return ShardedSearch.run(dataset, spec, out);
    }

    /**
     * Closes this model's shards in this JVM (in local mode, the executors' too; on a cluster the
     * executors' are released when they exit). They stay open across transforms otherwise, which is
     * what makes the next search cheap; a transform after {@code dispose} opens them again.
     */
    public void dispose() {
        ShardCache.close(indexPath);
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Writes the metadata and a copy of the shards under {@code <path>/index}. */
    private static final class Writer extends MLWriter {
        private final KnnModel<?> model;

        Writer(KnnModel<?> model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            Configuration conf = sc().hadoopConfiguration();
            Path from = new Path(model.indexPath);
            Path to = new Path(path, "index");
            try {
                FileSystem src = from.getFileSystem(conf);
                FileSystem dst = to.getFileSystem(conf);
                for (org.apache.hadoop.fs.FileStatus s : src.listStatus(from)) {
                    if (!s.getPath().getName().equals(ShardManifest.FILE_NAME)) {
                        FileUtil.copy(
                                src,
                                s.getPath(),
                                dst,
                                new Path(to, s.getPath().getName()),
                                false,
                                conf);
                    }
                }
            } catch (IOException e) {
                throw new IndexIOException(
                        "could not copy " + from + " to " + to + ": " + e.getMessage(), e);
            }
            // The manifest last, as a build writes it: a copy cut short is not an index.
            try {
                model.manifest.write(to.getFileSystem(conf), to);
            } catch (IOException e) {
                throw new IndexIOException("could not write " + to + ": " + e.getMessage(), e);
            }
        }
    }

    /** Reads what {@link Writer} wrote; {@code factory} makes the model of the right class. */
    static final class Reader<T extends KnnModel<T>> extends MLReader<T> {
        /** Makes a model from its uid, index path and manifest. */
        interface Factory<T> extends java.io.Serializable {
            T create(String uid, String indexPath, ShardManifest manifest);
        }

        private final Class<T> type;
        private final Factory<T> factory;

        Reader(Class<T> type, Factory<T> factory) {
            this.type = type;
            this.factory = factory;
        }

        @Override
        public T load(String path) {
            DefaultParamsReader.Metadata metadata =
                    DefaultParamsReader.loadMetadata(path, sparkSession(), type.getName());
            Path index = new Path(path, "index");
            String qualified;
            try {
                qualified =
                        index.getFileSystem(sc().hadoopConfiguration())
                                .makeQualified(index)
                                .toString();
            } catch (IOException e) {
                throw new IndexIOException("could not reach " + index + ": " + e.getMessage(), e);
            }
            ShardManifest manifest = ShardManifest.read(sc().hadoopConfiguration(), index);
            T model = factory.create(metadata.uid(), qualified, manifest);
            metadata.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }
}
